"""OpenAI SSE bytes -> domain `StreamEvent`s (pure and incremental: feed bytes as they arrive).

OpenAI sends `data: {chunk}\\n\\n` events, a finish chunk, then (with `include_usage`) a chunk with
empty `choices` and the usage, then `data: [DONE]`. Compatible servers differ: Together puts the
usage on the finish chunk, vLLM may repeat it on every chunk, some omit `[DONE]`. So the usage and
finish reason are held and emitted together, last usage winning, at `[DONE]` or at the end of the body.
"""

from __future__ import annotations

from collections.abc import Iterator

from adapters.llm.openai.response import finish_reason, to_usage
from adapters.llm.openai.wire import COMPLETION_DECODER, Completion, ErrorObject, InBandError, StreamTruncated
from domain.completion import Finish, FinishReason, StreamEvent, TextDelta, ToolCallDelta, UsageReport
from domain.usage import Usage


class ChunkParser:
    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []
        self._event: bytes | None = None
        self._finish: FinishReason | None = None
        self._usage: Usage | None = None
        self.done = False  # `[DONE]` seen: the caller may stop reading

    def feed(self, data: bytes) -> Iterator[StreamEvent]:
        """Events completed by these bytes, each as soon as its line is read, so the events before an
        in-band error in the same read still reach the caller. Raises `InBandError` or a msgspec
        error on a bad chunk."""
        lines = (self._buffer + data).split(b"\n")
        self._buffer = lines.pop()  # an unfinished line waits for more bytes
        for line in lines:
            events: list[StreamEvent] = []
            self._line(line.removesuffix(b"\r"), events)
            yield from events

    def close(self) -> list[StreamEvent]:
        """At the end of the body: the held usage and finish, unless `[DONE]` already flushed them."""
        if self.done:
            return []
        events: list[StreamEvent] = []
        self._line(self._buffer, events)
        self._line(b"", events)  # an event the server did not terminate with a blank line
        self._buffer = b""
        if self.done:
            return events
        if self._finish is None:
            raise StreamTruncated("the stream ended before the answer was finished")
        return events + self._flush()

    def _line(self, line: bytes, events: list[StreamEvent]) -> None:
        if not line:  # a blank line ends one SSE event
            if self._data:
                self._dispatch(b"\n".join(self._data), events)
            self._data, self._event = [], None
        elif line.startswith(b"data:"):
            self._data.append(line[6:] if line.startswith(b"data: ") else line[5:])
        elif line.startswith(b"event:"):
            self._event = line[6:].strip()
        # comments (`: keep-alive`), `id:` and `retry:` lines carry nothing for us

    def _dispatch(self, data: bytes, events: list[StreamEvent]) -> None:
        if self.done:  # nothing after [DONE] counts
            return
        if data == b"[DONE]":
            events.extend(self._flush())
            self.done = True
            return
        chunk = COMPLETION_DECODER.decode(data)
        if chunk.error is not None or self._event == b"error":
            raise InBandError(chunk.error or ErrorObject(message="error event in the stream"))
        if chunk.usage is not None:
            self._usage = to_usage(chunk.usage)
        self._deltas(chunk, events)

    def _deltas(self, chunk: Completion, events: list[StreamEvent]) -> None:
        for choice in chunk.choices or ():
            if choice.finish_reason is not None:
                self._finish = finish_reason(choice.finish_reason)
            delta = choice.delta
            if delta is None:
                continue
            if delta.content:
                events.append(TextDelta(text=delta.content))
            if delta.refusal:
                events.append(TextDelta(text=delta.refusal))
            for call in delta.tool_calls or ():
                fn = call.function
                name, arguments = (fn.name, fn.arguments or "") if fn is not None else (None, "")
                if call.id or name or arguments:
                    events.append(ToolCallDelta(index=call.index, id=call.id, name=name, arguments=arguments))

    def _flush(self) -> list[StreamEvent]:
        events: list[StreamEvent] = [] if self._usage is None else [UsageReport(usage=self._usage)]
        events.append(Finish(reason=self._finish or FinishReason.STOP))
        return events
