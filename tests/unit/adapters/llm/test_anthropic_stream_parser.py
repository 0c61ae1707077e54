"""Anthropic SSE bytes -> domain StreamEvents, fed incrementally."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import pytest

from adapters.llm.anthropic.stream import EventParser
from adapters.llm.anthropic.wire import InBandError, StreamTruncated
from domain.completion import Finish, FinishReason, StreamEvent, TextDelta, ToolCallDelta, UsageReport
from domain.usage import Usage

pytestmark = pytest.mark.unit

START_USAGE = {"input_tokens": 10, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 5,
               "output_tokens": 1}


def event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\n".encode() + b"data: " + json.dumps({"type": name, **data}).encode() + b"\n\n"


def message_start(usage: dict[str, Any] = START_USAGE) -> bytes:
    return event("message_start", {"message": {"id": "msg_1", "type": "message", "role": "assistant",
                                               "model": "claude-x", "content": [], "stop_reason": None,
                                               "usage": usage}})


def block_start(index: int, block: dict[str, Any]) -> bytes:
    return event("content_block_start", {"index": index, "content_block": block})


def delta(index: int, **fields: Any) -> bytes:
    return event("content_block_delta", {"index": index, "delta": fields})


def block_stop(index: int) -> bytes:
    return event("content_block_stop", {"index": index})


def message_delta(stop_reason: str, usage: dict[str, Any]) -> bytes:
    return event("message_delta", {"delta": {"stop_reason": stop_reason, "stop_sequence": None}, "usage": usage})


MESSAGE_STOP = event("message_stop", {})
PING = event("ping", {})
TEXT_STREAM = b"".join([
    message_start(),
    block_start(0, {"type": "text", "text": ""}),
    PING,
    delta(0, type="text_delta", text="Hel"),
    delta(0, type="text_delta", text="lo"),
    block_stop(0),
    message_delta("end_turn", {"output_tokens": 15}),
    MESSAGE_STOP,
])
TEXT_EVENTS: list[StreamEvent] = [
    TextDelta(text="Hel"),
    TextDelta(text="lo"),
    UsageReport(usage=Usage(input_tokens=115, output_tokens=15, cached_tokens=100)),
    Finish(reason=FinishReason.STOP),
]


def parse(data: bytes, *, piece: int | None = None) -> list[StreamEvent]:
    parser = EventParser()
    step = piece or len(data)
    events = [e for start in range(0, len(data), step) for e in parser.feed(data[start : start + step])]
    return events + list(parser.close())


@pytest.mark.parametrize("piece", [None, 1, 9])
def test_text_stream_gives_deltas_then_final_usage_then_finish_however_bytes_are_split(piece: int | None) -> None:
    assert parse(TEXT_STREAM, piece=piece) == TEXT_EVENTS


def test_crlf_line_endings_and_events_without_an_event_line_parse_the_same() -> None:
    unnamed = re.sub(rb"event: \w+\n", b"", TEXT_STREAM)

    assert parse(TEXT_STREAM.replace(b"\n", b"\r\n")) == TEXT_EVENTS
    assert parse(unnamed) == TEXT_EVENTS


def test_message_stop_marks_the_parser_done_and_nothing_after_it_counts() -> None:
    parser = EventParser()

    events = list(parser.feed(TEXT_STREAM + delta(0, type="text_delta", text="late")))

    assert parser.done and events == TEXT_EVENTS
    assert list(parser.close()) == []


def test_tool_calls_are_numbered_among_tool_calls_with_id_and_name_first() -> None:
    stream = b"".join([
        message_start({"input_tokens": 50, "output_tokens": 1}),
        block_start(0, {"type": "text", "text": ""}),
        delta(0, type="text_delta", text="Checking."),
        block_stop(0),
        block_start(1, {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {}}),
        delta(1, type="input_json_delta", partial_json=""),
        delta(1, type="input_json_delta", partial_json='{"q": '),
        delta(1, type="input_json_delta", partial_json='"a"}'),
        block_stop(1),
        block_start(2, {"type": "tool_use", "id": "toolu_2", "name": "ping", "input": {}}),
        block_stop(2),
        message_delta("tool_use", {"output_tokens": 40}),
        MESSAGE_STOP,
    ])

    assert parse(stream) == [
        TextDelta(text="Checking."),
        ToolCallDelta(index=0, id="toolu_1", name="lookup"),
        ToolCallDelta(index=0, arguments='{"q": '),
        ToolCallDelta(index=0, arguments='"a"}'),
        ToolCallDelta(index=1, id="toolu_2", name="ping"),
        ToolCallDelta(index=1, arguments="{}"),  # no input streamed: `{}`, as the whole answer says
        UsageReport(usage=Usage(input_tokens=50, output_tokens=40)),
        Finish(reason=FinishReason.TOOL_CALLS),
    ]


def test_message_delta_usage_is_cumulative_and_replaces_what_message_start_said() -> None:
    final = {"input_tokens": 11, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 0,
             "output_tokens": 90, "output_tokens_details": {"thinking_tokens": 60}}
    stream = message_start() + message_delta("max_tokens", final) + MESSAGE_STOP

    assert parse(stream) == [
        UsageReport(usage=Usage(input_tokens=111, output_tokens=90, cached_tokens=100, reasoning_tokens=60)),
        Finish(reason=FinishReason.LENGTH),
    ]


def test_thinking_signature_pings_and_unknown_events_are_skipped() -> None:
    stream = b"".join([
        message_start(),
        block_start(0, {"type": "thinking", "thinking": ""}),
        delta(0, type="thinking_delta", thinking="Let me think"),
        delta(0, type="signature_delta", signature="EqQBCgIYAhIM"),
        block_stop(0),
        PING,
        event("content_block_shimmer", {"index": 0}),
        b": a comment line\n\n",
        block_start(1, {"type": "text", "text": "Hi"}),
        block_stop(1),
        message_delta("end_turn", {"output_tokens": 3}),
        MESSAGE_STOP,
    ])

    assert parse(stream)[:1] == [TextDelta(text="Hi")]
    assert len(parse(stream)) == 3


def test_an_error_event_raises_after_the_events_before_it() -> None:
    stream = (message_start() + block_start(0, {"type": "text", "text": ""})
              + delta(0, type="text_delta", text="Hel")
              + b'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", '
                b'"message": "Overloaded"}}\n\n')
    parser = EventParser()
    received: list[StreamEvent] = []

    with pytest.raises(InBandError) as caught:
        received.extend(parser.feed(stream))

    assert received == [TextDelta(text="Hel")]
    assert (caught.value.error.type, caught.value.error.message) == ("overloaded_error", "Overloaded")


def test_a_stream_that_ends_before_message_stop_is_truncated() -> None:
    with pytest.raises(StreamTruncated):
        parse(TEXT_STREAM.removesuffix(MESSAGE_STOP))


def test_a_last_event_without_its_blank_line_still_counts() -> None:
    assert parse(TEXT_STREAM.removesuffix(b"\n\n")) == TEXT_EVENTS


def test_an_event_that_is_not_json_raises_a_decode_error() -> None:
    with pytest.raises(msgspec.DecodeError):
        parse(message_start() + b"event: content_block_delta\ndata: {not json\n\n")
