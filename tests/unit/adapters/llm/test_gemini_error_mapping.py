"""google-genai / aiohttp / decoding exceptions -> classified ProviderError."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import aiohttp
import msgspec
import pytest
from google.genai import errors as genai_errors

from adapters.llm.gemini.errors import to_provider_error
from adapters.llm.gemini.wire import (
    ErrorObject,
    InBandError,
    MalformedResponse,
    PromptBlocked,
    PromptFeedback,
    StreamTruncated,
)
from domain.errors import ProviderErrorKind as Kind

pytestmark = pytest.mark.unit

KEY = "AIzaSyUnit-abcdefghijklmnopqrstuvwxyz012"
INVALID_KEY = {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}


def api_error(code: int, message: str, status: str | None = None, details: list[dict[str, Any]] | None = None,
              headers: dict[str, str] | None = None) -> genai_errors.APIError:
    body: dict[str, Any] = {"error": {"code": code, "message": message, "status": status, "details": details or []}}
    response = SimpleNamespace(headers=headers or {})
    cls = genai_errors.ClientError if code < 500 else genai_errors.ServerError
    return cls(code, body, response)  # type: ignore[arg-type]


def convert(exc: BaseException) -> Any:
    return to_provider_error(exc, provider="g", secrets=(KEY,))


@pytest.mark.parametrize(("code", "status", "message", "details", "kind"), [
    (429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", None, Kind.RATE_LIMITED),
    (401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", None, Kind.AUTH),
    (403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.", None, Kind.AUTH),
    (400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [INVALID_KEY], Kind.AUTH),
    (400, "INVALID_ARGUMENT", "API key expired. Please renew the API key.", None, Kind.AUTH),
    (400, "FAILED_PRECONDITION", "User location is not supported for the API use.", None, Kind.AUTH),
    (404, "NOT_FOUND", "models/x is not found for API version v1", None, Kind.NOT_FOUND),
    (400, "INVALID_ARGUMENT", "The input token count (1290583) exceeds the maximum number of tokens allowed "
                              "(1048576).", None, Kind.CONTEXT_LENGTH),
    (400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified", None, Kind.BAD_REQUEST),
    (500, "INTERNAL", "An internal error has occurred.", None, Kind.SERVER),
    (500, "INTERNAL", "The model is overloaded. Please try again later.", None, Kind.OVERLOADED),
    (502, None, "Bad Gateway", None, Kind.SERVER),
    (503, "UNAVAILABLE", "The model is overloaded.", None, Kind.OVERLOADED),
    (504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete.", None, Kind.TIMEOUT),
])
def test_status_errors_are_classified_status_first(
    code: int, status: str | None, message: str, details: list[dict[str, Any]] | None, kind: Kind
) -> None:
    error = convert(api_error(code, message, status, details))

    assert (error.kind, error.status, error.message, error.retry_after) == (kind, code, message, None)


@pytest.mark.parametrize(("details", "headers", "retry_after"), [
    ([{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}], {"Retry-After": "5"}, 37.0),
    ([{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0.250s"}], {}, 0.25),
    ([], {"Retry-After": "5"}, 5.0),
    ([], {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, None),
    ([{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "soon"}], {}, None),
])
def test_retry_info_wins_over_the_retry_after_header(
    details: list[dict[str, Any]], headers: dict[str, str], retry_after: float | None
) -> None:
    assert convert(api_error(429, "Slow down", details=details, headers=headers)).retry_after == retry_after


def test_a_body_that_was_not_json_keeps_its_text() -> None:
    exc = genai_errors.ServerError(502, {"message": "<html>Bad Gateway</html>", "status": "Bad Gateway"}, None)

    error = convert(exc)

    assert (error.kind, error.status, error.message) == (Kind.SERVER, 502, "<html>Bad Gateway</html>")


def timeout_in_chain() -> BaseException:
    outer = aiohttp.ClientPayloadError("payload")
    outer.__cause__ = TimeoutError()
    return outer


@pytest.mark.parametrize(("exc", "kind"), [
    (InBandError(ErrorObject(code=503, message="overloaded", status="UNAVAILABLE")), Kind.OVERLOADED),
    (InBandError(ErrorObject(message="broken")), Kind.SERVER),
    (PromptBlocked(PromptFeedback(block_reason="SAFETY")), Kind.CONTENT_FILTER),
    (msgspec.DecodeError("truncated"), Kind.SERVER),
    (json.JSONDecodeError("Expecting value", "x", 0), Kind.SERVER),
    (MalformedResponse("no candidates"), Kind.SERVER),
    (TimeoutError(), Kind.TIMEOUT),
    (aiohttp.ConnectionTimeoutError("connect"), Kind.TIMEOUT),
    (timeout_in_chain(), Kind.TIMEOUT),
    (aiohttp.ClientPayloadError("Response payload is not completed"), Kind.CONNECTION),
    (aiohttp.ServerDisconnectedError(), Kind.CONNECTION),
    (ConnectionRefusedError(111, "Connect call failed"), Kind.CONNECTION),
    (StreamTruncated("ended early"), Kind.CONNECTION),
])
def test_other_failures(exc: BaseException, kind: Kind) -> None:
    error = convert(exc)

    assert (error.kind, error.status, error.retry_after) == (kind, None, None)
    assert error.message and error.provider == "g"


def test_secrets_and_key_shapes_are_scrubbed_from_vendor_messages() -> None:
    message = f"bad key {KEY}, tail {KEY[-14:]}, url https://h/v1/m?key=AIzaOther123&alt=sse, other AIzaSy{'x' * 33}"

    error = convert(api_error(400, message))

    assert error.message == "bad key ***, tail ***, url https://h/v1/m?key=***&alt=sse, other ***"
