"""When a failed attempt may move on to the next target."""

from __future__ import annotations

from domain.errors import ProviderError, ProviderErrorKind

RETRYABLE: frozenset[ProviderErrorKind] = frozenset(
    {
        ProviderErrorKind.RATE_LIMITED,
        ProviderErrorKind.OVERLOADED,
        ProviderErrorKind.TIMEOUT,
        ProviderErrorKind.CONNECTION,
        ProviderErrorKind.SERVER,
        ProviderErrorKind.AUTH,  # this provider's key is bad; another provider's may not be
        ProviderErrorKind.NOT_FOUND,  # this provider lacks the model; another may have it
    }
)


def should_try_next(error: ProviderError, *, first_byte_sent: bool = False) -> bool:
    """Move on only after a failure another target may not share, and never once
    the client has received part of an answer."""
    return not first_byte_sent and error.kind in RETRYABLE
