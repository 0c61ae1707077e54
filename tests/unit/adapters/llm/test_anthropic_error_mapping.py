"""SDK / transport / decoding exceptions -> classified ProviderError, for the Anthropic adapter."""

from __future__ import annotations

import itertools

import aiohttp
import anthropic
import httpx2
import msgspec
import pytest

from adapters.llm.anthropic.errors import to_provider_error
from adapters.llm.anthropic.wire import ErrorObject, InBandError, MalformedResponse, StreamTruncated
from domain.errors import ProviderErrorKind as Kind

pytestmark = pytest.mark.unit

REQUEST = httpx2.Request("POST", "https://api.anthropic.test/v1/messages")
KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123"
CLIENT = anthropic.AsyncAnthropic(api_key="x", base_url="https://api.anthropic.test")


def status_error(status: int, type_: str, message: str, headers: dict[str, str] | None = None) -> Exception:
    """What the SDK raises for a non-2xx answer: the whole envelope is the body."""
    response = httpx2.Response(status, headers=headers, request=REQUEST)
    body = {"type": "error", "error": {"type": type_, "message": message}, "request_id": "req_1"}
    return CLIENT._make_status_error(f"Error code: {status} - {body}", body=body, response=response)


def chained(*excs: BaseException) -> BaseException:
    """excs[0] raised from excs[1] raised from ..."""
    for outer, inner in itertools.pairwise(excs):
        outer.__cause__ = inner
    return excs[0]


def classify(exc: BaseException, secrets: tuple[str, ...] = ()) -> tuple[Kind, int | None, str]:
    error = to_provider_error(exc, provider="claude", secrets=secrets)
    assert error.provider == "claude"
    return error.kind, error.status, error.message


@pytest.mark.parametrize(
    ("status", "type_", "message", "kind"),
    [
        (429, "rate_limit_error", "Number of request tokens has exceeded your rate limit", Kind.RATE_LIMITED),
        (529, "overloaded_error", "Overloaded", Kind.OVERLOADED),
        (503, "api_error", "Service unavailable", Kind.OVERLOADED),
        (500, "overloaded_error", "Overloaded", Kind.OVERLOADED),
        (500, "api_error", "Internal server error", Kind.SERVER),
        (502, "api_error", "Bad gateway", Kind.SERVER),
        (504, "timeout_error", "Request timed out", Kind.TIMEOUT),
        (401, "authentication_error", "invalid x-api-key", Kind.AUTH),
        (402, "billing_error", "Your credit balance is too low", Kind.AUTH),
        (403, "permission_error", "Your API key does not have permission", Kind.AUTH),
        (404, "not_found_error", "model: claude-nope", Kind.NOT_FOUND),
        (400, "invalid_request_error", "prompt is too long: 213462 tokens > 200000 maximum", Kind.CONTEXT_LENGTH),
        (400, "invalid_request_error", "input length and `max_tokens` exceed context limit: 197626 + 8192 > 200000",
         Kind.CONTEXT_LENGTH),
        (400, "invalid_request_error", "max_tokens: 300000 > 64000, which is the maximum allowed", Kind.BAD_REQUEST),
        (413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", Kind.BAD_REQUEST),
        (422, "invalid_request_error", "messages: roles must alternate", Kind.BAD_REQUEST),
    ],
)
def test_status_errors_are_classified_status_first_keeping_the_vendor_message(
    status: int, type_: str, message: str, kind: Kind
) -> None:
    assert classify(status_error(status, type_, message)) == (kind, status, message)


def test_a_non_json_error_body_keeps_its_text() -> None:
    response = httpx2.Response(502, request=REQUEST)
    exc = CLIENT._make_status_error("<html>Bad Gateway</html>", body="<html>Bad Gateway</html>", response=response)

    assert classify(exc) == (Kind.SERVER, 502, "<html>Bad Gateway</html>")


@pytest.mark.parametrize(
    ("type_", "kind"),
    [("overloaded_error", Kind.OVERLOADED), ("rate_limit_error", Kind.RATE_LIMITED), ("api_error", Kind.SERVER),
     ("timeout_error", Kind.TIMEOUT), ("authentication_error", Kind.AUTH), ("invalid_request_error", Kind.BAD_REQUEST),
     ("brand_new_error", Kind.SERVER)],
)
def test_in_band_errors_are_classified_by_type(type_: str, kind: Kind) -> None:
    assert classify(InBandError(ErrorObject(type=type_, message="said so"))) == (kind, None, "said so")


def test_an_in_band_context_error_is_a_context_length_error() -> None:
    error = ErrorObject(type="invalid_request_error", message="prompt is too long: 300000 tokens")

    assert classify(InBandError(error))[0] is Kind.CONTEXT_LENGTH


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (chained(anthropic.APITimeoutError(REQUEST), httpx2.ReadTimeout("timed out"), aiohttp.SocketTimeoutError()),
         Kind.TIMEOUT),
        (chained(httpx2.ReadTimeout("stalled"), aiohttp.SocketTimeoutError()), Kind.TIMEOUT),
        (TimeoutError(), Kind.TIMEOUT),
        (chained(anthropic.APIConnectionError(request=REQUEST), httpx2.ConnectError("refused"),
                 ConnectionRefusedError(111, "Connection refused")), Kind.CONNECTION),
        (chained(httpx2.ReadError("payload"), aiohttp.ClientPayloadError("not completed")), Kind.CONNECTION),
        (httpx2.RemoteProtocolError("peer closed connection without sending complete message body"),
         Kind.CONNECTION),
        (StreamTruncated("the stream ended before message_stop"), Kind.CONNECTION),
    ],
)
def test_transport_failures_are_timeouts_or_connection_errors(exc: BaseException, kind: Kind) -> None:
    assert classify(exc)[:2] == (kind, None)


@pytest.mark.parametrize("exc", [msgspec.DecodeError("JSON is malformed"), MalformedResponse("no id")])
def test_bodies_we_cannot_read_are_server_errors(exc: Exception) -> None:
    kind, status, message = classify(exc)

    assert (kind, status) == (Kind.SERVER, None) and message.startswith("malformed response from the vendor")


def test_a_rate_limit_error_carries_retry_after() -> None:
    exc = status_error(429, "rate_limit_error", "slow down", headers={"retry-after": "7"})

    assert to_provider_error(exc, provider="claude").retry_after == 7.0


def test_the_key_and_key_shaped_text_never_reach_the_message() -> None:
    exc = status_error(401, "authentication_error", f"invalid x-api-key {KEY}; tail {KEY[-14:]}; other sk-ant-zz99yy88")

    _, _, message = classify(exc, secrets=(KEY,))

    assert KEY not in message and KEY[-14:] not in message and "sk-ant-zz99" not in message
    assert message.startswith("invalid x-api-key ***")
