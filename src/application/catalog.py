"""The catalog the hot path reads: an in-memory snapshot plus one vendor adapter per provider."""

from __future__ import annotations

import asyncio
import logging

from application.ports.catalog import CatalogSnapshot, CatalogSource
from application.ports.llm import LlmProvider, LlmProviderFactory
from domain.catalog import Provider
from domain.errors import ServiceUnavailableError

log = logging.getLogger(__name__)

# An adapter replaced by a provider change is closed this long after, so calls in flight finish.
RETIRE_AFTER_S = 120.0


class LiveCatalog:
    """Holds the current snapshot; `refresh()` reloads it when the source's version moves.

    Requests never touch the database: they read `snapshot` and `adapter()`. When the source
    is down the last good snapshot keeps serving (`stale` turns True)."""

    def __init__(self, source: CatalogSource, factory: LlmProviderFactory) -> None:
        self._source = source
        self._factory = factory
        self.snapshot = CatalogSnapshot()
        self.loaded = False
        self.stale = False
        self._adapters: dict[str, tuple[Provider, LlmProvider]] = {}
        self._lock = asyncio.Lock()
        self._retiring: set[asyncio.Task[None]] = set()

    def adapter(self, provider_name: str) -> LlmProvider:
        entry = self._adapters.get(provider_name)
        if entry is None:
            raise ServiceUnavailableError(f"Provider '{provider_name}' is not available")
        return entry[1]

    async def refresh(self, *, force: bool = False) -> bool:
        """Reload when the version changed (or always, with force). True when it reloaded."""
        async with self._lock:
            try:
                version = await self._source.version()
                if not force and self.loaded and version == self.snapshot.version:
                    self.stale = False
                    return False
                snapshot = await self._source.load()
            except Exception:
                self.stale = True
                log.warning("catalog refresh failed; serving the last snapshot", exc_info=True)
                return False
            self._rebuild_adapters(snapshot)
            self.snapshot, self.loaded, self.stale = snapshot, True, False
            return True

    async def run_refresher(self, interval_s: float) -> None:
        """Poll for changes made by other gateway instances until cancelled."""
        while True:
            await asyncio.sleep(interval_s)
            await self.refresh()

    async def aclose(self) -> None:
        for task in list(self._retiring):
            task.cancel()
        for _, adapter in self._adapters.values():
            await adapter.aclose()
        self._adapters.clear()

    def _rebuild_adapters(self, snapshot: CatalogSnapshot) -> None:
        fresh: dict[str, tuple[Provider, LlmProvider]] = {}
        for name, provider in snapshot.providers.items():
            current = self._adapters.get(name)
            if current is not None and current[0] == provider:
                fresh[name] = current
                continue
            try:
                fresh[name] = (provider, self._factory.create(provider))
            except Exception as exc:  # one bad provider must not take the others down
                log.error("provider %s cannot be built: %s", name, exc)
        for name, (_, adapter) in self._adapters.items():
            if fresh.get(name, (None, None))[1] is not adapter:
                self._retire(adapter)
        self._adapters = fresh

    def _retire(self, adapter: LlmProvider) -> None:
        async def close_later() -> None:
            await asyncio.sleep(RETIRE_AFTER_S)
            await adapter.aclose()

        task = asyncio.get_running_loop().create_task(close_later())
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)
