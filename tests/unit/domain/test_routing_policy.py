"""Fallback predicate, per-attempt budget and weighted splits."""

import pytest

from domain.catalog import Target
from domain.errors import ProviderError, ProviderErrorKind
from domain.fallback import FallbackPolicy, attempt_timeout
from domain.splits import apply_split, split_roll

pytestmark = pytest.mark.unit

K = ProviderErrorKind


def perr(kind: ProviderErrorKind) -> ProviderError:
    return ProviderError("x", provider="p", kind=kind)


@pytest.mark.parametrize(
    ("kind", "standard", "with_context_length"),
    [
        (K.RATE_LIMITED, True, True),
        (K.OVERLOADED, True, True),
        (K.TIMEOUT, True, True),
        (K.CONNECTION, True, True),
        (K.SERVER, True, True),
        (K.AUTH, True, True),
        (K.NOT_FOUND, True, True),
        (K.BAD_REQUEST, False, False),
        (K.CONTENT_FILTER, False, False),
        (K.CONTEXT_LENGTH, False, True),
    ],
)
def test_fallback_moves_on_by_error_kind(kind: ProviderErrorKind, standard: bool, with_context_length: bool) -> None:
    assert FallbackPolicy.standard().should_try_next(perr(kind)) is standard
    assert FallbackPolicy.standard(context_length_moves_on=True).should_try_next(perr(kind)) is with_context_length


@pytest.mark.parametrize("kind", list(K))
def test_fallback_never_moves_on_after_the_first_byte(kind: ProviderErrorKind) -> None:
    policy = FallbackPolicy.standard(context_length_moves_on=True)
    assert policy.should_try_next(perr(kind), first_byte_sent=True) is False


def test_a_policy_retrying_bad_requests_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="bad request"):
        FallbackPolicy(retry_on=frozenset({K.BAD_REQUEST}))


@pytest.mark.parametrize(
    ("provider_timeout", "left", "expected"),
    [(30.0, 100.0, 30.0), (30.0, 5.0, 5.0), (30.0, 0.0, None), (30.0, -1.0, None)],
)
def test_attempt_timeout_is_cut_to_the_deadline(provider_timeout: float, left: float, expected: float | None) -> None:
    assert attempt_timeout(provider_timeout, left) == expected


A, B, C = (Target(provider=p, model="m", weight=w) for p, w in (("a", 90), ("b", 10), ("c", 0)))


@pytest.mark.parametrize(
    ("targets", "roll", "order"),
    [
        ((A, B, C), 0.0, "abc"),
        ((A, B, C), 0.8999, "abc"),
        ((A, B, C), 0.9, "bac"),
        ((A, B, C), 0.9999, "bac"),
        ((C, A, B), 0.95, "bca"),  # the winner goes first; the rest keep their listed order
        ((Target(provider="x", model="m"), Target(provider="y", model="m")), 0.7, "xy"),  # no weights
    ],
)
def test_split_puts_the_weighted_winner_first(targets: tuple[Target, ...], roll: float, order: str) -> None:
    assert "".join(t.provider for t in apply_split(targets, roll)) == order


def test_split_shares_follow_the_weights() -> None:
    firsts = [apply_split((A, B, C), split_roll(f"customer-{i}"))[0].provider for i in range(2000)]
    assert 0.07 < firsts.count("b") / len(firsts) < 0.13
    assert "c" not in firsts


def test_split_roll_is_stable_per_key_and_in_range() -> None:
    assert split_roll("acme") == split_roll("acme") != split_roll("acme2")
    assert all(0 <= split_roll(str(i)) < 1 for i in range(500))


@pytest.mark.parametrize("roll", [-0.1, 1.0])
def test_split_refuses_a_roll_out_of_range(roll: float) -> None:
    with pytest.raises(ValueError, match="roll"):
        apply_split((A,), roll)


def test_negative_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="weight"):
        Target(provider="a", model="m", weight=-1)
