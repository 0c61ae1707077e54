"""Mistral SSE bytes -> domain `StreamEvent`s (pure and incremental: feed bytes as they arrive).

Mistral sends `data: {chunk}\\n\\n` events and ends with `data: [DONE]`. The last chunk carries the
final piece of text, the finish reason and the usage together; a tool call arrives whole in one
delta (id, name and all its arguments), several calls possibly in one delta. The usage and finish
reason are held and emitted together, usage first, at `[DONE]` or at the end of the body.
"""

from __future__ import annotations

from adapters.llm.common.chunk_stream import ChunkStreamParser
from adapters.llm.common.sse import SseEvent
from adapters.llm.mistral.response import ERROR_FINISH, arguments_of, finish_reason, text_of, to_usage
from adapters.llm.mistral.wire import COMPLETION_DECODER, Completion, InBandError, StreamTruncated, ToolCallOut
from domain.completion import StreamEvent, TextDelta, ToolCallDelta


class ChunkParser(ChunkStreamParser):
    truncated = StreamTruncated

    def __init__(self) -> None:
        super().__init__()
        self._calls: dict[int, tuple[str | None, int]] = {}  # vendor index -> (call id, our index)
        self._next_index = 0

    def _chunk(self, event: SseEvent) -> list[StreamEvent]:
        chunk = COMPLETION_DECODER.decode(event.data)
        if chunk.object == "error":
            raise InBandError(chunk.message or "error event in the stream")
        if chunk.usage is not None:
            self._usage = to_usage(chunk.usage)
        events: list[StreamEvent] = []
        self._deltas(chunk, events)
        return events

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
