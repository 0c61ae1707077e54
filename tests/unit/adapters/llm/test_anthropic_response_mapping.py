"""Anthropic `message` JSON -> domain ChatResponse."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from adapters.llm.anthropic.response import to_chat_response
from adapters.llm.anthropic.wire import InBandError, MalformedResponse
from domain.chat import ToolCall
from domain.completion import FinishReason
from domain.usage import Usage

pytestmark = pytest.mark.unit

USAGE = {"input_tokens": 12, "output_tokens": 30, "cache_read_input_tokens": 1000,
         "cache_creation_input_tokens": 200, "output_tokens_details": {"thinking_tokens": 20},
         "service_tier": "standard"}


def message(*content: dict[str, Any], stop_reason: str | None = "end_turn", usage: object = USAGE) -> bytes:
    return json.dumps({"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x",
                       "content": list(content), "stop_reason": stop_reason, "stop_sequence": None,
                       "usage": usage}).encode()


def test_text_blocks_join_into_the_content_and_other_blocks_are_left_out() -> None:
    response = to_chat_response(message(
        {"type": "thinking", "thinking": "hmm", "signature": "sig"},
        {"type": "text", "text": "Hello, ", "citations": None},
        {"type": "text", "text": "world."},
    ))

    assert (response.id, response.model, response.content) == ("msg_1", "claude-x", "Hello, world.")
    assert response.tool_calls == ()
    assert response.finish_reason is FinishReason.STOP


def test_usage_input_is_the_whole_prompt_with_cache_reads_as_cached() -> None:
    response = to_chat_response(message({"type": "text", "text": "Hi"}))

    assert response.usage == Usage(input_tokens=1212, output_tokens=30, cached_tokens=1000, reasoning_tokens=20)


def test_usage_without_cache_fields_counts_just_the_input() -> None:
    response = to_chat_response(message({"type": "text", "text": "Hi"}, usage={"input_tokens": 5, "output_tokens": 2}))

    assert response.usage == Usage(input_tokens=5, output_tokens=2)


def test_tool_use_blocks_become_tool_calls_with_the_input_text_as_sent() -> None:
    body = (b'{"id":"msg_1","type":"message","model":"claude-x","stop_reason":"tool_use","content":['
            b'{"type":"text","text":"Let me look."},'
            b'{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q": "a",  "n": 2}},'
            b'{"type":"tool_use","id":"toolu_2","name":"ping","input":{}}]}')

    response = to_chat_response(body)

    assert response.content == "Let me look."
    assert response.tool_calls == (ToolCall(id="toolu_1", name="lookup", arguments='{"q": "a",  "n": 2}'),
                                   ToolCall(id="toolu_2", name="ping", arguments="{}"))
    assert response.finish_reason is FinishReason.TOOL_CALLS
    assert response.usage == Usage()


@pytest.mark.parametrize(
    ("stop_reason", "finish"),
    [("end_turn", FinishReason.STOP), ("stop_sequence", FinishReason.STOP), ("pause_turn", FinishReason.STOP),
     ("max_tokens", FinishReason.LENGTH), ("model_context_window_exceeded", FinishReason.LENGTH),
     ("tool_use", FinishReason.TOOL_CALLS), ("refusal", FinishReason.CONTENT_FILTER),
     ("something_new", FinishReason.STOP), (None, FinishReason.STOP)],
)
def test_stop_reasons_map_to_openai_finish_reasons(stop_reason: str | None, finish: FinishReason) -> None:
    assert to_chat_response(message({"type": "text", "text": "x"}, stop_reason=stop_reason)).finish_reason is finish


def test_an_answer_without_text_has_no_content() -> None:
    assert to_chat_response(message(stop_reason="max_tokens")).content is None


def test_an_error_envelope_in_a_2xx_body_is_an_in_band_error() -> None:
    body = b'{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}'

    with pytest.raises(InBandError) as caught:
        to_chat_response(body)

    assert caught.value.error.type == "overloaded_error"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"id": "msg_1", "content": [', msgspec.DecodeError),
        (b'{"type": "completion", "id": "x"}', MalformedResponse),
        (b'{"type": "message", "content": []}', MalformedResponse),
        (b'{"type": "message", "id": "m", "content": [{"type": "tool_use", "input": {}}]}', MalformedResponse),
    ],
)
def test_unusable_bodies_raise(body: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        to_chat_response(body)
