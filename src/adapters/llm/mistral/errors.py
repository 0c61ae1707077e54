"""Anything the SDK, its transport or our decoding raises -> a classified `ProviderError`.

Classified status-first, then Mistral's error `type`, then its message. mistralai 3.7 raises
`SDKError` (a `MistralError` with `status_code`, `headers` and the raw `body`) for every 4xx/5xx,
`HTTPValidationError` for 422, and lets transport failures through raw: `httpx2.TimeoutException`
for a timeout, `httpx2.ConnectError` for a refused connection, `httpx2.RemoteProtocolError` /
`ReadError` for a stream cut mid-way.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from email.utils import parsedate_to_datetime
from typing import Any

import httpx2
import msgspec
from mistralai.client.errors import MistralError

from adapters.llm.mistral.wire import ERROR_DECODER, InBandError, MalformedResponse
from domain.errors import ProviderError
from domain.errors import ProviderErrorKind as Kind

# What `complete` / `stream` catch and translate.
FAILURES: tuple[type[BaseException], ...] = (
    MistralError, httpx2.HTTPError, OSError,  # OSError covers TimeoutError and `StreamTruncated`
    msgspec.MsgspecError, MalformedResponse, InBandError,
)

_CONTEXT = re.compile(r"context.length|context window|maximum context|too large for model"
                      r"|prompt is too long|too many tokens", re.I)
_FILTER = re.compile(r"content.(?:filter|policy)|guardrail|moderation", re.I)
_OVERLOAD = re.compile(r"overload|capacity", re.I)
_KEYLIKE = re.compile(r"(?<=Bearer )\S+|(?<=key=)[^\s&\"']+", re.I)
_TOKEN = re.compile(r"[\w\-]{10,}")
MAX_MESSAGE = 500
MIN_SECRET = 8  # shorter "secrets" (placeholders, flags) are not worth garbling messages for


def to_provider_error(exc: BaseException, *, provider: str, secrets: Iterable[str] = ()) -> ProviderError:
    status: int | None = None
    retry_after: float | None = None
    match exc:
        case MistralError():
            status = exc.status_code
            message, error_type = vendor_error(exc.body)
            kind = _kind_for_status(status, error_type, message)
            message = message or f"HTTP {status}"
            retry_after = parse_retry_after(exc.headers)
        case InBandError():
            kind, message = Kind.SERVER, str(exc)
        case msgspec.MsgspecError() | MalformedResponse():
            kind, message = Kind.SERVER, f"malformed response from the vendor: {exc}"
        case _ if _is_timeout(exc):
            kind, message = Kind.TIMEOUT, "the vendor did not answer in time"
        case _:
            kind, message = Kind.CONNECTION, f"connection to the vendor failed ({type(_chain(exc)[-1]).__name__})"
    message = scrub(message[:MAX_MESSAGE], secrets)
    return ProviderError(message, provider=provider, kind=kind, status=status, retry_after=retry_after)


def _kind_for_status(status: int, error_type: str, message: str) -> Kind:
    if status == 429:  # includes `service_tier_capacity_exceeded`: retrying elsewhere is right either way
        return Kind.RATE_LIMITED
    if status in (401, 402, 403):  # this account's key, billing or permissions: another may work
        return Kind.AUTH
    if status == 404 or error_type == "invalid_model" or message.startswith("Invalid model"):  # a 400 at Mistral
        return Kind.NOT_FOUND
    if status == 408:
        return Kind.TIMEOUT
    if status in (503, 529):
        return Kind.OVERLOADED
    if status >= 500:
        return Kind.OVERLOADED if _OVERLOAD.search(f"{error_type} {message}") else Kind.SERVER
    if _CONTEXT.search(message):
        return Kind.CONTEXT_LENGTH
    if _FILTER.search(f"{error_type} {message}"):
        return Kind.CONTENT_FILTER
    return Kind.BAD_REQUEST


def vendor_error(body: str) -> tuple[str, str]:
    """(message, error type) from an error body; a body that is not Mistral's JSON is the message."""
    try:
        error = ERROR_DECODER.decode(body)
    except msgspec.MsgspecError:
        return body.strip(), ""
    message = _flatten(error.message) or _flatten(error.detail) or body.strip()
    return message, error.type or ""


def _flatten(value: Any) -> str:
    """A 422's pydantic error list -> `body.stream_options: Extra inputs are not permitted; …`."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _flatten(value.get("detail")) if "detail" in value else msgspec.json.encode(value).decode()
    if isinstance(value, list):
        return "; ".join(_problem(item) for item in value)
    return ""


def _problem(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    location = ".".join(str(part) for part in item.get("loc") or ())
    problem = str(item.get("msg") or item.get("type") or "invalid")
    return f"{location}: {problem}" if location else problem


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _is_timeout(exc: BaseException) -> bool:
    return any(isinstance(e, TimeoutError | httpx2.TimeoutException) for e in _chain(exc))


def parse_retry_after(headers: httpx2.Headers) -> float | None:
    """`Retry-After` in seconds or as an HTTP date."""
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
    """Remove the configured secrets, any long piece of them, and bearer tokens / `key=` values."""
    for secret in (s for s in secrets if len(s) >= MIN_SECRET):
        text = _TOKEN.sub(_piece_of(secret), text.replace(secret, "***"))
    return _KEYLIKE.sub("***", text)


def _piece_of(secret: str) -> Callable[[re.Match[str]], str]:
    return lambda match: "***" if match.group() in secret else match.group()
