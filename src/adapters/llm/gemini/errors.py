"""Anything the SDK, its aiohttp transport or our decoding raises -> a classified `ProviderError`.

Status-first, then Google's error details, then the message. Measured with google-genai 3.4 on
aiohttp: a non-2xx answer raises `errors.ClientError` / `ServerError` (`code` = HTTP status,
`details` = the parsed body); timeouts surface as bare `TimeoutError` (aiohttp's own, or ours
around a stream read); a refused connection as `aiohttp.ClientConnectorError`; a cut stream as
`aiohttp.ClientPayloadError`. Gemini says "bad key" with 400 + `API_KEY_INVALID`, not 401.
"""

from __future__ import annotations

import json
import re

import aiohttp
import msgspec
from google.genai import errors as genai_errors

from adapters.llm.common.errors import exception_chain, malformed, provider_error, transport_failure
from adapters.llm.gemini.wire import ErrorObject, InBandError, MalformedResponse, PromptBlocked, StreamTruncated
from domain.errors import ProviderError
from domain.errors import ProviderErrorKind as Kind

# What `complete` / `stream` catch and translate.
FAILURES: tuple[type[BaseException], ...] = (
    genai_errors.APIError, aiohttp.ClientError, OSError,  # OSError covers TimeoutError
    msgspec.MsgspecError, json.JSONDecodeError, MalformedResponse, InBandError, PromptBlocked,
)

_CONTEXT = re.compile(r"input token count.*exceeds|exceeds the maximum number of tokens"
                      r"|context.length|context window|too many tokens", re.I)
_OVERLOAD = re.compile(r"overload", re.I)
_BAD_KEY = re.compile(r"API key (?:not valid|expired|invalid)", re.I)
_TYPE_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"
_TYPE_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"


def to_provider_error(exc: BaseException, *, provider: str, secrets: tuple[str, ...] = ()) -> ProviderError:
    status: int | None = None
    retry_after: float | None = None
    match exc:
        case genai_errors.APIError():
            status, error = exc.code, _error_object(exc.details)
            kind = _kind_for_status(status, error)
            message = error.message or exc.message or f"HTTP {status}"
            retry_after = _retry_delay(error)
            if retry_after is None:
                retry_after = _retry_after_header(exc.response)
        case InBandError(error=error):
            kind = _kind_for_status(error.code, error) if error.code else Kind.SERVER
            message = error.message or str(exc)
        case PromptBlocked():
            kind, message = Kind.CONTENT_FILTER, str(exc)
        case msgspec.MsgspecError() | json.JSONDecodeError() | MalformedResponse():
            kind, message = malformed(exc)
        case _:
            kind, message = transport_failure(exc, timed_out=_is_timeout(exc))
    return provider_error(kind, message, provider=provider, secrets=secrets, status=status, retry_after=retry_after)


def _kind_for_status(status: int, error: ErrorObject) -> Kind:
    if status == 429:
        return Kind.RATE_LIMITED
    if status in (401, 403) or _bad_key(error):  # this account's key or permissions: another may work
        return Kind.AUTH
    if status == 404:
        return Kind.NOT_FOUND
    if status in (408, 504) or error.status == "DEADLINE_EXCEEDED":
        return Kind.TIMEOUT
    if status == 503 or error.status == "UNAVAILABLE":
        return Kind.OVERLOADED
    if status >= 500:
        return Kind.OVERLOADED if _OVERLOAD.search(error.message or "") else Kind.SERVER
    if error.status == "FAILED_PRECONDITION":  # e.g. "User location is not supported": this account's region
        return Kind.AUTH
    if _CONTEXT.search(error.message or ""):
        return Kind.CONTEXT_LENGTH
    return Kind.BAD_REQUEST


def _bad_key(error: ErrorObject) -> bool:
    reasons = (str(d.get("reason", "")) for d in error.details or () if d.get("@type") == _TYPE_ERROR_INFO)
    return any(r.startswith("API_KEY_") for r in reasons) or bool(_BAD_KEY.search(error.message or ""))


def _error_object(details: object) -> ErrorObject:
    """The SDK hands over the parsed body (`{"error": {...}}`), or `{"message", "status"}` built
    from a body that was not JSON."""
    body = details.get("error", details) if isinstance(details, dict) else None
    if isinstance(body, dict):
        try:
            return msgspec.convert(body, ErrorObject, strict=False)
        except msgspec.ValidationError:
            pass
    return ErrorObject(message=str(details) if details else None)


def _retry_delay(error: ErrorObject) -> float | None:
    """`google.rpc.RetryInfo.retryDelay` is a protobuf Duration in JSON: "37s", "0.5s"."""
    for detail in error.details or ():
        if detail.get("@type") == _TYPE_RETRY_INFO:
            try:
                return max(0.0, float(str(detail.get("retryDelay", "")).removesuffix("s")))
            except ValueError:
                return None
    return None


def _retry_after_header(response: object) -> float | None:
    headers = getattr(response, "headers", None)
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP-date: Google sends RetryInfo instead


def _is_timeout(exc: BaseException) -> bool:
    return not isinstance(exc, StreamTruncated) and any(isinstance(e, TimeoutError) for e in exception_chain(exc))
