"""Gemini `alt=sse` bytes -> domain `StreamEvent`s (pure and incremental: feed bytes as they arrive).

Every event is a whole `GenerateContentResponse`, framed `data: {...}` + a blank line (Google uses
CRLF). Text parts become `TextDelta`s; a function call arrives whole in one part and becomes one
`ToolCallDelta` with id, name and all its arguments. `usageMetadata` is cumulative on every event,
so the last one wins; it and the finish reason (on the last event) are emitted when the body ends.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from adapters.llm.gemini.response import finish_reason, first_candidate, parts_of, to_tool_call, to_usage
from adapters.llm.gemini.wire import RESPONSE_DECODER, StreamTruncated, UsageMetadata
from domain.completion import Finish, StreamEvent, TextDelta, ToolCallDelta, UsageReport


class EventParser:
    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []
        self._finish: str | None = None
        self._usage: UsageMetadata | None = None
        self._calls = 0

    def feed(self, data: bytes) -> Iterator[StreamEvent]:
        """Events completed by these bytes, each as soon as its line is read, so the events before an
        in-band error in the same read still reach the caller.
        Raises `InBandError`, `PromptBlocked` or a msgspec error."""
        lines = (self._buffer + data).split(b"\n")
        self._buffer = lines.pop()  # an unfinished line waits for more bytes
        for line in lines:
            events: list[StreamEvent] = []
            self._line(line.removesuffix(b"\r"), events)
            yield from events

    def close(self) -> list[StreamEvent]:
        """At the end of the body: the last usage and the finish. Raises `StreamTruncated` when the
        body ended before the event carrying the finish reason."""
        events: list[StreamEvent] = []
        try:
            self._line(self._buffer.removesuffix(b"\r"), events)
            self._line(b"", events)  # an event the server did not terminate with a blank line
        except msgspec.DecodeError as exc:
            raise StreamTruncated("the stream ended inside an event") from exc
        self._buffer = b""
        if self._finish is None:
            raise StreamTruncated("the stream ended before the answer was finished")
        if self._usage is not None:
            events.append(UsageReport(usage=to_usage(self._usage)))
        events.append(Finish(reason=finish_reason(self._finish, tool_calls=self._calls > 0)))
        return events

    def _line(self, line: bytes, events: list[StreamEvent]) -> None:
        if not line:  # a blank line ends one SSE event
            if self._data:
                self._dispatch(b"\n".join(self._data), events)
                self._data = []
        elif line.startswith(b"data:"):
            self._data.append(line[6:] if line.startswith(b"data: ") else line[5:])
        # comments, `event:`, `id:` and `retry:` lines carry nothing for us

    def _dispatch(self, data: bytes, events: list[StreamEvent]) -> None:
        response = RESPONSE_DECODER.decode(data)
        if response.usage_metadata is not None:
            self._usage = response.usage_metadata
        candidate = first_candidate(response)
        if candidate is None:
            return
        if candidate.finish_reason:
            self._finish = candidate.finish_reason
        for part in parts_of(candidate):
            if part.function_call is not None:
                call = to_tool_call(part.function_call, self._calls)
                events.append(ToolCallDelta(index=self._calls, id=call.id, name=call.name, arguments=call.arguments))
                self._calls += 1
            elif part.text and not part.thought:
                events.append(TextDelta(text=part.text))
