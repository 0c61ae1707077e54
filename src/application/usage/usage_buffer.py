"""Usage records leave the request path here: queued in memory, accounted, written in batches."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from application.ports.metrics import QueueStats
from application.ports.usage import UsageRepository, UsageSink
from application.usage.accounting import UsageAccounting
from application.usage.vendor_time import add_vendor_time
from domain.usage import UsageRecord

log = logging.getLogger(__name__)


class UsageBuffer(UsageSink, QueueStats):
    """A bounded queue flushed by size and by interval. Each record is first accounted (priced and
    counted in the metrics, once), then written. While the database is down the records wait (up to
    `max_pending`; past that the newest are dropped and counted). `drain()` writes what is left, so
    a graceful shutdown loses nothing."""

    def __init__(
        self,
        repository: UsageRepository,
        *,
        accounting: UsageAccounting | None = None,
        batch_size: int = 500,
        flush_interval_s: float = 0.5,
        max_pending: int = 100_000,
        retry_delay_s: float = 1.0,
    ) -> None:
        self._repository = repository
        self._accounting = accounting
        self._batch_size = batch_size
        self._interval = flush_interval_s
        self._max_pending = max_pending
        self._retry_delay = retry_delay_s
        self._incoming: deque[UsageRecord] = deque()  # as recorded
        self._accounted: deque[UsageRecord] = deque()  # priced and counted, waiting for the database
        self._wake = asyncio.Event()
        self._dropped = 0
        self.written = 0

    @property
    def pending(self) -> int:
        return len(self._incoming) + len(self._accounted)

    @property
    def dropped(self) -> int:
        return self._dropped

    def record(self, record: UsageRecord) -> None:
        add_vendor_time(record.latency_ms)
        if self.pending >= self._max_pending:
            self._dropped += 1
            if self._dropped == 1 or self._dropped % 1000 == 0:
                log.error("usage queue full (%d): %d records dropped", self._max_pending, self._dropped)
            return
        self._incoming.append(record)
        if len(self._incoming) >= self._batch_size:
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
        """Account what came in, then write everything accounted, batch by batch. False when a
        write failed or there is no price table yet."""
        if not await self._account():
            return False
        while self._accounted:
            batch = [self._accounted[i] for i in range(min(self._batch_size, len(self._accounted)))]
            try:
                await self._repository.add_many(batch)
            except Exception as exc:
                log.warning("usage write failed (%d pending): %s", self.pending, type(exc).__name__)
                return False
            for _ in batch:
                self._accounted.popleft()
            self.written += len(batch)
        return True

    async def _account(self) -> bool:
        if self._accounting is not None and not await self._accounting.ready():
            return not self._incoming
        while self._incoming:
            record = self._incoming.popleft()
            self._accounted.append(record if self._accounting is None else self._accounting.account(record))
        return True

    async def drain(self, timeout_s: float) -> None:
        """On shutdown: keep trying until everything is written or the time is up."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while not await self.flush():
            if loop.time() + self._retry_delay > deadline:
                log.error("shutdown: %d usage records could not be written", self.pending)
                return
            await asyncio.sleep(self._retry_delay)
