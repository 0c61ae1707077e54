"""What the gateway knows of each provider's health: shared cool-down state plus local outcomes."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from application.ports.cooldown import CooldownStore
from application.ports.metrics import GatewayMetrics
from application.ports.system import Clock
from application.routing.config import RoutingConfig
from application.routing.stats import ProviderStats, RecentOutcomes
from domain.cooldown import COUNTED, BreakerState, needs_reset
from domain.errors import ProviderError

log = logging.getLogger(__name__)


class ProviderHealth:
    """Fails open: when the store is unreachable every provider counts as healthy, because a
    broken breaker must not take the gateway down with it.

    States read from the shared store are kept for `state_cache_s`, so a request costs no round trip
    to it while nothing changes: this instance's own failures and recoveries update the cache at
    once, another instance's are seen within `state_cache_s`."""

    def __init__(self, store: CooldownStore, clock: Clock, config: RoutingConfig, metrics: GatewayMetrics) -> None:
        self._store = store
        self._clock = clock
        self._metrics = metrics
        self._policy = config.cooldown
        self._outcomes = RecentOutcomes(config.stats_window)
        self._cache_s = config.state_cache_s
        self._cache: dict[str, tuple[float, BreakerState | None]] = {}  # provider -> (read at, state)

    def now(self) -> float:
        return self._clock.now().timestamp()

    async def states(self, providers: Sequence[str]) -> dict[str, BreakerState]:
        now = self._clock.monotonic()
        stale = [p for p in providers if now - self._cache.get(p, (-self._cache_s - 1, None))[0] > self._cache_s]
        if stale:
            try:
                fresh = await self._store.states(stale)
            except Exception as exc:
                log.warning("cool-down state unavailable, treating providers as healthy: %s", type(exc).__name__)
                fresh = {}
            for provider in stale:
                self._cache[provider] = (now, fresh.get(provider))
        return {p: state for p in providers if (state := self._cache[p][1]) is not None}

    async def failed(self, provider: str, error: ProviderError, *, latency_ms: float) -> None:
        self._outcomes.add(provider, ok=False, latency_ms=latency_ms)
        if error.kind not in COUNTED:  # the caller's or our configuration's fault, not the provider's
            return
        try:
            state = await self._store.record_failure(provider, error, now=self.now(), policy=self._policy)
        except Exception as exc:
            log.warning("cool-down state not saved for %s: %s", provider, type(exc).__name__)
            return
        self._cache[provider] = (self._clock.monotonic(), state)
        if state.cooling(self.now()):
            self._metrics.observe_cooldown(provider)
            log.info("provider %s cooling down until %.3f after %s", provider, state.cooling_until, error.kind)

    async def succeeded(self, provider: str, prior: BreakerState | None, *, latency_ms: float) -> None:
        """`prior`: the state read when the request was planned; only a non-healthy one costs a write."""
        self._outcomes.add(provider, ok=True, latency_ms=latency_ms)
        if prior is None or not needs_reset(prior):
            return
        try:
            await self._store.reset(provider)
        except Exception as exc:
            log.warning("cool-down state not reset for %s: %s", provider, type(exc).__name__)
            return
        self._cache[provider] = (self._clock.monotonic(), None)

    def stats(self, provider: str) -> ProviderStats:
        return self._outcomes.summary(provider)
