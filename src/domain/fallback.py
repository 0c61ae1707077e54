"""When a failed attempt may move on to the next target, and how long each attempt may take."""

from __future__ import annotations

import msgspec

from domain.errors import ProviderError, ProviderErrorKind

RETRYABLE: frozenset[ProviderErrorKind] = frozenset(
    {
        ProviderErrorKind.RATE_LIMITED,
        ProviderErrorKind.OVERLOADED,
        ProviderErrorKind.TIMEOUT,
        ProviderErrorKind.CONNECTION,
        ProviderErrorKind.SERVER,
        ProviderErrorKind.AUTH,  # this provider's key is bad (the breaker marks it); another's may not be
        ProviderErrorKind.NOT_FOUND,  # this provider lacks the model; another may have it
    }
)


class FallbackPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """`retry_on`: the failures that move on. A bad request never does (it fails everywhere);
    a context-length refusal does only when the operator says so (targets may differ in window)."""

    retry_on: frozenset[ProviderErrorKind] = RETRYABLE

    @classmethod
    def standard(cls, *, context_length_moves_on: bool = False) -> FallbackPolicy:
        extra = {ProviderErrorKind.CONTEXT_LENGTH} if context_length_moves_on else set()
        return cls(retry_on=RETRYABLE | extra)

    def __post_init__(self) -> None:
        if ProviderErrorKind.BAD_REQUEST in self.retry_on:
            raise ValueError("a bad request is never retried elsewhere")

    def should_try_next(self, error: ProviderError, *, first_byte_sent: bool = False) -> bool:
        """Move on only after a failure another target may not share, and never once the
        client has received part of an answer."""
        return not first_byte_sent and error.kind in self.retry_on


def should_try_next(error: ProviderError, *, first_byte_sent: bool = False) -> bool:
    """The standard policy's answer."""
    return FallbackPolicy().should_try_next(error, first_byte_sent=first_byte_sent)


def attempt_timeout(provider_timeout_s: float, deadline_left_s: float) -> float | None:
    """How long the next attempt may take: its provider's timeout, cut to what is left of the
    request's deadline. None: the deadline has passed, make no further attempt."""
    if deadline_left_s <= 0:
        return None
    return min(provider_timeout_s, deadline_left_s)
