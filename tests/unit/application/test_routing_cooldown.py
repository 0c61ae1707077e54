"""Cool-downs in the chat use cases: skip a failing provider, probe it later, never refuse outright."""

from collections.abc import Sequence

import pytest

from adapters.memory.cooldown import InMemoryCooldownStore
from application.routing.config import RoutingConfig
from domain.cooldown import BreakerState, CooldownPolicy
from domain.errors import AllProvidersFailedError, ProviderError, ProviderErrorKind
from tests.unit.application.fakes import ScriptedLlmProvider, live_catalog
from tests.unit.application.routing_harness import Harness, harness
from tests.unit.application.test_chat import OK, SNAPSHOT, command, fail

pytestmark = pytest.mark.unit


async def bench(h: Harness, provider: str, *, seconds_ago: float) -> None:
    """A refused key, `seconds_ago`: the provider cools down for the policy's key-bad period."""
    error = ProviderError("no", provider=provider, kind=ProviderErrorKind.AUTH)
    await h.store.record_failure(provider, error, now=h.health.now() - seconds_ago, policy=CONFIG.cooldown)


CONFIG = RoutingConfig(cooldown=CooldownPolicy(failure_threshold=2, window_s=60, cooldown_s=30, key_bad_cooldown_s=300))


async def test_a_provider_that_keeps_failing_is_skipped_then_probed_and_recovered() -> None:
    a = ScriptedLlmProvider("a", [fail(ProviderErrorKind.SERVER)] * 2 + [OK])
    b = ScriptedLlmProvider("b", [OK] * 4)
    h = await harness(SNAPSHOT, {"a": a, "b": b}, CONFIG)
    for _ in range(2):  # two failures: a starts cooling down
        assert (await h.complete.execute(command())).target.provider == "b"
    assert (await h.complete.execute(command())).attempts == 1  # a skipped: b answers first
    assert len(a.calls) == 2
    assert h.metrics.cooldowns == ["a"]  # the second failure started the cool-down
    h.clock.advance(31)  # the cool-down is over: a is probed, answers, and its failures are forgotten
    result = await h.complete.execute(command())
    assert (result.target.provider, len(a.calls)) == ("a", 3)
    assert await h.store.states(["a", "b"]) == {}


async def test_a_refused_key_moves_on_and_benches_the_provider() -> None:
    a = ScriptedLlmProvider("a", [fail(ProviderErrorKind.AUTH)])
    b = ScriptedLlmProvider("b", [OK, OK])
    h = await harness(SNAPSHOT, {"a": a, "b": b}, CONFIG)
    assert (await h.complete.execute(command())).target.provider == "b"
    state = (await h.store.states(["a"]))["a"]
    assert state.key_bad and state.cooling(h.health.now())
    assert (await h.complete.execute(command())).attempts == 1 and len(a.calls) == 1


async def test_when_every_target_cools_the_least_recently_failed_is_tried() -> None:
    a, b = ScriptedLlmProvider("a", [OK]), ScriptedLlmProvider("b", [])
    h = await harness(SNAPSHOT, {"a": a, "b": b}, CONFIG)
    await bench(h, "a", seconds_ago=5)
    await bench(h, "b", seconds_ago=1)
    result = await h.complete.execute(command())
    assert (result.target.provider, result.attempts) == ("a", 1) and b.calls == []


async def test_only_the_probe_is_tried_when_everything_cools_and_it_fails() -> None:
    a, b = ScriptedLlmProvider("a", [fail(ProviderErrorKind.SERVER)]), ScriptedLlmProvider("b", [])
    h = await harness(SNAPSHOT, {"a": a, "b": b}, CONFIG)
    await bench(h, "a", seconds_ago=2)
    await bench(h, "b", seconds_ago=1)
    with pytest.raises(AllProvidersFailedError):
        await h.complete.execute(command())
    assert len(a.calls) == 1 and b.calls == []


class BrokenStore(InMemoryCooldownStore):
    async def states(self, providers: Sequence[str]) -> dict[str, BreakerState]:
        raise ConnectionError("redis down")

    async def record_failure(self, provider: str, error: ProviderError, **_: object) -> BreakerState:  # type: ignore[override]
        raise ConnectionError("redis down")


async def test_an_unreachable_store_fails_open() -> None:
    a, b = ScriptedLlmProvider("a", [fail(ProviderErrorKind.SERVER)]), ScriptedLlmProvider("b", [OK])
    h = Harness(await live_catalog(SNAPSHOT, {"a": a, "b": b}), CONFIG, store=BrokenStore())
    result = await h.complete.execute(command())
    assert (result.target.provider, result.attempts) == ("b", 2)


async def test_health_stats_count_recent_outcomes() -> None:
    a = ScriptedLlmProvider("a", [fail(ProviderErrorKind.SERVER), OK])
    b = ScriptedLlmProvider("b", [OK])
    h = await harness(SNAPSHOT, {"a": a, "b": b}, CONFIG)
    await h.complete.execute(command())
    await h.complete.execute(command())
    stats = h.health.stats("a")
    assert (stats.attempts, stats.success_rate) == (2, 0.5) and stats.avg_latency_ms is not None
    assert h.health.stats("nobody").success_rate is None


class CountingStore(InMemoryCooldownStore):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    async def states(self, providers: Sequence[str]) -> dict[str, BreakerState]:
        self.reads += 1
        return await super().states(providers)


async def test_states_are_read_once_per_cache_period_and_another_instance_is_seen_after_it() -> None:
    a, b = ScriptedLlmProvider("a", [OK] * 5), ScriptedLlmProvider("b", [OK] * 5)
    store = CountingStore()
    h = await harness(SNAPSHOT, {"a": a, "b": b}, CONFIG, store=store)
    for _ in range(3):
        assert (await h.complete.execute(command())).target.provider == "a"
    assert store.reads == 1  # no round trip to the shared store while the cache is fresh
    await bench(h, "a", seconds_ago=0)  # another instance benches a
    assert (await h.complete.execute(command())).target.provider == "a"  # not seen yet: within the period
    h.clock.advance(CONFIG.state_cache_s + 0.1)
    assert (await h.complete.execute(command())).target.provider == "b"  # seen once the period is over
    assert store.reads == 2
