"""Anything the SDK, its transport or our decoding raises -> a classified `ProviderError`.

Classified status-first, then the vendor's error type/code, then its message. Measured with
openai 3.54 on its aiohttp transport: a refused connection comes out as `APITimeoutError` (the
vendored transport maps aiohttp's `ClientConnectorError` to `httpx2.ConnectTimeout`), so timeouts
are checked against the real cause; a cut or stalled stream raises raw `httpx2.ReadError` /
`ReadTimeout` from the body iterator, not an SDK error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import aiohttp
import httpx2
import msgspec
import openai

from adapters.llm.common.errors import kind_for_status, malformed, provider_error, timed_out, transport_failure
from adapters.llm.common.retry_after import parse_retry_after
from adapters.llm.openai.wire import ErrorObject, InBandError, MalformedResponse
from domain.errors import ProviderError
from domain.errors import ProviderErrorKind as Kind

# Timeout-typed errors the SDK raises (checked against their real cause).
_SDK_TIMEOUTS = (openai.APITimeoutError, httpx2.TimeoutException)

# What `complete` / `stream` catch and translate.
FAILURES: tuple[type[BaseException], ...] = (
    openai.APIError, httpx2.HTTPError, aiohttp.ClientError, OSError,  # OSError covers TimeoutError
    msgspec.MsgspecError, MalformedResponse, InBandError,
)

_CONTEXT = re.compile(r"context.length|context window|maximum context"
                      r"|prompt is too long|too many tokens", re.I)
_FILTER = re.compile(r"content.(?:management.)?(?:filter|policy)", re.I)
_OVERLOAD = re.compile(r"overload", re.I)


def to_provider_error(exc: BaseException, *, provider: str, secrets: Iterable[str] = ()) -> ProviderError:
    status: int | None = None
    retry_after: float | None = None
    match exc:
        case openai.APIStatusError():
            status, error = exc.status_code, _error_object(exc.body, exc.message)
            kind, message = _kind_for_status(status, error), error.message or f"HTTP {status}"
            retry_after = parse_retry_after(exc.response.headers)
        case InBandError(error=error):
            kind, message = _kind_for_error(error, default=Kind.SERVER), error.message or str(exc)
        case msgspec.MsgspecError() | MalformedResponse():
            kind, message = malformed(exc)
        case _:
            kind, message = transport_failure(exc, timed_out=timed_out(exc, sdk_timeouts=_SDK_TIMEOUTS))
    return provider_error(kind, message, provider=provider, secrets=secrets, status=status, retry_after=retry_after)


def _kind_for_status(status: int, error: ErrorObject) -> Kind:
    if (kind := kind_for_status(status)) is not None:
        return kind
    if status >= 500:
        return Kind.OVERLOADED if _overloaded(error) else Kind.SERVER
    return _kind_for_error(error, default=Kind.BAD_REQUEST)


def _kind_for_error(error: ErrorObject, *, default: Kind) -> Kind:
    code, type_, message = str(error.code or ""), error.type or "", error.message or ""
    if code == "context_length_exceeded" or _CONTEXT.search(message):
        return Kind.CONTEXT_LENGTH
    if "content_filter" in (code, type_) or code == "content_policy_violation" or _FILTER.search(message):
        return Kind.CONTENT_FILTER
    return Kind.OVERLOADED if default is Kind.SERVER and _overloaded(error) else default


def _overloaded(error: ErrorObject) -> bool:
    return any(_OVERLOAD.search(str(v or "")) for v in (error.type, error.code, error.message))


def _error_object(body: object, fallback: str) -> ErrorObject:
    """The SDK hands over `body["error"]` when the body is JSON, else the raw text."""
    if isinstance(body, dict):
        try:
            return msgspec.convert(body, ErrorObject, strict=False)
        except msgspec.ValidationError:
            pass
    return ErrorObject(message=body if isinstance(body, str) and body else fallback)
