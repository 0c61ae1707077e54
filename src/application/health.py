"""Readiness: may this instance take traffic, and what state is each component in."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from application.catalog import LiveCatalog
from application.ports.system import HealthProbe


@dataclass(frozen=True, slots=True)
class Readiness:
    status: str  # ok | degraded | unavailable
    components: dict[str, str]  # name -> ok | down | stale

    @property
    def serving(self) -> bool:
        return self.status != "unavailable"


class CheckReadiness:
    """Ready while the catalog is in memory, even if the database blinks (`degraded`), so one
    blip does not pull every replica out of the load balancer. Unavailable only before the
    catalog was ever loaded."""

    def __init__(self, catalog: LiveCatalog, probes: Sequence[HealthProbe]) -> None:
        self._catalog = catalog
        self._probes = probes

    async def execute(self) -> Readiness:
        results = await asyncio.gather(*(p.check() for p in self._probes))
        components = {p.name: "ok" if ok else "down" for p, ok in zip(self._probes, results, strict=True)}
        components["catalog"] = (
            "ok" if self._catalog.loaded and not self._catalog.stale else ("stale" if self._catalog.loaded else "down")
        )
        if not self._catalog.loaded:
            status = "unavailable"
        elif all(v == "ok" for v in components.values()):
            status = "ok"
        else:
            status = "degraded"
        return Readiness(status=status, components=components)
