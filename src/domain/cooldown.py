"""Cool-down (circuit breaker): a provider that keeps failing is skipped for a while, then probed.

Times are wall-clock epoch seconds, so instances sharing the state agree on them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from domain.catalog import Target
from domain.errors import ProviderError, ProviderErrorKind

# Failures that say something about the provider; a bad request or a missing model do not.
COUNTED: frozenset[ProviderErrorKind] = frozenset(
    {
        ProviderErrorKind.RATE_LIMITED,
        ProviderErrorKind.OVERLOADED,
        ProviderErrorKind.TIMEOUT,
        ProviderErrorKind.CONNECTION,
        ProviderErrorKind.SERVER,
        ProviderErrorKind.AUTH,
    }
)


class CooldownPolicy(msgspec.Struct, frozen=True, kw_only=True):
    failure_threshold: int = 3  # failures within `window_s` that start a cool-down
    window_s: float = 60.0
    cooldown_s: float = 30.0
    key_bad_cooldown_s: float = 300.0  # after the vendor refused our key
    max_retry_after_s: float = 300.0  # a 429's Retry-After cools the provider this long at most

    def __post_init__(self) -> None:
        if self.failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if min(self.window_s, self.cooldown_s, self.key_bad_cooldown_s, self.max_retry_after_s) <= 0:
            raise ValueError("durations must be positive")

    @property
    def retention_s(self) -> float:
        """How long a state can matter: a store may forget it after that."""
        return max(self.window_s, self.cooldown_s, self.key_bad_cooldown_s, self.max_retry_after_s)


class BreakerState(msgspec.Struct, frozen=True, kw_only=True):
    failures: int = 0  # within the current window
    window_started_at: float = 0.0
    last_failure_at: float = 0.0
    cooling_until: float = 0.0
    key_bad: bool = False
    last_error: str | None = None  # the error kind, never the message

    def cooling(self, now: float) -> bool:
        return now < self.cooling_until


HEALTHY = BreakerState()


def after_failure(state: BreakerState, error: ProviderError, *, now: float, policy: CooldownPolicy) -> BreakerState:
    """Counts the failure in its window; the threshold, a refused key or a Retry-After starts a
    cool-down. A failure while probing (just after a cool-down) starts the next one at once."""
    if error.kind not in COUNTED:
        return state
    fresh_window = now - state.window_started_at > policy.window_s
    failures = 1 if fresh_window else state.failures + 1
    until = state.cooling_until
    if failures >= policy.failure_threshold:
        until = max(until, now + policy.cooldown_s)
    if error.kind is ProviderErrorKind.AUTH:
        until = max(until, now + policy.key_bad_cooldown_s)
    if error.kind is ProviderErrorKind.RATE_LIMITED and error.retry_after:
        until = max(until, now + min(error.retry_after, policy.max_retry_after_s))
    return BreakerState(
        failures=failures,
        window_started_at=now if fresh_window else state.window_started_at,
        last_failure_at=now,
        cooling_until=until,
        key_bad=error.kind is ProviderErrorKind.AUTH or (state.key_bad and not fresh_window),
        last_error=error.kind.value,
    )


def needs_reset(state: BreakerState) -> bool:
    """After a success, whether there is anything to clear (a healthy provider costs no write)."""
    return state != HEALTHY


def order_for_attempts(
    targets: Sequence[Target], states: Mapping[str, BreakerState], *, now: float
) -> tuple[Target, ...]:
    """The targets whose provider is not cooling down, in order. When every one is cooling, the
    one whose provider failed least recently alone: better a probe than a refusal."""

    def state(target: Target) -> BreakerState:
        return states.get(target.provider, HEALTHY)

    ready = tuple(t for t in targets if not state(t).cooling(now))
    if ready or not targets:
        return ready
    return (min(targets, key=lambda t: state(t).last_failure_at),)
