"""SDK / transport / decoding exceptions -> classified ProviderError."""

from __future__ import annotations

import itertools

import aiohttp
import httpx2
import msgspec
import openai
import pytest

from adapters.llm.openai.errors import to_provider_error
from adapters.llm.openai.wire import ErrorObject, InBandError, MalformedResponse, StreamTruncated
from domain.errors import ProviderErrorKind as Kind

pytestmark = pytest.mark.unit

REQUEST = httpx2.Request("POST", "https://api.example.test/v1/chat/completions")
KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123"


def status_error(status: int, error: dict[str, object], headers: dict[str, str] | None = None) -> Exception:
    response = httpx2.Response(status, headers=headers, request=REQUEST)
    client = openai.AsyncOpenAI(api_key="x", base_url="https://api.example.test/v1")
    return client._make_status_error(f"Error code: {status}", body={"error": error}, response=response)


def chained(*excs: BaseException) -> BaseException:
    """excs[0] raised from excs[1] raised from ..."""
    for outer, inner in itertools.pairwise(excs):
        outer.__cause__ = inner
    return excs[0]


@pytest.mark.parametrize(
    ("status", "error", "kind"),
    [
        (429, {"message": "Rate limit reached", "code": "rate_limit_exceeded"}, Kind.RATE_LIMITED),
        (429, {"message": "You exceeded your quota", "code": "insufficient_quota"}, Kind.RATE_LIMITED),
        (401, {"message": "Incorrect API key provided"}, Kind.AUTH),
        (402, {"message": "Payment required"}, Kind.AUTH),
        (403, {"message": "Country not supported"}, Kind.AUTH),
        (404, {"message": "The model does not exist", "code": "model_not_found"}, Kind.NOT_FOUND),
        (408, {"message": "Request timeout"}, Kind.TIMEOUT),
        (400, {"message": "Too long", "code": "context_length_exceeded"}, Kind.CONTEXT_LENGTH),
        (400, {"message": "This model's maximum context length is 4096 tokens."}, Kind.CONTEXT_LENGTH),
        (400, {"message": "Flagged", "code": "content_filter"}, Kind.CONTENT_FILTER),
        (400, {"message": "Filtered by our content management policy."}, Kind.CONTENT_FILTER),
        (400, {"message": "Invalid value for 'temperature'", "param": "temperature"}, Kind.BAD_REQUEST),
        (422, {"message": "Extra inputs are not permitted"}, Kind.BAD_REQUEST),
        (500, {"message": "The server had an error"}, Kind.SERVER),
        (502, {"message": "Bad gateway"}, Kind.SERVER),
        (502, {"message": "busy", "type": "overloaded_error"}, Kind.OVERLOADED),
        (503, {"message": "Service unavailable"}, Kind.OVERLOADED),
        (529, {"message": "Overloaded"}, Kind.OVERLOADED),
    ],
)
def test_status_errors_are_classified_status_first(status: int, error: dict[str, object], kind: Kind) -> None:
    result = to_provider_error(status_error(status, error), provider="p")

    assert (result.kind, result.status, result.provider) == (kind, status, "p")
    assert result.message == error["message"]


def test_non_json_error_body_keeps_its_text() -> None:
    response = httpx2.Response(502, text="<html>Bad Gateway</html>", request=REQUEST)
    exc = openai.InternalServerError("Error code: 502", response=response, body="<html>Bad Gateway</html>")

    result = to_provider_error(exc, provider="p")

    assert (result.kind, result.message) == (Kind.SERVER, "<html>Bad Gateway</html>")


def test_rate_limit_carries_retry_after() -> None:
    exc = status_error(429, {"message": "slow down"}, {"Retry-After": "20"})

    assert to_provider_error(exc, provider="p").retry_after == 20.0


def test_refused_connection_reported_as_sdk_timeout_is_a_connection_error() -> None:
    # what openai 3.54's aiohttp transport really raises for ECONNREFUSED
    os_error = ConnectionRefusedError(111, "Connect call failed")
    refused = aiohttp.ClientConnectorError(aiohttp.client_reqrep.ConnectionKey(
        "127.0.0.1", 1, False, True, None, None, None), os_error)
    exc = chained(openai.APITimeoutError(request=REQUEST), httpx2.ConnectTimeout("x"), refused, os_error)

    assert to_provider_error(exc, provider="p").kind is Kind.CONNECTION


@pytest.mark.parametrize(
    "exc",
    [
        chained(openai.APITimeoutError(request=REQUEST), httpx2.ReadTimeout("t"),
                aiohttp.SocketTimeoutError()),
        chained(httpx2.ReadTimeout("t"), aiohttp.SocketTimeoutError()),
        openai.APITimeoutError(request=REQUEST),
        httpx2.ConnectTimeout("t"),
        TimeoutError(),
    ],
)
def test_timeouts_are_timeouts(exc: BaseException) -> None:
    result = to_provider_error(exc, provider="p")

    assert (result.kind, result.status) == (Kind.TIMEOUT, None)


@pytest.mark.parametrize(
    "exc",
    [
        chained(httpx2.ReadError("cut"), aiohttp.ClientPayloadError("Response payload is not completed")),
        openai.APIConnectionError(request=REQUEST),
        StreamTruncated("ended early"),
        aiohttp.ServerDisconnectedError(),
    ],
)
def test_transport_failures_are_connection_errors(exc: BaseException) -> None:
    assert to_provider_error(exc, provider="p").kind is Kind.CONNECTION


@pytest.mark.parametrize("exc", [msgspec.DecodeError("bad"), MalformedResponse("no choices")])
def test_unusable_bodies_are_server_errors(exc: BaseException) -> None:
    assert to_provider_error(exc, provider="p").kind is Kind.SERVER


@pytest.mark.parametrize(
    ("error", "kind"),
    [(ErrorObject(message="boom"), Kind.SERVER), (ErrorObject(message="x", code="context_length_exceeded"),
                                                 Kind.CONTEXT_LENGTH),
     (ErrorObject(message="Model is overloaded"), Kind.OVERLOADED)],
)
def test_in_band_errors_are_classified_by_code_and_message(error: ErrorObject, kind: Kind) -> None:
    assert to_provider_error(InBandError(error), provider="p").kind is kind
