"""A streamed body -> domain `StreamEvent`s through a vendor's incremental parser."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable
from typing import Protocol

from domain.completion import StreamEvent


class StreamParser(Protocol):
    done: bool  # the vendor's end marker was read: the caller may stop reading

    def feed(self, data: bytes) -> Iterable[StreamEvent]: ...

    def close(self) -> Iterable[StreamEvent]: ...


async def parse_body(
    chunks: AsyncIterator[bytes], parser: StreamParser, release: Callable[[], Awaitable[None]]
) -> AsyncGenerator[StreamEvent, None]:
    """Each event as soon as its bytes arrive; stops at the parser's end marker, releases the body
    (also when the caller stops early: iterate under `contextlib.aclosing`), then the parser's
    closing events."""
    try:
        async for data in chunks:
            for event in parser.feed(data):
                yield event
            if parser.done:
                break
    finally:
        await release()
    for event in parser.close():
        yield event
