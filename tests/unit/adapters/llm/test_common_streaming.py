"""Reading a streamed body through a vendor's parser."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import aclosing

import pytest

from adapters.llm.common.streaming import parse_body
from domain.completion import StreamEvent, TextDelta

pytestmark = pytest.mark.unit


class Parser:
    def __init__(self, end: bytes) -> None:
        self.done = False
        self._end = end

    def feed(self, data: bytes) -> Iterable[StreamEvent]:
        self.done = data == self._end
        return [TextDelta(text=data.decode())]

    def close(self) -> Iterable[StreamEvent]:
        return [TextDelta(text="closed")]


async def body(*pieces: bytes) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece


async def test_the_body_is_read_until_the_end_marker_then_released_then_closed() -> None:
    released: list[bool] = []

    async def release() -> None:
        released.append(True)

    events = [e async for e in parse_body(body(b"a", b"end", b"unread"), Parser(b"end"), release)]

    assert events == [TextDelta(text="a"), TextDelta(text="end"), TextDelta(text="closed")]
    assert released == [True]


async def test_a_caller_that_stops_early_still_releases_the_body() -> None:
    released: list[bool] = []

    async def release() -> None:
        released.append(True)

    async with aclosing(parse_body(body(b"a", b"b"), Parser(b"end"), release)) as events:
        assert await anext(events) == TextDelta(text="a")

    assert released == [True]
