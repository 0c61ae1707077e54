"""The vendor-neutral ends of every adapter's exception -> `ProviderError` translation."""

from __future__ import annotations

from collections.abc import Iterable

import aiohttp

from adapters.llm.common.secrets import scrub
from domain.errors import ProviderError
from domain.errors import ProviderErrorKind as Kind

MAX_MESSAGE = 500


def exception_chain(exc: BaseException) -> list[BaseException]:
    """`exc`, then its cause (or context), and so on down to the root; cycles stop the walk."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def malformed(exc: BaseException) -> tuple[Kind, str]:
    """A 2xx body we could not decode or use."""
    return Kind.SERVER, f"malformed response from the vendor: {exc}"


def transport_failure(exc: BaseException, *, timed_out: bool) -> tuple[Kind, str]:
    """No answer: a timeout, else a connection failure named after the root cause."""
    if timed_out:
        return Kind.TIMEOUT, "the vendor did not answer in time"
    return Kind.CONNECTION, f"connection to the vendor failed ({type(exception_chain(exc)[-1]).__name__})"


def provider_error(
    kind: Kind, message: str, *, provider: str, secrets: Iterable[str],
    status: int | None = None, retry_after: float | None = None,
) -> ProviderError:
    """The classified error, its message cut to `MAX_MESSAGE` and scrubbed of `secrets`."""
    message = scrub(message[:MAX_MESSAGE], secrets)
    return ProviderError(message, provider=provider, kind=kind, status=status, retry_after=retry_after)


def timed_out(exc: BaseException, *, sdk_timeouts: tuple[type[BaseException], ...]) -> bool:
    """A real timeout somewhere in the chain, or an SDK timeout-typed `exc` with no connection failure
    under it (an SDK on aiohttp may report a refused connection as a connect timeout)."""
    chain = exception_chain(exc)
    if any(isinstance(e, TimeoutError) for e in chain):
        return True
    if any(isinstance(e, OSError | aiohttp.ClientConnectionError) for e in chain):
        return False
    return isinstance(exc, sdk_timeouts)


def kind_for_status(status: int, *, timeouts: tuple[int, ...] = (408,)) -> Kind | None:
    """What the HTTP status alone says, alike at every vendor; None when the body must decide."""
    if status == 429:
        return Kind.RATE_LIMITED
    if status in (401, 402, 403):  # this account's key, billing or permissions: another may work
        return Kind.AUTH
    if status == 404:
        return Kind.NOT_FOUND
    if status in timeouts:
        return Kind.TIMEOUT
    if status in (503, 529):
        return Kind.OVERLOADED
    return None
