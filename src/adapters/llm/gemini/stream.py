"""Gemini `alt=sse` bytes -> domain `StreamEvent`s (pure and incremental: feed bytes as they arrive).

Every event is a whole `GenerateContentResponse`, framed `data: {...}` + a blank line (Google uses
CRLF). Text parts become `TextDelta`s; a function call arrives whole in one part and becomes one
`ToolCallDelta` with id, name and all its arguments. `usageMetadata` is cumulative on every event,
so the last one wins; it and the finish reason (on the last event) are emitted when the body ends.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from adapters.llm.common.sse import SseReader
from adapters.llm.gemini.response import finish_reason, first_candidate, parts_of, to_tool_call, to_usage
from adapters.llm.gemini.wire import RESPONSE_DECODER, StreamTruncated, UsageMetadata
from domain.completion import Finish, StreamEvent, TextDelta, ToolCallDelta, UsageReport


class EventParser:
    def __init__(self) -> None:
        self._sse = SseReader()
        self._finish: str | None = None
        self._usage: UsageMetadata | None = None
        self._calls = 0
        self.done = False  # Gemini sends no end marker: the body ends where the answer does

    def feed(self, data: bytes) -> Iterator[StreamEvent]:
        """Events completed by these bytes, each as soon as its SSE event is read, so the events before
        an in-band error in the same read still reach the caller.
        Raises `InBandError`, `PromptBlocked` or a msgspec error."""
        for sse in self._sse.feed(data):
            yield from self._dispatch(sse.data)

    def close(self) -> list[StreamEvent]:
        """At the end of the body: the last usage and the finish. Raises `StreamTruncated` when the
        body ended before the event carrying the finish reason."""
        last = self._sse.close()  # an event the server did not terminate with a blank line
        try:
            events = [] if last is None else self._dispatch(last.data)
        except msgspec.DecodeError as exc:
            raise StreamTruncated("the stream ended inside an event") from exc
        if self._finish is None:
            raise StreamTruncated("the stream ended before the answer was finished")
        if self._usage is not None:
            events.append(UsageReport(usage=to_usage(self._usage)))
        events.append(Finish(reason=finish_reason(self._finish, tool_calls=self._calls > 0)))
        return events

    def _dispatch(self, data: bytes) -> list[StreamEvent]:
        response = RESPONSE_DECODER.decode(data)
        if response.usage_metadata is not None:
            self._usage = response.usage_metadata
        candidate = first_candidate(response)
        if candidate is None:
            return []
        events: list[StreamEvent] = []
        if candidate.finish_reason:
            self._finish = candidate.finish_reason
        for part in parts_of(candidate):
            if part.function_call is not None:
                call = to_tool_call(part.function_call, self._calls)
                events.append(ToolCallDelta(index=self._calls, id=call.id, name=call.name, arguments=call.arguments))
                self._calls += 1
            elif part.text and not part.thought:
                events.append(TextDelta(text=part.text))
        return events
