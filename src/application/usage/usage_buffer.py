"""Usage records leave the request path here: queued in memory, written in batches."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from application.ports.usage import UsageRepository, UsageSink
from domain.usage import UsageRecord

log = logging.getLogger(__name__)


class UsageBuffer(UsageSink):
    """A bounded queue flushed by size and by interval. While the database is down the records
    wait (up to `max_pending`; past that the newest are dropped and counted). `stop()` flushes
    what is left, so a graceful shutdown loses nothing."""

    def __init__(
        self,
        repository: UsageRepository,
        *,
        batch_size: int = 500,
        flush_interval_s: float = 0.5,
        max_pending: int = 100_000,
        retry_delay_s: float = 1.0,
    ) -> None:
        self._repository = repository
        self._batch_size = batch_size
        self._interval = flush_interval_s
        self._max_pending = max_pending
        self._retry_delay = retry_delay_s
        self._pending: deque[UsageRecord] = deque()
        self._wake = asyncio.Event()
        self.dropped = 0
        self.written = 0

    @property
    def pending(self) -> int:
        return len(self._pending)

    def record(self, record: UsageRecord) -> None:
        if len(self._pending) >= self._max_pending:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.error("usage queue full (%d): %d records dropped", self._max_pending, self.dropped)
            return
        self._pending.append(record)
        if len(self._pending) >= self._batch_size:
            self._wake.set()

    async def run(self) -> None:
        """Flush until cancelled; a failed write keeps its records and is retried."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._interval)
            self._wake.clear()
            if not await self.flush():
                await asyncio.sleep(self._retry_delay)

    async def flush(self) -> bool:
        """Write everything pending, batch by batch. False when a write failed."""
        while self._pending:
            batch = [self._pending[i] for i in range(min(self._batch_size, len(self._pending)))]
            try:
                await self._repository.add_many(batch)
            except Exception as exc:
                log.warning("usage write failed (%d pending): %s", len(self._pending), type(exc).__name__)
                return False
            for _ in batch:
                self._pending.popleft()
            self.written += len(batch)
        return True

    async def drain(self, timeout_s: float) -> None:
        """On shutdown: keep trying until everything is written or the time is up."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while not await self.flush():
            if loop.time() + self._retry_delay > deadline:
                log.error("shutdown: %d usage records could not be written", len(self._pending))
                return
            await asyncio.sleep(self._retry_delay)
