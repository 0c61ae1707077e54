"""OpenAI SSE bytes -> domain `StreamEvent`s (pure and incremental: feed bytes as they arrive).

OpenAI sends `data: {chunk}\\n\\n` events, a finish chunk, then (with `include_usage`) a chunk with
empty `choices` and the usage, then `data: [DONE]`. Compatible servers differ: Together puts the
usage on the finish chunk, vLLM may repeat it on every chunk, some omit `[DONE]`. So the usage and
finish reason are held and emitted together, last usage winning, at `[DONE]` or at the end of the body.
"""

from __future__ import annotations

from adapters.llm.common.chunk_stream import ChunkStreamParser
from adapters.llm.common.sse import SseEvent
from adapters.llm.openai.response import finish_reason, to_usage
from adapters.llm.openai.wire import COMPLETION_DECODER, Completion, ErrorObject, InBandError, StreamTruncated
from domain.completion import StreamEvent, TextDelta, ToolCallDelta


class ChunkParser(ChunkStreamParser):
    truncated = StreamTruncated

    def _chunk(self, event: SseEvent) -> list[StreamEvent]:
        chunk = COMPLETION_DECODER.decode(event.data)
        if chunk.error is not None or event.name == b"error":
            raise InBandError(chunk.error or ErrorObject(message="error event in the stream"))
        if chunk.usage is not None:
            self._usage = to_usage(chunk.usage)
        events: list[StreamEvent] = []
        self._deltas(chunk, events)
        return events

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
