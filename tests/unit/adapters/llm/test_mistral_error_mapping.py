"""mistralai SDK / transport / decoding exceptions -> classified ProviderError."""

from __future__ import annotations

import json

import httpx2
import msgspec
import pytest
from mistralai.client.errors import HTTPValidationError, SDKError
from mistralai.client.errors.httpvalidationerror import HTTPValidationErrorData

from adapters.llm.mistral.errors import to_provider_error
from adapters.llm.mistral.wire import InBandError, MalformedResponse, StreamTruncated
from domain.errors import ProviderErrorKind as Kind

pytestmark = pytest.mark.unit

REQUEST = httpx2.Request("POST", "https://api.mistral.ai/v1/chat/completions")
KEY = "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE"  # Mistral keys: 32 letters and digits, no prefix


def sdk_error(status: int, body: object, headers: dict[str, str] | None = None) -> SDKError:
    text = body if isinstance(body, str) else json.dumps(body)
    response = httpx2.Response(status, headers=headers, text=text, request=REQUEST)
    return SDKError("API error occurred", response, text)


def mistral_error(message: object, type: str | None = None, code: str | None = None) -> dict[str, object]:
    return {"object": "error", "message": message, "type": type, "param": None, "code": code}


def classify(exc: BaseException) -> tuple[Kind, int | None, str]:
    error = to_provider_error(exc, provider="mistral-main", secrets=(KEY,))
    assert error.provider == "mistral-main"
    return error.kind, error.status, error.message


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (429, mistral_error("Rate limit exceeded", "rate_limited", "1300"), Kind.RATE_LIMITED),
        (429, mistral_error("Service tier capacity exceeded for this model.", "service_tier_capacity_exceeded",
                            "3505"), Kind.RATE_LIMITED),
        (401, {"detail": "Unauthorized"}, Kind.AUTH),
        (401, {"message": "Unauthorized", "request_id": "933f233947ff6d346065bb297e4a4d56"}, Kind.AUTH),
        (403, mistral_error("Forbidden"), Kind.AUTH),
        (404, {"detail": "Not Found"}, Kind.NOT_FOUND),
        (400, mistral_error("Invalid model: mistral-nope", "invalid_model", "1500"), Kind.NOT_FOUND),
        (400, mistral_error("Prompt contains 40960 tokens and 0 draft tokens, too large for model with 32768 "
                            "maximum context length", "invalid_request_error"), Kind.CONTEXT_LENGTH),
        (400, mistral_error("Unexpected role 'user' after role 'tool'", "invalid_request_message_order", "3230"),
         Kind.BAD_REQUEST),
        (400, mistral_error("Tool call id was call_1 but must be a-z, A-Z, 0-9, with a length of 9.",
                            "invalid_function_call", "3280"), Kind.BAD_REQUEST),
        (400, mistral_error("Request blocked by guardrail: hate", "guardrail_violation"), Kind.CONTENT_FILTER),
        (500, mistral_error("Internal server error", "internal_server_error", "1000"), Kind.SERVER),
        (502, "<html><body>502 Bad Gateway</body></html>", Kind.SERVER),
        (500, mistral_error("Model capacity exceeded", "capacity_exceeded"), Kind.OVERLOADED),
        (503, mistral_error("Service unavailable"), Kind.OVERLOADED),
    ],
)
def test_status_first_classification_keeps_the_vendor_message(status: int, body: object, kind: Kind) -> None:
    got_kind, got_status, message = classify(sdk_error(status, body))

    assert (got_kind, got_status) == (kind, status)
    expected = body if isinstance(body, str) else body.get("message") or body.get("detail")  # type: ignore[union-attr]
    assert message == expected


def test_a_422_lists_each_refused_field() -> None:
    problems = [{"type": "extra_forbidden", "loc": ["body", "stream_options"], "msg": "Extra inputs are not permitted",
                 "input": {"include_usage": True}},
                {"type": "extra_forbidden", "loc": ["body", "messages", 0, "user", "name"],
                 "msg": "Extra inputs are not permitted", "input": "ann"}]
    text = json.dumps({"object": "Error", "detail": problems, "message": problems,
                       "type": "invalid_request_error", "code": 3001})
    response = httpx2.Response(422, text=text, request=REQUEST)
    exc = HTTPValidationError(HTTPValidationErrorData.model_validate_json(text), response, text)

    assert classify(exc) == (Kind.BAD_REQUEST, 422, "body.stream_options: Extra inputs are not permitted; "
                                                    "body.messages.0.user.name: Extra inputs are not permitted")


def test_the_older_422_shape_with_detail_inside_message_is_read_too() -> None:
    problem = {"type": "extra_forbidden", "loc": ["body", "user"], "msg": "Extra inputs are not permitted"}
    body = mistral_error({"detail": [problem]}, "invalid_request_error")

    assert classify(sdk_error(422, body))[2] == "body.user: Extra inputs are not permitted"


def test_an_empty_error_body_says_the_status() -> None:
    assert classify(sdk_error(500, ""))[2] == "HTTP 500"


def test_retry_after_is_read_on_a_rate_limit() -> None:
    error = to_provider_error(sdk_error(429, mistral_error("Rate limit exceeded"), {"Retry-After": "7"}),
                              provider="p")

    assert error.retry_after == 7.0


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx2.ReadTimeout("timed out", request=REQUEST), Kind.TIMEOUT),
        (httpx2.ConnectTimeout("timed out", request=REQUEST), Kind.TIMEOUT),
        (httpx2.PoolTimeout("no connection free", request=REQUEST), Kind.TIMEOUT),
        (TimeoutError(), Kind.TIMEOUT),
        (httpx2.ConnectError("[Errno 111] Connection refused", request=REQUEST), Kind.CONNECTION),
        (httpx2.RemoteProtocolError("peer closed connection", request=REQUEST), Kind.CONNECTION),
        (httpx2.ReadError("reset", request=REQUEST), Kind.CONNECTION),
        (StreamTruncated("ended early"), Kind.CONNECTION),
        (ConnectionResetError(), Kind.CONNECTION),
        (InBandError("the model failed"), Kind.SERVER),
        (MalformedResponse("no choices"), Kind.SERVER),
        (msgspec.DecodeError("bad json"), Kind.SERVER),
    ],
)
def test_transport_and_decoding_failures(exc: BaseException, kind: Kind) -> None:
    got_kind, status, message = classify(exc)

    assert (got_kind, status) == (kind, None)
    assert message


def test_a_connection_error_caused_by_a_timeout_is_a_timeout() -> None:
    exc = httpx2.ReadError("read failed", request=REQUEST)
    exc.__cause__ = TimeoutError()

    assert classify(exc)[0] is Kind.TIMEOUT


def test_the_key_never_survives_in_a_message() -> None:
    body = mistral_error(f"Invalid key {KEY} (Bearer {KEY}); key part {KEY[4:20]}")

    message = classify(sdk_error(401, body))[2]

    assert KEY not in message and KEY[4:20] not in message
    assert message.startswith("Invalid key ***")
