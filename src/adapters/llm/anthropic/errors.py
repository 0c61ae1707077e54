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
import time
from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from functools import partial

import aiohttp
import anthropic
import httpx2
import msgspec

from adapters.llm.anthropic.wire import ErrorObject, InBandError, MalformedResponse, StreamTruncated
from domain.errors import ProviderError
from domain.errors import ProviderErrorKind as Kind

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
_KEYLIKE = re.compile(r"\b(?:sk|pk|rk)-[\w\-*.]{4,}|(?<=Bearer )\S+|(?<=key=)[^\s&\"']+", re.I)
_TOKEN = re.compile(r"[\w\-]{10,}")
MAX_MESSAGE = 500
MIN_SECRET = 8  # shorter "secrets" (placeholders) are not worth garbling messages for


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
            kind, message = Kind.SERVER, f"malformed response from the vendor: {exc}"
        case _ if _is_timeout(exc):
            kind, message = Kind.TIMEOUT, "the vendor did not answer in time"
        case _:
            kind, message = Kind.CONNECTION, f"connection to the vendor failed ({type(_chain(exc)[-1]).__name__})"
    message = scrub(message[:MAX_MESSAGE], secrets)
    return ProviderError(message, provider=provider, kind=kind, status=status, retry_after=retry_after)


def _kind_for_status(status: int, error: ErrorObject) -> Kind:
    if status == 429:
        return Kind.RATE_LIMITED
    if status in (401, 402, 403):
        return Kind.AUTH
    if status == 404:
        return Kind.NOT_FOUND
    if status in (408, 504):
        return Kind.TIMEOUT
    if status in (503, 529):
        return Kind.OVERLOADED
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


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _is_timeout(exc: BaseException) -> bool:
    """A real timeout somewhere in the chain, or a timeout-typed error with no connection failure under it."""
    chain = _chain(exc)
    if any(isinstance(e, TimeoutError) for e in chain):
        return True
    if any(isinstance(e, OSError | aiohttp.ClientConnectionError | StreamTruncated) for e in chain):
        return False
    return isinstance(exc, anthropic.APITimeoutError | httpx2.TimeoutException)


def parse_retry_after(headers: httpx2.Headers) -> float | None:
    """`retry-after` in seconds (what Anthropic sends) or as an HTTP date."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Remove the configured secrets, any long piece of them, and anything shaped like a key or token."""
    for secret in secrets:
        if len(secret) >= MIN_SECRET:
            text = text.replace(secret, "***")
            text = _TOKEN.sub(partial(_mask_if_part_of, secret), text)
    return _KEYLIKE.sub("***", text)


def _mask_if_part_of(secret: str, match: re.Match[str]) -> str:
    return "***" if match.group() in secret else match.group()
