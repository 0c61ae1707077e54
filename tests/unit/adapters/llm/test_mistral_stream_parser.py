"""Mistral SSE bytes -> domain StreamEvents, fed incrementally."""

from __future__ import annotations

import json

import msgspec
import pytest

from adapters.llm.mistral.stream import ChunkParser
from adapters.llm.mistral.wire import InBandError, StreamTruncated
from domain.completion import Finish, FinishReason, StreamEvent, TextDelta, ToolCallDelta, UsageReport
from domain.usage import Usage

pytestmark = pytest.mark.unit

USAGE = {"prompt_tokens": 9, "total_tokens": 12, "completion_tokens": 3}
DONE = b"data: [DONE]\n\n"


def chunk(delta: dict[str, object], finish: str | None = None, usage: object = None) -> bytes:
    payload: dict[str, object] = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
                                  "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    if usage is not None:
        payload["usage"] = usage
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


TEXT_STREAM = b"".join([
    chunk({"role": "assistant", "content": ""}),
    chunk({"content": "Bon"}),
    chunk({"content": "jour"}, "stop", USAGE),  # Mistral's last chunk: last piece, finish and usage
    DONE,
])
TEXT_EVENTS: list[StreamEvent] = [
    TextDelta(text="Bon"),
    TextDelta(text="jour"),
    UsageReport(usage=Usage(input_tokens=9, output_tokens=3)),
    Finish(reason=FinishReason.STOP),
]


def parse(data: bytes, *, piece: int | None = None) -> list[StreamEvent]:
    parser = ChunkParser()
    step = piece or len(data)
    events = [e for start in range(0, len(data), step) for e in parser.feed(data[start : start + step])]
    return events + parser.close()


@pytest.mark.parametrize("piece", [None, 1, 7])
def test_text_stream_gives_deltas_then_usage_then_finish_however_bytes_are_split(piece: int | None) -> None:
    assert parse(TEXT_STREAM, piece=piece) == TEXT_EVENTS


def test_done_flushes_and_marks_the_parser_done_and_nothing_after_it_counts() -> None:
    parser = ChunkParser()

    events = list(parser.feed(TEXT_STREAM + chunk({"content": "late"})))

    assert events == TEXT_EVENTS and parser.done
    assert parser.close() == []


def test_a_whole_tool_call_in_one_delta() -> None:
    call = {"id": "D681PevKs", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}, "index": 0}
    data = chunk({"role": "assistant", "content": ""}) + chunk({"tool_calls": [call]}, "tool_calls", USAGE) + DONE

    assert parse(data) == [
        ToolCallDelta(index=0, id="D681PevKs", name="weather", arguments='{"city": "Paris"}'),
        UsageReport(usage=Usage(input_tokens=9, output_tokens=3)),
        Finish(reason=FinishReason.TOOL_CALLS),
    ]


@pytest.mark.parametrize("vendor_indexes", [(0, 1), (0, 0)], ids=["distinct", "all-zero"])
def test_parallel_calls_get_their_own_indexes(vendor_indexes: tuple[int, int]) -> None:
    calls = [{"id": "AAAAAAAA1", "function": {"name": "a", "arguments": {"x": 1}}, "index": vendor_indexes[0]},
             {"id": "BBBBBBBB2", "function": {"name": "b", "arguments": "{}"}, "index": vendor_indexes[1]}]

    deltas = [e for e in parse(chunk({"tool_calls": calls}, "tool_calls") + DONE) if isinstance(e, ToolCallDelta)]

    assert deltas == [ToolCallDelta(index=0, id="AAAAAAAA1", name="a", arguments='{"x":1}'),
                      ToolCallDelta(index=1, id="BBBBBBBB2", name="b", arguments="{}")]


def test_a_piece_without_an_id_continues_the_call_at_its_index() -> None:
    head = {"id": "AAAAAAAA1", "function": {"name": "a", "arguments": '{"x":'}, "index": 0}
    tail = {"id": "null", "function": {"name": None, "arguments": " 1}"}, "index": 0}
    data = chunk({"tool_calls": [head]}) + chunk({"tool_calls": [tail]}, "tool_calls") + DONE

    deltas = [e for e in parse(data) if isinstance(e, ToolCallDelta)]

    assert deltas == [ToolCallDelta(index=0, id="AAAAAAAA1", name="a", arguments='{"x":'),
                      ToolCallDelta(index=0, id=None, name=None, arguments=" 1}")]


def test_model_length_finishes_with_length() -> None:
    assert parse(chunk({"content": "x"}, "model_length", USAGE) + DONE)[-1] == Finish(reason=FinishReason.LENGTH)


def test_finish_reason_error_raises_after_the_text_so_far() -> None:
    parser = ChunkParser()
    events = list(parser.feed(chunk({"content": "Bon"})))

    with pytest.raises(InBandError):
        list(parser.feed(chunk({"content": ""}, "error")))
    assert events == [TextDelta(text="Bon")]


def test_an_error_object_in_the_stream_raises() -> None:
    error = b'data: {"object": "error", "message": "Internal error", "type": "internal_error"}\n\n'

    with pytest.raises(InBandError, match="Internal error"):
        list(ChunkParser().feed(error))


def test_a_stream_that_ends_before_the_finish_is_truncated() -> None:
    parser = ChunkParser()
    list(parser.feed(chunk({"content": "Bon"})))

    with pytest.raises(StreamTruncated):
        parser.close()


def test_a_finished_stream_without_done_still_flushes_at_the_end() -> None:
    unterminated = chunk({"content": "x"}, "stop", USAGE).rstrip(b"\n")

    assert parse(unterminated)[-2:] == [UsageReport(usage=Usage(input_tokens=9, output_tokens=3)),
                                        Finish(reason=FinishReason.STOP)]


def test_keep_alive_comments_and_crlf_lines_are_ignored() -> None:
    data = b": keep-alive\r\n\r\n" + TEXT_STREAM.replace(b"\n", b"\r\n")

    assert parse(data) == TEXT_EVENTS


def test_a_chunk_that_is_not_json_raises() -> None:
    with pytest.raises(msgspec.DecodeError):
        list(ChunkParser().feed(b"data: {not json\n\n"))
