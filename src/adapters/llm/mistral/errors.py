"""Anything the SDK, its transport or our decoding raises -> a classified `ProviderError`.

Classified status-first, then Mistral's error `type`, then its message. mistralai 3.7 raises
`SDKError` (a `MistralError` with `status_code`, `headers` and the raw `body`) for every 4xx/5xx,
`HTTPValidationError` for 422, and lets transport failures through raw: `httpx2.TimeoutException`
for a timeout, `httpx2.ConnectError` for a refused connection, `httpx2.RemoteProtocolError` /
`ReadError` for a stream cut mid-way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import httpx2
import msgspec
from mistralai.client.errors import MistralError

from adapters.llm.common.errors import exception_chain, kind_for_status, malformed, provider_error, transport_failure
from adapters.llm.common.retry_after import parse_retry_after
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
            kind, message = malformed(exc)
        case _:
            kind, message = transport_failure(exc, timed_out=_is_timeout(exc))
    return provider_error(kind, message, provider=provider, secrets=secrets, status=status, retry_after=retry_after)


def _kind_for_status(status: int, error_type: str, message: str) -> Kind:
    if status not in (429, 401, 402, 403) and (error_type == "invalid_model" or message.startswith("Invalid model")):
        return Kind.NOT_FOUND  # a 400 at Mistral
    # a 429 includes `service_tier_capacity_exceeded`: retrying elsewhere is right either way
    if (kind := kind_for_status(status)) is not None:
        return kind
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


def _is_timeout(exc: BaseException) -> bool:
    return any(isinstance(e, TimeoutError | httpx2.TimeoutException) for e in exception_chain(exc))
