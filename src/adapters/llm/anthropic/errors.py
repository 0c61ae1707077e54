"""Anything the SDK, its transport or our decoding raises -> a classified `ProviderError`.

Classified status-first, then by message; an in-band error (no status) by Anthropic's error
`type`. Measured with anthropic 2.12 on its aiohttp transport: a refused connection is
`APIConnectionError` over `httpx2.ConnectError`, a slow answer `APITimeoutError` over
`httpx2.ReadTimeout`; once the body streams, the SDK wraps nothing: a cut comes out raw as
`httpx2.ReadError` from the body iterator (VENDOR_NOTES: `RemoteProtocolError` on the httpx
transport), a stall as raw `httpx2.ReadTimeout`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import aiohttp
import anthropic
import httpx2
import msgspec

from adapters.llm.anthropic.wire import ErrorObject, InBandError, MalformedResponse
from adapters.llm.common.errors import kind_for_status, malformed, provider_error, timed_out, transport_failure
from adapters.llm.common.retry_after import parse_retry_after
from domain.errors import ProviderError
from domain.errors import ProviderErrorKind as Kind

# Timeout-typed errors the SDK raises (checked against their real cause).
_SDK_TIMEOUTS = (anthropic.APITimeoutError, httpx2.TimeoutException)

# What `complete` / `stream` catch and translate.
FAILURES: tuple[type[BaseException], ...] = (
    anthropic.APIError, httpx2.HTTPError, aiohttp.ClientError, OSError,  # OSError covers TimeoutError
    msgspec.MsgspecError, MalformedResponse, InBandError,
)

# Anthropic's error types, for in-band errors (which come without a status).
_BY_TYPE: dict[str, Kind] = {
    "rate_limit_error": Kind.RATE_LIMITED,
    "overloaded_error": Kind.OVERLOADED,
    "timeout_error": Kind.TIMEOUT,
    "api_error": Kind.SERVER,
    "authentication_error": Kind.AUTH,
    "permission_error": Kind.AUTH,
    "billing_error": Kind.AUTH,  # this account's billing: another account may work
    "not_found_error": Kind.NOT_FOUND,
    "request_too_large": Kind.BAD_REQUEST,
    "invalid_request_error": Kind.BAD_REQUEST,
}
_CONTEXT = re.compile(r"prompt is too long|context (?:window|length|limit)|maximum context|too many tokens", re.I)


def to_provider_error(exc: BaseException, *, provider: str, secrets: Iterable[str] = ()) -> ProviderError:
    status: int | None = None
    retry_after: float | None = None
    match exc:
        case anthropic.APIStatusError():
            status, error = exc.status_code, _error_object(exc.body)
            kind, message = _kind_for_status(status, error), error.message or f"HTTP {status}"
            retry_after = parse_retry_after(exc.response.headers)
        case InBandError(error=error):
            kind, message = _kind_for_type(error), error.message or str(exc)
        case msgspec.MsgspecError() | MalformedResponse():
            kind, message = malformed(exc)
        case _:
            kind, message = transport_failure(exc, timed_out=timed_out(exc, sdk_timeouts=_SDK_TIMEOUTS))
    return provider_error(kind, message, provider=provider, secrets=secrets, status=status, retry_after=retry_after)


def _kind_for_status(status: int, error: ErrorObject) -> Kind:
    if (kind := kind_for_status(status, timeouts=(408, 504))) is not None:
        return kind
    if status >= 500:
        return Kind.OVERLOADED if error.type == "overloaded_error" else Kind.SERVER
    return _refine(error)  # 400, 413, 422 and any other 4xx


def _kind_for_type(error: ErrorObject) -> Kind:
    """An in-band error has no status: its type decides (unknown types count as server errors)."""
    kind = _BY_TYPE.get(error.type or "", Kind.SERVER)
    return _refine(error) if kind is Kind.BAD_REQUEST else kind


def _refine(error: ErrorObject) -> Kind:
    """A bad request, unless the message says the prompt does not fit the context window."""
    return Kind.CONTEXT_LENGTH if _CONTEXT.search(error.message or "") else Kind.BAD_REQUEST


def _error_object(body: object) -> ErrorObject:
    """The SDK hands over the whole JSON envelope `{"type": "error", "error": {...}}`, else the text."""
    if isinstance(body, dict):
        try:
            return msgspec.convert(body.get("error"), ErrorObject, strict=False)
        except msgspec.ValidationError:
            pass
    return ErrorObject(message=body if isinstance(body, str) and body else None)
