"""Mistral chat.completion JSON -> domain ChatResponse."""

from __future__ import annotations

import json

import msgspec
import pytest

from adapters.llm.mistral.response import finish_reason, to_chat_response
from adapters.llm.mistral.wire import InBandError, MalformedResponse
from domain.chat import ToolCall
from domain.completion import ChatResponse, FinishReason
from domain.usage import Usage

pytestmark = pytest.mark.unit

USAGE = {"prompt_tokens": 10, "total_tokens": 15, "completion_tokens": 5, "prompt_audio_seconds": None}


def body(message: dict[str, object], *, finish: str | None = "stop", usage: object = USAGE) -> bytes:
    return json.dumps({
        "id": "cf79f7daaee244b1a0ae5c7b1444424a", "object": "chat.completion", "model": "mistral-small-2506",
        "usage": usage, "created": 1, "choices": [{"index": 0, "message": {"role": "assistant", **message},
                                                   "finish_reason": finish}],
    }).encode()


def test_text_answer_with_usage() -> None:
    response = to_chat_response(body({"tool_calls": None, "content": "Bonjour"}))

    assert response == ChatResponse(
        id="cf79f7daaee244b1a0ae5c7b1444424a", model="mistral-small-2506", content="Bonjour",
        finish_reason=FinishReason.STOP, usage=Usage(input_tokens=10, output_tokens=5),
    )


def test_cached_prompt_tokens_are_reported() -> None:
    usage = {**USAGE, "prompt_tokens_details": {"cached_tokens": 8}}

    assert to_chat_response(body({"content": "x"}, usage=usage)).usage.cached_tokens == 8


def test_tool_calls_keep_mistral_ids_and_the_empty_content_beside_them_becomes_none() -> None:
    calls = [{"id": "D681PevKs", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}, "index": 0},
             {"id": "9XkQe1abC", "function": {"name": "time", "arguments": {"tz": "CET"}}, "index": 1}]

    response = to_chat_response(body({"content": "", "tool_calls": calls}, finish="tool_calls"))

    assert response.content is None
    assert response.tool_calls == (ToolCall(id="D681PevKs", name="weather", arguments='{"city": "Paris"}'),
                                   ToolCall(id="9XkQe1abC", name="time", arguments='{"tz":"CET"}'))
    assert response.finish_reason is FinishReason.TOOL_CALLS


def test_content_chunks_give_their_text_and_skip_thinking() -> None:
    content = [{"type": "thinking", "thinking": [{"type": "text", "text": "hmm"}]},
               {"type": "text", "text": "4"}, {"type": "text", "text": "2"}]

    assert to_chat_response(body({"content": content})).content == "42"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("stop", FinishReason.STOP), ("length", FinishReason.LENGTH), ("model_length", FinishReason.LENGTH),
     ("tool_calls", FinishReason.TOOL_CALLS), ("something_new", FinishReason.STOP), (None, FinishReason.STOP)],
)
def test_finish_reasons(raw: str | None, reason: FinishReason) -> None:
    assert finish_reason(raw) is reason


def test_finish_reason_error_is_a_failure_not_an_answer() -> None:
    with pytest.raises(InBandError):
        to_chat_response(body({"content": "partial"}, finish="error"))


def test_an_error_object_in_a_2xx_body_is_a_failure() -> None:
    error = json.dumps({"object": "error", "message": "Internal error", "type": "internal_error"}).encode()

    with pytest.raises(InBandError, match="Internal error"):
        to_chat_response(error)


def test_a_body_without_choices_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        to_chat_response(b'{"id": "x", "object": "chat.completion", "model": "m", "choices": []}')


def test_a_tool_call_without_a_name_is_malformed() -> None:
    calls = [{"id": "D681PevKs", "function": {"name": "", "arguments": "{}"}}]

    with pytest.raises(MalformedResponse):
        to_chat_response(body({"content": "", "tool_calls": calls}, finish="tool_calls"))


def test_invalid_json_raises_a_msgspec_error() -> None:
    with pytest.raises(msgspec.DecodeError):
        to_chat_response(b'{"id": "x", "choices": [')
