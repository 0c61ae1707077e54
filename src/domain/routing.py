"""Which targets a requested model resolves to, in the order they are tried."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from domain.catalog import Provider, Route, Target
from domain.errors import ModelNotFoundError
from domain.splits import apply_split


def resolve_targets(model: str, routes: Mapping[str, Route], providers: Iterable[Provider]) -> tuple[Target, ...]:
    """An alias gives its own ordered targets (disabled or unknown providers left out);
    a bare model name gives every enabled provider serving it, lowest priority value first.
    A `provider/model` name pins one provider."""
    enabled = {p.name: p for p in providers if p.enabled}
    route = routes.get(model)
    if route is not None:
        targets = tuple(t for t in route.targets if t.provider in enabled)
        if targets:
            return targets
        raise ModelNotFoundError(f"The model '{model}' has no enabled provider", param="model")
    pinned, sep, vendor_model = model.partition("/")
    if sep and pinned in enabled and enabled[pinned].serves(vendor_model):
        return (Target(provider=pinned, model=vendor_model),)
    serving = sorted((p for p in enabled.values() if p.serves(model)), key=lambda p: (p.priority, p.name))
    if not serving:
        raise ModelNotFoundError(f"The model '{model}' does not exist", param="model")
    return tuple(Target(provider=p.name, model=model) for p in serving)


def split_targets(
    model: str, routes: Mapping[str, Route], providers: Iterable[Provider], *, roll: float
) -> tuple[Target, ...]:
    """`resolve_targets`, with the route's weighted split deciding which target goes first."""
    return apply_split(resolve_targets(model, routes, providers), roll)


def callable_models(routes: Mapping[str, Route], providers: Iterable[Provider]) -> list[str]:
    """Every alias and every model name the enabled providers serve, sorted."""
    names = {alias for alias, r in routes.items() if r.targets}
    for p in providers:
        if p.enabled:
            names.update(p.models)
    return sorted(names)
