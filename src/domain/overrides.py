"""Which routing rule decides a request: the one place override precedence is written down."""

from __future__ import annotations

from collections.abc import Collection, Iterable

import msgspec

from domain.catalog import Override
from domain.errors import InvalidRequestError


class RouteChoice(msgspec.Struct, frozen=True, kw_only=True):
    """`model` is what `domain.routing.resolve_targets` resolves (an alias, a bare model name or
    `provider/model`); `rule` names the rule that won, for `X-Gateway-Route` and the usage log."""

    model: str
    rule: str
    override: Override | None = None


def _applies(override: Override, service: str | None, model: str | None) -> bool:
    return override.service in (None, service) and override.model in (None, model)


def _specificity(override: Override) -> tuple[bool, bool]:
    return override.service is not None, override.model is not None


def _destination(override: Override) -> str:
    if override.target is not None:
        return f"{override.target.provider}/{override.target.model}"
    assert override.alias is not None  # Override.__post_init__ guarantees one of the two
    return override.alias


def choose_route(
    *,
    model: str | None,
    customer_id: str | None,
    service: str | None,
    overrides: Iterable[Override],
    aliases: Collection[str],
    providers: Collection[str],
) -> RouteChoice:
    """Precedence, highest first:

    1. an override for this customer and this service  (`override:customer+service:<id>`)
    2. an override for this customer on every service   (`override:customer:<id>`)
    3. the global route of the requested alias          (`route:<alias>`), else the requested
       model itself: pinned `provider/model` (`pinned:<name>`) or bare, by provider priority
       (`model:<name>`).

    Within one level, an override for the requested model beats one for any model. `overrides`
    may hold other customers' overrides: only `customer_id`'s count. Without a requested model
    only an override can decide; with neither the request is refused."""
    mine = [o for o in overrides if customer_id is not None and o.customer_id == customer_id]
    candidates = [o for o in mine if _applies(o, service, model)]
    if candidates:
        won = max(candidates, key=_specificity)  # max keeps the first of equals: storage order
        level = "customer+service" if won.service is not None else "customer"
        return RouteChoice(model=_destination(won), rule=f"override:{level}:{won.id}", override=won)
    if model is None:
        raise InvalidRequestError("model is required: no override applies to this customer", param="model")
    if model in aliases:
        return RouteChoice(model=model, rule=f"route:{model}")
    pinned = model.partition("/")[0] in providers and "/" in model
    return RouteChoice(model=model, rule=f"pinned:{model}" if pinned else f"model:{model}")
