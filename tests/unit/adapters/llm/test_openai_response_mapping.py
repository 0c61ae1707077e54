"""OpenAI chat.completion JSON -> domain ChatResponse."""

from __future__ import annotations

import json

import msgspec
import pytest

from adapters.llm.openai.response import finish_reason, to_chat_response
from adapters.llm.openai.wire import InBandError, MalformedResponse
from domain.chat import ToolCall
from domain.completion import ChatResponse, FinishReason
from domain.usage import Usage

pytestmark = pytest.mark.unit


def body(message: dict[str, object], *, finish: str | None = "stop", usage: object = None) -> bytes:
    return json.dumps({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-2024-08-06",
        "choices": [{"index": 0, "message": {"role": "assistant", **message}, "logprobs": None,
                     "finish_reason": finish}],
        "usage": usage, "system_fingerprint": "fp_1",
    }).encode()


def test_text_answer_with_full_usage() -> None:
    usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
             "prompt_tokens_details": {"cached_tokens": 4, "audio_tokens": 0},
             "completion_tokens_details": {"reasoning_tokens": 2}}

    response = to_chat_response(body({"content": "Hi", "refusal": None}, usage=usage))

    assert response == ChatResponse(
        id="chatcmpl-1", model="gpt-4o-2024-08-06", content="Hi", finish_reason=FinishReason.STOP,
        usage=Usage(input_tokens=10, output_tokens=5, cached_tokens=4, reasoning_tokens=2),
        system_fingerprint="fp_1",
    )


def test_tool_calls_are_mapped_in_order() -> None:
    calls = [{"id": f"call_{i}", "type": "function", "function": {"name": f"f{i}", "arguments": "{}"}}
             for i in range(2)]

    response = to_chat_response(body({"content": None, "tool_calls": calls}, finish="tool_calls"))

    assert response.content is None
    assert response.tool_calls == (ToolCall(id="call_0", name="f0", arguments="{}"),
                                   ToolCall(id="call_1", name="f1", arguments="{}"))
    assert response.finish_reason is FinishReason.TOOL_CALLS


def test_null_usage_details_from_compatible_servers_count_as_zero() -> None:
    usage = {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4, "prompt_tokens_details": None}

    response = to_chat_response(body({"content": "x"}, usage=usage))

    assert response.usage == Usage(input_tokens=3, output_tokens=1)


def test_missing_usage_gives_zero_usage() -> None:
    assert to_chat_response(body({"content": "x"})).usage == Usage()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("stop", FinishReason.STOP), ("length", FinishReason.LENGTH), ("tool_calls", FinishReason.TOOL_CALLS),
     ("function_call", FinishReason.TOOL_CALLS), ("content_filter", FinishReason.CONTENT_FILTER),
     ("abort", FinishReason.STOP), (None, FinishReason.STOP)],
)
def test_finish_reasons_map_to_the_domain(raw: str | None, reason: FinishReason) -> None:
    assert finish_reason(raw) is reason


def test_no_choices_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        to_chat_response(b'{"id": "x", "choices": []}')


def test_tool_call_without_name_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        call = {"id": "c", "type": "function", "function": {"arguments": "{}"}}
        to_chat_response(body({"tool_calls": [call]}))


def test_invalid_json_raises_a_msgspec_error() -> None:
    with pytest.raises(msgspec.DecodeError):
        to_chat_response(b'{"id": ')


def test_error_inside_a_2xx_body_is_an_in_band_error() -> None:
    with pytest.raises(InBandError) as caught:
        to_chat_response(b'{"error": {"message": "model overloaded", "type": "server_error", "code": 503}}')

    assert caught.value.error.code == 503
