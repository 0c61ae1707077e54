"""The price table the usage pipeline reads: in memory, reloaded after an admin write and periodically
(for writes made on other instances). Requests never read it: records are priced off the request path."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

import msgspec

from application.catalog import LiveCatalog
from application.ports.prices import PriceRepository
from domain.pricing import FREE, PriceTable
from domain.usage import Usage, UsageRecord

log = logging.getLogger(__name__)


class PriceBook:
    def __init__(self, repository: PriceRepository, catalog: LiveCatalog, *, refresh_s: float = 5.0) -> None:
        self._repository = repository
        self._catalog = catalog
        self._refresh_s = refresh_s
        self._loaded_at: float | None = None
        self.table = PriceTable()

    @property
    def loaded(self) -> bool:
        return self._loaded_at is not None

    async def reload(self) -> bool:
        """Read the whole table; on failure keep the last one. True when it reloaded."""
        try:
            entries = await self._repository.list()
        except Exception as exc:
            log.warning("price table reload failed; keeping the last one: %s", type(exc).__name__)
            return False
        self.table = PriceTable.of(entries)
        self._loaded_at = asyncio.get_running_loop().time()
        return True

    async def ensure_fresh(self) -> bool:
        """Reload when the table is older than `refresh_s`. True when a table is in memory."""
        now = asyncio.get_running_loop().time()
        if self._loaded_at is None or now - self._loaded_at >= self._refresh_s:
            await self.reload()
        return self.loaded

    def price(self, record: UsageRecord) -> UsageRecord:
        """Fill `cost_usd`: zero for a gateway cache hit (no vendor was paid), None when unknown."""
        if record.cost_usd is not None:
            return record
        cost = FREE if record.cached else self.cost_of(record.usage, provider=record.provider, model=record.model)
        return record if cost is None else msgspec.structs.replace(record, cost_usd=cost)

    def cost_of(self, usage: Usage, *, provider: str | None, model: str | None) -> Decimal | None:
        """What this usage costs at `provider` (a catalog name) for `model`; None when unknown."""
        configured = self._catalog.snapshot.providers.get(provider) if provider else None
        kind = configured.kind.value if configured is not None else None
        return self.table.cost(usage, provider=provider, kind=kind, model=model)
