"""Builds the chat use cases over fakes, with a clock the test moves by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from adapters.memory.cooldown import InMemoryCooldownStore
from application.catalog import LiveCatalog
from application.chat.complete_chat import CompleteChat
from application.chat.planning import RoutePlanner
from application.chat.route_run import ChatRouter
from application.chat.stream_chat import StreamChat
from application.ports.catalog import CatalogSnapshot
from application.ports.llm import LlmProvider
from application.ports.system import Clock
from application.routing.config import RoutingConfig
from application.routing.health import ProviderHealth
from tests.unit.application.fakes import RecordingMetrics, RecordingSink, live_catalog


class ManualClock(Clock):
    """Wall time and monotonic time move together, only when the test says so (plus 1 ms a read)."""

    def __init__(self) -> None:
        self.t = 0.0

    def advance(self, seconds: float) -> None:
        self.t += seconds

    def now(self) -> datetime:
        return datetime(2026, 11, 22, tzinfo=UTC) + timedelta(seconds=self.t)

    def monotonic(self) -> float:
        self.t += 0.001
        return self.t


@dataclass
class Harness:
    catalog: LiveCatalog
    config: RoutingConfig = field(default_factory=RoutingConfig)
    sink: RecordingSink = field(default_factory=RecordingSink)
    clock: ManualClock = field(default_factory=ManualClock)
    store: InMemoryCooldownStore = field(default_factory=InMemoryCooldownStore)
    metrics: RecordingMetrics = field(default_factory=RecordingMetrics)

    def __post_init__(self) -> None:
        self.health = ProviderHealth(self.store, self.clock, self.config, self.metrics)
        planner = RoutePlanner(self.catalog, self.health)
        self.router = ChatRouter(self.catalog, planner, self.health, self.sink, self.clock, self.config)
        self.complete = CompleteChat(self.router)
        self.stream = StreamChat(self.router)


async def harness(
    snapshot: CatalogSnapshot,
    adapters: dict[str, LlmProvider],
    config: RoutingConfig | None = None,
    clock: ManualClock | None = None,
    store: InMemoryCooldownStore | None = None,
) -> Harness:
    catalog = await live_catalog(snapshot, adapters)
    return Harness(
        catalog, config or RoutingConfig(), clock=clock or ManualClock(), store=store or InMemoryCooldownStore()
    )
