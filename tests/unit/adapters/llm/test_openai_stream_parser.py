"""OpenAI SSE bytes -> domain StreamEvents, fed incrementally."""

from __future__ import annotations

import json

import pytest

from adapters.llm.openai.stream import ChunkParser
from adapters.llm.openai.wire import InBandError, StreamTruncated
from domain.completion import Finish, FinishReason, StreamEvent, TextDelta, ToolCallDelta, UsageReport
from domain.usage import Usage

pytestmark = pytest.mark.unit

USAGE = {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12,
         "prompt_tokens_details": {"cached_tokens": 8}, "completion_tokens_details": {"reasoning_tokens": 1}}
DOMAIN_USAGE = Usage(input_tokens=9, output_tokens=3, cached_tokens=8, reasoning_tokens=1)


def chunk(delta: dict[str, object] | None = None, finish: str | None = None, usage: object = None) -> bytes:
    choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
    choices = [] if delta is None else [choice]
    payload = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
               "choices": choices, "usage": usage}
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


OPENAI_TEXT = b"".join([
    chunk({"role": "assistant", "content": "", "refusal": None}),
    chunk({"content": "Hel"}),
    chunk({"content": "lo"}),
    chunk({}, "stop"),
    chunk(None, usage=USAGE),
    b"data: [DONE]\n\n",
])
TEXT_EVENTS: list[StreamEvent] = [
    TextDelta(text="Hel"),
    TextDelta(text="lo"),
    UsageReport(usage=DOMAIN_USAGE),
    Finish(reason=FinishReason.STOP),
]


def parse(data: bytes, *, piece: int | None = None) -> list[StreamEvent]:
    parser = ChunkParser()
    step = piece or len(data)
    events = [e for start in range(0, len(data), step) for e in parser.feed(data[start : start + step])]
    return events + parser.close()


@pytest.mark.parametrize("piece", [None, 1, 7])
def test_text_stream_gives_deltas_then_usage_then_finish_however_bytes_are_split(piece: int | None) -> None:
    assert parse(OPENAI_TEXT, piece=piece) == TEXT_EVENTS


def test_done_flushes_usage_and_finish_and_marks_the_parser_done() -> None:
    parser = ChunkParser()

    events = list(parser.feed(OPENAI_TEXT))

    assert events == TEXT_EVENTS and parser.done
    assert parser.close() == []


def test_tool_call_pieces_keep_index_id_and_name() -> None:
    data = b"".join([
        chunk({"role": "assistant", "content": None, "tool_calls": [
            {"index": 0, "id": "call_1", "type": "function", "function": {"name": "f", "arguments": ""}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"a":'}}]}),
        chunk({"tool_calls": [{"index": 1, "id": "call_2", "type": "function", "function": {"name": "g"}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": " 1}"}}]}),
        chunk({}, "tool_calls"),
        b"data: [DONE]\n\n",
    ])

    assert parse(data) == [
        ToolCallDelta(index=0, id="call_1", name="f"),
        ToolCallDelta(index=0, arguments='{"a":'),
        ToolCallDelta(index=1, id="call_2", name="g"),
        ToolCallDelta(index=0, arguments=" 1}"),
        Finish(reason=FinishReason.TOOL_CALLS),
    ]


def test_usage_on_the_finish_chunk_and_no_done_still_ends_with_usage_and_finish() -> None:
    data = chunk({"content": "Hi"}) + chunk({}, "length", usage=USAGE)  # Together-style, no [DONE]

    assert parse(data) == [
        TextDelta(text="Hi"), UsageReport(usage=DOMAIN_USAGE), Finish(reason=FinishReason.LENGTH),
    ]


def test_repeated_usage_keeps_the_last() -> None:
    first = {"prompt_tokens": 9, "completion_tokens": 1}
    data = chunk({"content": "a"}, usage=first) + chunk({"content": "b"}, "stop", usage=USAGE)

    assert parse(data)[-2] == UsageReport(usage=DOMAIN_USAGE)


def test_crlf_comments_and_unspaced_data_lines_are_understood() -> None:
    data = (b": keep-alive\r\n\r\n" + chunk({"content": "x"}).replace(b"\n", b"\r\n")
            + b'data:{"choices":[{"delta":{},"finish_reason":"stop"}]}\r\n\r\ndata: [DONE]\r\n\r\n')

    assert parse(data) == [TextDelta(text="x"), Finish(reason=FinishReason.STOP)]


def test_refusal_deltas_are_text() -> None:
    data = chunk({"refusal": "No."}) + chunk({}, "stop") + b"data: [DONE]\n\n"

    assert parse(data)[0] == TextDelta(text="No.")


def test_body_ending_before_the_finish_is_truncated() -> None:
    parser = ChunkParser()
    list(parser.feed(chunk({"content": "Hel"})))

    with pytest.raises(StreamTruncated):
        parser.close()


def test_last_event_without_a_blank_line_is_still_read() -> None:
    data = chunk({"content": "a"}) + b'data: {"choices":[{"delta":{},"finish_reason":"stop"}]}'

    assert parse(data) == [TextDelta(text="a"), Finish(reason=FinishReason.STOP)]


@pytest.mark.parametrize(
    "data",
    [b'data: {"error": {"message": "boom", "type": "server_error"}}\n\n',
     b'event: error\ndata: {"error": {"message": "boom"}}\n\n'],
)
def test_in_band_error_raises_after_the_events_read_before_it(data: bytes) -> None:
    received = []
    with pytest.raises(InBandError, match="boom"):
        for event in ChunkParser().feed(chunk({"content": "a"}) + data):  # one network read
            received.append(event)
    assert received == [TextDelta(text="a")]
