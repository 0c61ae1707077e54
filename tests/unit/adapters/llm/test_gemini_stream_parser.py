"""Gemini alt=sse bytes -> domain StreamEvents, fed incrementally."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from adapters.llm.gemini.stream import EventParser
from adapters.llm.gemini.wire import InBandError, PromptBlocked, StreamTruncated
from domain.completion import Finish, FinishReason, StreamEvent, TextDelta, ToolCallDelta, UsageReport
from domain.usage import Usage

pytestmark = pytest.mark.unit


def usage(out: int, thoughts: int = 0) -> dict[str, int]:
    return {"promptTokenCount": 7, "candidatesTokenCount": out, "totalTokenCount": 7 + out + thoughts,
            "thoughtsTokenCount": thoughts}


def event(*parts: dict[str, Any], finish: str | None = None, usage_so_far: dict[str, int] | None = None) -> bytes:
    candidate: dict[str, Any] = {"content": {"parts": list(parts), "role": "model"}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    body: dict[str, Any] = {"candidates": [candidate], "modelVersion": "gemini-2.5-flash", "responseId": "r"}
    if usage_so_far is not None:
        body["usageMetadata"] = usage_so_far
    return b"data: " + json.dumps(body).encode() + b"\r\n\r\n"


TEXT = b"".join([
    event({"text": "Hel"}, usage_so_far=usage(1)),
    event({"text": "Thinking", "thought": True}, {"text": "lo"}, usage_so_far=usage(2, thoughts=4)),
    event({"text": ""}, finish="STOP", usage_so_far=usage(3, thoughts=4)),
])
TEXT_EVENTS: list[StreamEvent] = [
    TextDelta(text="Hel"),
    TextDelta(text="lo"),
    UsageReport(usage=Usage(input_tokens=7, output_tokens=7, reasoning_tokens=4)),
    Finish(reason=FinishReason.STOP),
]


def parse(*pieces: bytes) -> list[StreamEvent]:
    parser = EventParser()
    events = [e for piece in pieces for e in parser.feed(piece)]
    return events + parser.close()


def test_text_events_then_the_last_cumulative_usage_then_the_finish() -> None:
    assert parse(TEXT) == TEXT_EVENTS


def test_any_split_of_the_bytes_gives_the_same_events() -> None:
    assert parse(*(TEXT[i : i + 1] for i in range(len(TEXT)))) == TEXT_EVENTS
    assert parse(TEXT[:50], TEXT[50:51], TEXT[51:]) == TEXT_EVENTS


def test_lf_framing_and_a_last_event_without_its_blank_line_work_too() -> None:
    body = TEXT.replace(b"\r\n", b"\n").removesuffix(b"\n\n")

    assert parse(body) == TEXT_EVENTS


def test_each_function_call_is_one_whole_delta() -> None:
    body = event({"text": "Checking."}, {"functionCall": {"name": "f", "args": {"a": 1}}},
                 {"functionCall": {"name": "g", "args": {}}}, finish="STOP", usage_so_far=usage(9))

    assert parse(body) == [
        TextDelta(text="Checking."),
        ToolCallDelta(index=0, id="call_0", name="f", arguments='{"a":1}'),
        ToolCallDelta(index=1, id="call_1", name="g", arguments="{}"),
        UsageReport(usage=Usage(input_tokens=7, output_tokens=9)),
        Finish(reason=FinishReason.TOOL_CALLS),
    ]


def test_without_usage_the_stream_ends_with_the_finish_only() -> None:
    assert parse(event({"text": "x"}, finish="MAX_TOKENS")) == [TextDelta(text="x"), Finish(reason=FinishReason.LENGTH)]


def test_a_body_ending_before_the_finish_is_truncated() -> None:
    parser = EventParser()

    assert list(parser.feed(event({"text": "Hel"}) + b"data: {\"candi")) == [TextDelta(text="Hel")]
    with pytest.raises(StreamTruncated):
        parser.close()


@pytest.mark.parametrize(("body", "error"), [
    (b'data: {"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}}\r\n\r\n', InBandError),
    (b'data: {"promptFeedback": {"blockReason": "OTHER"}}\r\n\r\n', PromptBlocked),
    (b"data: {not json\r\n\r\n", msgspec.DecodeError),
])
def test_errors_inside_the_stream_raise(body: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        list(EventParser().feed(body))
