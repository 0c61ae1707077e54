"""Gemini GenerateContentResponse JSON -> domain ChatResponse."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from adapters.llm.gemini.response import finish_reason, to_chat_response
from adapters.llm.gemini.wire import InBandError, MalformedResponse, PromptBlocked
from domain.chat import ToolCall
from domain.completion import FinishReason
from domain.usage import Usage

pytestmark = pytest.mark.unit


def response(*parts: dict[str, Any], finish: str | None = "STOP", **top: Any) -> str:
    candidate: dict[str, Any] = {"content": {"parts": list(parts), "role": "model"}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    body = {"candidates": [candidate], "modelVersion": "gemini-2.5-flash-001", "responseId": "r-1"} | top
    return json.dumps(body, indent=2)


def test_text_parts_join_and_thought_summaries_are_left_out() -> None:
    out = to_chat_response(response({"text": "Thinking...", "thought": True}, {"text": "Hel"}, {"text": "lo"}),
                           model="gemini-2.5-flash")

    assert (out.id, out.model, out.content, out.finish_reason) == ("r-1", "gemini-2.5-flash-001", "Hello",
                                                                   FinishReason.STOP)
    assert out.tool_calls == ()


def test_function_calls_get_positional_ids_unless_gemini_sent_one() -> None:
    out = to_chat_response(response(
        {"functionCall": {"name": "f", "args": {"city": "Paris", "n": [1, 2]}}, "thoughtSignature": "sig"},
        {"functionCall": {"name": "g", "id": "fc-9"}},
    ), model="m")

    assert out.tool_calls == (ToolCall(id="call_0", name="f", arguments='{"city":"Paris","n":[1,2]}'),
                              ToolCall(id="fc-9", name="g", arguments="{}"))
    assert (out.content, out.finish_reason) == (None, FinishReason.TOOL_CALLS)


def test_usage_counts_thoughts_as_output_and_cached_as_part_of_input() -> None:
    usage = {"promptTokenCount": 100, "candidatesTokenCount": 20, "totalTokenCount": 150,
             "cachedContentTokenCount": 64, "thoughtsTokenCount": 30, "toolUsePromptTokenCount": 5}

    out = to_chat_response(response({"text": "x"}, usageMetadata=usage), model="m")

    assert out.usage == Usage(input_tokens=105, output_tokens=50, cached_tokens=64, reasoning_tokens=30)


def test_missing_usage_model_and_content_fall_back() -> None:
    body = json.dumps({"candidates": [{"finishReason": "SAFETY"}]})

    out = to_chat_response(body, model="asked-for")

    assert (out.id, out.model, out.content, out.usage) == ("", "asked-for", None, Usage())
    assert out.finish_reason is FinishReason.CONTENT_FILTER


@pytest.mark.parametrize(("raw", "calls", "reason"), [
    ("STOP", False, FinishReason.STOP),
    ("STOP", True, FinishReason.TOOL_CALLS),
    (None, True, FinishReason.TOOL_CALLS),
    ("MAX_TOKENS", True, FinishReason.LENGTH),
    ("SAFETY", False, FinishReason.CONTENT_FILTER),
    ("RECITATION", False, FinishReason.CONTENT_FILTER),
    ("BLOCKLIST", False, FinishReason.CONTENT_FILTER),
    ("PROHIBITED_CONTENT", False, FinishReason.CONTENT_FILTER),
    ("SPII", False, FinishReason.CONTENT_FILTER),
    ("IMAGE_SAFETY", False, FinishReason.CONTENT_FILTER),
    ("OTHER", False, FinishReason.STOP),
    ("MALFORMED_FUNCTION_CALL", False, FinishReason.STOP),
])
def test_finish_reasons(raw: str | None, calls: bool, reason: FinishReason) -> None:
    assert finish_reason(raw, tool_calls=calls) is reason


def test_a_blocked_prompt_raises_with_its_reason() -> None:
    body = json.dumps({"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 8}})

    with pytest.raises(PromptBlocked, match="SAFETY"):
        to_chat_response(body, model="m")


@pytest.mark.parametrize(("body", "error"), [
    (json.dumps({"error": {"code": 500, "message": "Internal", "status": "INTERNAL"}}), InBandError),
    (json.dumps({"candidates": []}), MalformedResponse),
    (response({"functionCall": {"args": {}}}), MalformedResponse),
    ('{"candidates": [', msgspec.DecodeError),
    (json.dumps({"candidates": "nope"}), msgspec.ValidationError),
])
def test_unusable_answers_raise_for_the_provider_to_classify(body: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        to_chat_response(body, model="m")
