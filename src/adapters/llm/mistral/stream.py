"""Mistral SSE bytes -> domain `StreamEvent`s (pure and incremental: feed bytes as they arrive).

Mistral sends `data: {chunk}\\n\\n` events and ends with `data: [DONE]`. The last chunk carries the
final piece of text, the finish reason and the usage together; a tool call arrives whole in one
delta (id, name and all its arguments), several calls possibly in one delta. The usage and finish
reason are held and emitted together, usage first, at `[DONE]` or at the end of the body.
"""

from __future__ import annotations

from collections.abc import Iterator

from adapters.llm.mistral.response import ERROR_FINISH, arguments_of, finish_reason, text_of, to_usage
from adapters.llm.mistral.wire import COMPLETION_DECODER, Completion, InBandError, StreamTruncated, ToolCallOut
from domain.completion import Finish, FinishReason, StreamEvent, TextDelta, ToolCallDelta, UsageReport
from domain.usage import Usage

_DATA = b"data:"


class ChunkParser:
    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []
        self._finish: FinishReason | None = None
        self._usage: Usage | None = None
        self._calls: dict[int, tuple[str | None, int]] = {}  # vendor index -> (call id, our index)
        self._next_index = 0
        self.done = False  # `[DONE]` seen: the caller may stop reading

    def feed(self, data: bytes) -> Iterator[StreamEvent]:
        """Events completed by these bytes, each as soon as its line is read, so the events before an
        in-band error in the same read still reach the caller.
        Raises `InBandError` or a msgspec error on a bad chunk."""
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
            self._data = []
        elif line.startswith(_DATA):
            self._data.append(line[6:] if line.startswith(b"data: ") else line[5:])
        # comments (`: keep-alive`), `event:`, `id:` and `retry:` lines carry nothing for us

    def _dispatch(self, data: bytes, events: list[StreamEvent]) -> None:
        if self.done:  # nothing after [DONE] counts
            return
        if data == b"[DONE]":
            events.extend(self._flush())
            self.done = True
            return
        chunk = COMPLETION_DECODER.decode(data)
        if chunk.object == "error":
            raise InBandError(chunk.message or "error event in the stream")
        if chunk.usage is not None:
            self._usage = to_usage(chunk.usage)
        self._deltas(chunk, events)

    def _deltas(self, chunk: Completion, events: list[StreamEvent]) -> None:
        for choice in chunk.choices or ():
            delta = choice.delta
            if delta is not None:
                if text := text_of(delta.content):
                    events.append(TextDelta(text=text))
                for call in delta.tool_calls or ():
                    events.append(self._tool_call(call))
            if choice.finish_reason == ERROR_FINISH:
                raise InBandError("the model failed while generating the answer (finish_reason 'error')")
            if choice.finish_reason is not None:
                self._finish = finish_reason(choice.finish_reason)

    def _tool_call(self, call: ToolCallOut) -> ToolCallDelta:
        """Our index follows the calls' order; a piece without a new id continues the call at its index."""
        call_id = call.id if call.id and call.id != "null" else None
        vendor_index = call.index or 0
        known = self._calls.get(vendor_index)
        if known is not None and call_id in (None, known[0]):
            index = known[1]
        else:
            index, self._next_index = self._next_index, self._next_index + 1
            self._calls[vendor_index] = (call_id, index)
        fn = call.function
        name, arguments = (fn.name, arguments_of(fn)) if fn is not None else (None, "")
        return ToolCallDelta(index=index, id=call_id, name=name, arguments=arguments)

    def _flush(self) -> list[StreamEvent]:
        events: list[StreamEvent] = [] if self._usage is None else [UsageReport(usage=self._usage)]
        events.append(Finish(reason=self._finish or FinishReason.STOP))
        return events
