"""Hand-written fakes of the application ports (cosmicpython style): assert on what they recorded."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

from application.catalog import LiveCatalog
from application.ports.catalog import CatalogSnapshot, CatalogSource
from application.ports.llm import LlmProvider, LlmProviderFactory
from application.ports.metrics import GatewayMetrics, QueueStats, UsageLabels
from application.ports.prices import PriceRepository
from application.ports.system import Clock
from application.ports.usage import UsageRepository, UsageSink
from domain.catalog import Provider
from domain.chat import ChatRequest
from domain.completion import ChatResponse, StreamEvent
from domain.errors import GatewayError, ProviderError
from domain.pricing import ModelPrice, PriceKey
from domain.usage import UsageRecord

Script = ChatResponse | GatewayError | list[StreamEvent | ProviderError]


class ScriptedLlmProvider(LlmProvider):
    """Answers with the next scripted item; a list is a stream (an error in it is raised there)."""

    def __init__(self, name: str, script: list[Script]) -> None:
        self.name, self.script, self.calls, self.closed = name, list(script), [], False

    async def complete(self, request: ChatRequest) -> ChatResponse:
        self.calls.append(request)
        item = self.script.pop(0)
        if isinstance(item, GatewayError):
            raise item
        assert isinstance(item, ChatResponse)
        return item

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        self.calls.append(request)
        item = self.script.pop(0)
        if isinstance(item, GatewayError):
            raise item
        assert isinstance(item, list)
        for event in item:
            if isinstance(event, ProviderError):
                raise event
            yield event

    async def aclose(self) -> None:
        self.closed = True


class FakeFactory(LlmProviderFactory):
    def __init__(self, adapters: dict[str, LlmProvider]) -> None:
        self.adapters, self.created = adapters, []

    def create(self, provider: Provider) -> LlmProvider:
        self.created.append(provider.name)
        return self.adapters[provider.name]


class FakeCatalogSource(CatalogSource):
    def __init__(self, snapshot: CatalogSnapshot) -> None:
        self.snapshot, self.down = snapshot, False

    async def version(self) -> str:
        if self.down:
            raise ConnectionError("database down")
        return self.snapshot.version

    async def load(self) -> CatalogSnapshot:
        if self.down:
            raise ConnectionError("database down")
        return self.snapshot


class RecordingSink(UsageSink):
    def __init__(self) -> None:
        self.records: list[UsageRecord] = []

    def record(self, record: UsageRecord) -> None:
        self.records.append(record)


class FlakyUsageRepository(UsageRepository):
    def __init__(self) -> None:
        self.rows: list[UsageRecord] = []
        self.down = False
        self.batches = 0

    async def add_many(self, records: Sequence[UsageRecord]) -> None:
        if self.down:
            raise ConnectionError("database down")
        self.batches += 1
        self.rows.extend(records)


class TickingClock(Clock):
    """Each monotonic() call is 10 ms after the previous one."""

    def __init__(self) -> None:
        self._ticks = itertools.count()

    def now(self) -> datetime:
        return datetime(2026, 11, 22, tzinfo=UTC)

    def monotonic(self) -> float:
        return next(self._ticks) * 0.01


async def live_catalog(snapshot: CatalogSnapshot, adapters: dict[str, LlmProvider]) -> LiveCatalog:
    catalog = LiveCatalog(FakeCatalogSource(snapshot), FakeFactory(adapters))
    await catalog.refresh(force=True)
    return catalog


class RecordingMetrics(GatewayMetrics):
    def __init__(self) -> None:
        self.cooldowns: list[str] = []
        self.usage: list[UsageRecord] = []
        self.overhead: list[float] = []

    def observe_usage(self, record: UsageRecord, labels: UsageLabels) -> None:
        self.usage.append(record)

    def observe_overhead(self, seconds: float) -> None:
        self.overhead.append(seconds)

    def observe_cooldown(self, provider: str) -> None:
        self.cooldowns.append(provider)

    def watch_queue(self, queue: QueueStats) -> None:
        pass


class StaticPrices(PriceRepository):
    def __init__(self, entries: list[ModelPrice]) -> None:
        self.entries = entries

    async def list(self) -> list[ModelPrice]:
        return list(self.entries)

    async def put(self, entry: ModelPrice) -> ModelPrice:
        self.entries.append(entry)
        return entry

    async def delete(self, key: PriceKey) -> None:
        self.entries = [e for e in self.entries if e.key != key]
