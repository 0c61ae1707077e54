"""The incremental SSE reader shared by the streaming vendor adapters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.llm.common.sse import SseEvent, SseReader

pytestmark = pytest.mark.unit

BODY = (b": keep-alive\r\n\r\nevent: message_start\r\ndata: {\"a\": 1}\r\n\r\n"
        b"id: 7\nretry: 100\ndata:first\ndata: second\n\nevent: ping\n\n")
EVENTS = [SseEvent(b"message_start", b'{"a": 1}'), SseEvent(None, b"first\nsecond")]


def read(body: bytes, piece: int) -> list[SseEvent]:
    reader = SseReader()
    events = [e for start in range(0, len(body), piece) for e in reader.feed(body[start : start + piece])]
    last = reader.close()
    return events if last is None else [*events, last]


@pytest.mark.parametrize("piece", [1, 3, 17, len(BODY)])
def test_events_come_out_the_same_however_the_bytes_are_split(piece: int) -> None:
    assert read(BODY, piece) == EVENTS


def test_an_event_is_yielded_as_soon_as_its_blank_line_is_read() -> None:
    reader = SseReader()
    events: Iterator[SseEvent] = reader.feed(b"data: 1\n\ndata: 2\n\ndata: 3")

    assert next(events) == SseEvent(None, b"1")  # before the rest of the read is looked at
    assert list(events) == [SseEvent(None, b"2")]
    assert reader.close() == SseEvent(None, b"3")


def test_a_failure_on_one_event_leaves_the_events_before_it_delivered() -> None:
    seen: list[bytes] = []

    with pytest.raises(ValueError, match="bad"):
        for event in SseReader().feed(b"data: ok\n\ndata: bad\n\ndata: never\n\n"):
            if event.data == b"bad":
                raise ValueError("bad")
            seen.append(event.data)

    assert seen == [b"ok"]


@pytest.mark.parametrize("tail", [b"data: last", b"data: last\r", b"data: last\r\n", b"data: last\n\n"])
def test_close_returns_the_event_the_server_did_not_terminate(tail: bytes) -> None:
    reader = SseReader()
    events = [*reader.feed(b"event: done\n" + tail), reader.close()]

    assert [e for e in events if e is not None] == [SseEvent(b"done", b"last")]


def test_close_without_a_pending_event_returns_none() -> None:
    reader = SseReader()
    list(reader.feed(b"data: x\n\nevent: orphan\n"))

    assert reader.close() is None


def test_an_empty_data_line_still_makes_an_event_and_the_name_resets_after_it() -> None:
    assert read(b"event: e\ndata:\n\ndata: x\n\n", 4) == [SseEvent(b"e", b""), SseEvent(None, b"x")]
