"""Anything the SDK, its transport or our decoding raises -> a classified `ProviderError`.

Classified status-first, then the vendor's error type/code, then its message. Measured with
openai 3.54 on its aiohttp transport: a refused connection comes out as `APITimeoutError` (the
vendored transport maps aiohttp's `ClientConnectorError` to `httpx2.ConnectTimeout`), so timeouts
are checked against the real cause; a cut or stalled stream raises raw `httpx2.ReadError` /
`ReadTimeout` from the body iterator, not an SDK error.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from email.utils import parsedate_to_datetime

import aiohttp
import httpx2
import msgspec
import openai

from adapters.llm.openai.wire import ErrorObject, InBandError, MalformedResponse, StreamTruncated
from domain.errors import ProviderError
from domain.errors import ProviderErrorKind as Kind

# What `complete` / `stream` catch and translate.
FAILURES: tuple[type[BaseException], ...] = (
    openai.APIError, httpx2.HTTPError, aiohttp.ClientError, OSError,  # OSError covers TimeoutError
    msgspec.MsgspecError, MalformedResponse, InBandError,
)

_CONTEXT = re.compile(r"context.length|context window|maximum context"
                      r"|prompt is too long|too many tokens", re.I)
_FILTER = re.compile(r"content.(?:management.)?(?:filter|policy)", re.I)
_OVERLOAD = re.compile(r"overload", re.I)
_KEYLIKE = re.compile(r"\b(?:sk|pk|rk)-[\w\-*.]{4,}|(?<=Bearer )\S+|(?<=key=)[^\s&\"']+", re.I)
_TOKEN = re.compile(r"[\w\-]{10,}")
MAX_MESSAGE = 500
MIN_SECRET = 8  # shorter "secrets" (placeholders, flags) are not worth garbling messages for


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
            kind, message = Kind.SERVER, f"malformed response from the vendor: {exc}"
        case _ if _is_timeout(exc):
            kind, message = Kind.TIMEOUT, "the vendor did not answer in time"
        case _:
            kind, message = Kind.CONNECTION, f"connection to the vendor failed ({type(_root(exc)).__name__})"
    message = scrub(message[:MAX_MESSAGE], secrets)
    return ProviderError(message, provider=provider, kind=kind, status=status, retry_after=retry_after)


def _kind_for_status(status: int, error: ErrorObject) -> Kind:
    if status == 429:
        return Kind.RATE_LIMITED
    if status in (401, 402, 403):  # this account's key, billing or permissions: another may work
        return Kind.AUTH
    if status == 404:
        return Kind.NOT_FOUND
    if status == 408:
        return Kind.TIMEOUT
    if status in (503, 529):
        return Kind.OVERLOADED
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


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _root(exc: BaseException) -> BaseException:
    return _chain(exc)[-1]


def _is_timeout(exc: BaseException) -> bool:
    """A real timeout somewhere in the chain, or a timeout-typed error with no connection failure under it."""
    chain = _chain(exc)
    if any(isinstance(e, TimeoutError) for e in chain):
        return True
    if any(isinstance(e, OSError | aiohttp.ClientConnectionError | StreamTruncated) for e in chain):
        return False
    return isinstance(exc, openai.APITimeoutError | httpx2.TimeoutException)


def parse_retry_after(headers: httpx2.Headers) -> float | None:
    """`retry-after-ms` (OpenAI), else `Retry-After` in seconds or as an HTTP date."""
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
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
            text = _TOKEN.sub(lambda m, s=secret: "***" if m.group() in s else m.group(), text)
    return _KEYLIKE.sub("***", text)
