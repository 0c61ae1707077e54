"""Server-sent events, incrementally: bytes as they arrive -> (event name, data) pairs.

Lines end with `\\n` (a `\\r` before it is dropped); `data:` lines accumulate, `event:` names the
event, a blank line ends it. Comments (`: keep-alive`), `id:` and `retry:` carry nothing for us.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple


class SseEvent(NamedTuple):
    name: bytes | None  # the `event:` field, None when the event had none
    data: bytes  # its `data:` lines joined with `\n`


class SseReader:
    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []
        self._name: bytes | None = None

    def feed(self, data: bytes) -> Iterator[SseEvent]:
        """The events these bytes complete, each yielded as soon as its blank line is read (lazily:
        a caller that fails on one event has still seen every event before it)."""
        lines = (self._buffer + data).split(b"\n")
        self._buffer = lines.pop()  # an unfinished line waits for more bytes
        for line in lines:
            if (event := self._line(line.removesuffix(b"\r"))) is not None:
                yield event

    def close(self) -> SseEvent | None:
        """At the end of the body: the event the server did not end with a blank line, if any."""
        last = self._buffer.removesuffix(b"\r")
        self._buffer = b""
        event = self._line(last)
        return event if event is not None else self._line(b"")

    def _line(self, line: bytes) -> SseEvent | None:
        if not line:  # a blank line ends one event; one with no `data:` line is no event
            event = SseEvent(self._name, b"\n".join(self._data)) if self._data else None
            self._data, self._name = [], None
            return event
        if line.startswith(b"data:"):
            self._data.append(line[6:] if line.startswith(b"data: ") else line[5:])
        elif line.startswith(b"event:"):
            self._name = line[6:].strip()
        return None
