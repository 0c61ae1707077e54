import pytest

from domain.errors import (
    AllProvidersFailedError,
    AuthenticationError,
    ConflictError,
    GatewayError,
    InvalidRequestError,
    ModelNotFoundError,
    ProviderError,
    ProviderErrorKind,
    ServiceUnavailableError,
    UnsupportedFeatureError,
)
from domain.fallback import should_try_next
from domain.keys import hash_key, mask_secret, shown_prefix
from domain.status import status_of
from domain.tokens import estimate_tokens, tokens_for_chars

pytestmark = pytest.mark.unit


def perr(kind: ProviderErrorKind) -> ProviderError:
    return ProviderError("boom", provider="p", kind=kind, status=None)


@pytest.mark.parametrize(
    ("kind", "moves_on"),
    [
        (ProviderErrorKind.RATE_LIMITED, True),
        (ProviderErrorKind.OVERLOADED, True),
        (ProviderErrorKind.TIMEOUT, True),
        (ProviderErrorKind.CONNECTION, True),
        (ProviderErrorKind.SERVER, True),
        (ProviderErrorKind.AUTH, True),
        (ProviderErrorKind.NOT_FOUND, True),
        (ProviderErrorKind.BAD_REQUEST, False),
        (ProviderErrorKind.CONTEXT_LENGTH, False),
        (ProviderErrorKind.CONTENT_FILTER, False),
    ],
)
def test_should_try_next_follows_error_kind(kind: ProviderErrorKind, moves_on: bool) -> None:
    assert should_try_next(perr(kind)) is moves_on


def test_should_try_next_never_after_first_byte() -> None:
    assert should_try_next(perr(ProviderErrorKind.SERVER), first_byte_sent=True) is False


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidRequestError("x"), 400),
        (UnsupportedFeatureError("x"), 400),
        (AuthenticationError("x"), 401),
        (ModelNotFoundError("x"), 404),
        (ConflictError("x"), 409),
        (ServiceUnavailableError("x"), 503),
        (GatewayError("x"), 500),
        (perr(ProviderErrorKind.RATE_LIMITED), 429),
        (perr(ProviderErrorKind.TIMEOUT), 504),
        (perr(ProviderErrorKind.SERVER), 502),
        (perr(ProviderErrorKind.BAD_REQUEST), 400),
        (AllProvidersFailedError([perr(ProviderErrorKind.SERVER), perr(ProviderErrorKind.OVERLOADED)]), 503),
    ],
)
def test_status_of_maps_each_error(error: GatewayError, status: int) -> None:
    assert status_of(error) == status


def test_hash_key_is_stable_and_not_the_key() -> None:
    key = "lgw-abcdefghijklmnopqrstuvwxyz0123456789"
    assert hash_key(key) == hash_key(key)
    assert key not in hash_key(key)
    assert shown_prefix(key) == "lgw-abcdefgh"


@pytest.mark.parametrize(
    ("secret", "masked"),
    [(None, None), ("", None), ("short", "****"), ("sk-1234567890abcdef", "****cdef")],
)
def test_mask_secret_shows_at_most_four_characters(secret: str | None, masked: str | None) -> None:
    assert mask_secret(secret) == masked


@pytest.mark.parametrize(("chars", "tokens"), [(0, 0), (1, 1), (4, 1), (5, 2), (400, 100)])
def test_tokens_for_chars_rounds_up(chars: int, tokens: int) -> None:
    assert tokens_for_chars(chars) == tokens
    assert estimate_tokens("x" * chars) == tokens
