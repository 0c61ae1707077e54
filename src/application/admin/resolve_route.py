"""The routing dry run: which rule wins for a customer, service and model, and where it would go."""

from __future__ import annotations

from dataclasses import dataclass

from application.catalog import LiveCatalog
from application.chat.planning import decide
from application.routing.health import ProviderHealth
from domain.catalog import Target


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolvedTarget:
    target: Target
    cooling_until: float | None  # epoch seconds; None: not cooling down


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    rule: str
    model: str  # what the rule resolved: an alias, a model name or provider/model
    targets: tuple[ResolvedTarget, ...]  # in trying order, before cool-downs are skipped


class ResolveRoute:
    """Reads what a request would read (the in-memory catalog and the cool-down state); calls no vendor.
    A customer always lands on the same side of a weighted split, so the order shown is theirs."""

    def __init__(self, catalog: LiveCatalog, health: ProviderHealth) -> None:
        self._catalog = catalog
        self._health = health

    async def execute(self, *, model: str | None, customer_id: str | None, service: str | None) -> Resolution:
        choice, targets = decide(
            self._catalog, model=model, customer_id=customer_id, service=service, split_key=customer_id or ""
        )
        states = await self._health.states(sorted({t.provider for t in targets}))
        now = self._health.now()
        cooling = {name: s.cooling_until for name, s in states.items() if s.cooling(now)}
        resolved = tuple(ResolvedTarget(target=t, cooling_until=cooling.get(t.provider)) for t in targets)
        return Resolution(rule=choice.rule, model=choice.model, targets=resolved)
