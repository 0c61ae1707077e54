"""`GET /api/v1/admin/providers/health`: each provider's recent outcomes and cool-down state."""

from __future__ import annotations

from dataclasses import dataclass

from application.catalog import LiveCatalog
from application.routing.health import ProviderHealth
from application.routing.stats import ProviderStats
from domain.cooldown import HEALTHY


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderHealthReport:
    provider: str
    enabled: bool
    stats: ProviderStats  # this instance's recent attempts
    cooling: bool
    cooling_until: float | None  # epoch seconds
    recent_failures: int  # in the current failure window, across instances
    key_bad: bool  # the vendor refused our key
    last_error: str | None  # an error kind, never a message


class ReportProviderHealth:
    def __init__(self, catalog: LiveCatalog, health: ProviderHealth) -> None:
        self._catalog = catalog
        self._health = health

    async def execute(self) -> list[ProviderHealthReport]:
        providers = sorted(self._catalog.snapshot.providers.values(), key=lambda p: p.name)
        states = await self._health.states([p.name for p in providers])
        now = self._health.now()
        reports = []
        for provider in providers:
            state = states.get(provider.name, HEALTHY)
            cooling = state.cooling(now)
            reports.append(
                ProviderHealthReport(
                    provider=provider.name,
                    enabled=provider.enabled,
                    stats=self._health.stats(provider.name),
                    cooling=cooling,
                    cooling_until=state.cooling_until if cooling else None,
                    recent_failures=state.failures,
                    key_bad=state.key_bad,
                    last_error=state.last_error,
                )
            )
        return reports
