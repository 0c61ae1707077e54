"""The circuit breaker: when a provider starts and stops cooling down, and who is tried meanwhile."""

import pytest

from domain.catalog import Target
from domain.cooldown import HEALTHY, BreakerState, CooldownPolicy, after_failure, needs_reset, order_for_attempts
from domain.errors import ProviderError, ProviderErrorKind

pytestmark = pytest.mark.unit

K = ProviderErrorKind
POLICY = CooldownPolicy(failure_threshold=3, window_s=10, cooldown_s=5, key_bad_cooldown_s=100, max_retry_after_s=20)


def perr(kind: ProviderErrorKind, retry_after: float | None = None) -> ProviderError:
    return ProviderError("x", provider="p", kind=kind, retry_after=retry_after)


def fail(times: list[float], kind: ProviderErrorKind = K.SERVER, state: BreakerState = HEALTHY) -> BreakerState:
    for now in times:
        state = after_failure(state, perr(kind), now=now, policy=POLICY)
    return state


@pytest.mark.parametrize(
    ("times", "failures", "cooling_until"),
    [
        ([100], 1, 0.0),
        ([100, 101], 2, 0.0),
        ([100, 101, 102], 3, 107.0),  # threshold reached: cools for cooldown_s
        ([100, 101, 112], 1, 0.0),  # the window had passed: counting starts again
        ([100, 101, 102, 108], 4, 113.0),  # the probe after the cool-down failed: cools again at once
    ],
)
def test_failures_in_a_window_start_a_cool_down(times: list[float], failures: int, cooling_until: float) -> None:
    state = fail(times)
    assert (state.failures, state.cooling_until, state.last_failure_at) == (failures, cooling_until, times[-1])


@pytest.mark.parametrize("kind", [K.BAD_REQUEST, K.CONTEXT_LENGTH, K.CONTENT_FILTER, K.NOT_FOUND])
def test_failures_that_are_not_the_providers_do_not_count(kind: ProviderErrorKind) -> None:
    assert fail([1, 2, 3, 4], kind) == HEALTHY


def test_a_refused_key_cools_the_provider_at_once_and_marks_it() -> None:
    state = fail([100], K.AUTH)
    assert state.key_bad and state.cooling_until == 200.0 and state.last_error == "auth"


@pytest.mark.parametrize(("retry_after", "until"), [(2.0, 102.0), (500.0, 120.0), (None, 0.0)])
def test_retry_after_cools_the_provider_that_long_capped(retry_after: float | None, until: float) -> None:
    state = after_failure(HEALTHY, perr(K.RATE_LIMITED, retry_after), now=100, policy=POLICY)
    assert state.cooling_until == until


def test_cooling_ends_at_its_time() -> None:
    state = fail([100, 101, 102])
    assert state.cooling(106.9) and not state.cooling(107.0)


def test_only_a_state_with_something_in_it_needs_a_reset() -> None:
    assert not needs_reset(HEALTHY)
    assert needs_reset(fail([1]))


A, B, C = (Target(provider=p, model="m") for p in "abc")


@pytest.mark.parametrize(
    ("states", "order"),
    [
        ({}, "abc"),
        ({"a": BreakerState(cooling_until=50, last_failure_at=9)}, "bc"),  # a cooling: skipped
        ({"a": BreakerState(cooling_until=5, last_failure_at=4)}, "abc"),  # a's cool-down is over: probed
        ({"b": BreakerState(failures=2, last_failure_at=9)}, "abc"),  # failing but under threshold
        # every one cooling: only the least recently failed is tried
        (
            {p: BreakerState(cooling_until=50, last_failure_at=t) for p, t in (("a", 9), ("b", 7), ("c", 8))},
            "b",
        ),
    ],
)
def test_order_for_attempts_skips_cooling_providers(states: dict[str, BreakerState], order: str) -> None:
    assert "".join(t.provider for t in order_for_attempts((A, B, C), states, now=10)) == order


@pytest.mark.parametrize(
    "bad",
    [{"failure_threshold": 0}, {"cooldown_s": 0}, {"window_s": -1}, {"key_bad_cooldown_s": 0}],
)
def test_policy_refuses_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        CooldownPolicy(**bad)  # type: ignore[arg-type]
