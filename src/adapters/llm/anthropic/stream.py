"""Anthropic SSE bytes -> domain `StreamEvent`s (pure and incremental: feed bytes as they arrive).

A streamed message is `message_start` (id, model, input usage, a provisional `output_tokens`),
then per content block `content_block_start`, `content_block_delta`s (`text_delta`,
`input_json_delta`, `thinking_delta`, ...) and `content_block_stop`, then `message_delta` (stop
reason, cumulative usage: its `output_tokens` is the final count) and `message_stop`; `ping`
events may come anywhere, `error` events report a failure in-band. Tool calls are numbered by
their order among the tool calls (a text block before them does not count), and usage and
finish are emitted together at `message_stop`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from adapters.llm.anthropic.response import finish_reason, to_usage
from adapters.llm.anthropic.wire import (
    EVENT_TYPE_DECODER,
    BlockDelta,
    BlockStart,
    BlockStop,
    Delta,
    ErrorEvent,
    InBandError,
    MessageDelta,
    MessageStart,
    StreamTruncated,
    UsageOut,
)
from adapters.llm.common.sse import SseEvent, SseReader
from domain.completion import Finish, StreamEvent, TextDelta, ToolCallDelta, UsageReport

_DECODERS: dict[bytes, msgspec.json.Decoder[Any]] = {
    name: msgspec.json.Decoder(shape)
    for name, shape in [(b"message_start", MessageStart), (b"content_block_start", BlockStart),
                        (b"content_block_delta", BlockDelta), (b"content_block_stop", BlockStop),
                        (b"message_delta", MessageDelta), (b"error", ErrorEvent)]
}


class EventParser:
    def __init__(self) -> None:
        self._sse = SseReader()
        self._usage = UsageOut()
        self._stop_reason: str | None = None
        self._tools: dict[int, int] = {}  # content block index -> tool call ordinal
        self._with_arguments: set[int] = set()  # tool call ordinals
        self.done = False  # `message_stop` seen: the caller may stop reading

    def feed(self, data: bytes) -> Iterator[StreamEvent]:
        """Events completed by these bytes. An `error` event raises `InBandError` (a bad one a msgspec
        error) in its place, after the events before it in the same bytes: iterate to the end."""
        for sse in self._sse.feed(data):
            yield from self._event(sse)

    def close(self) -> Iterator[StreamEvent]:
        """At the end of the body: raises `StreamTruncated` unless `message_stop` came."""
        if not self.done and (last := self._sse.close()) is not None:
            yield from self._event(last)  # an event the server did not end with a blank line
        if not self.done:
            raise StreamTruncated("the stream ended before message_stop")

    def _event(self, sse: SseEvent) -> list[StreamEvent]:
        return self._dispatch(sse.name, sse.data) if sse.data and not self.done else []  # nothing after message_stop

    def _dispatch(self, name: bytes | None, data: bytes) -> list[StreamEvent]:
        if name is None:
            name = EVENT_TYPE_DECODER.decode(data).type.encode()
        if name == b"message_stop":
            self.done = True
            return [UsageReport(usage=to_usage(self._usage)), Finish(reason=finish_reason(self._stop_reason))]
        decoder = _DECODERS.get(name)
        if decoder is None:  # ping, or an event type newer than this adapter
            return []
        match decoder.decode(data):
            case BlockDelta(index=index, delta=delta):
                return self._delta(index, delta)
            case BlockStart(index=index, content_block=block) if block.type == "tool_use":
                ordinal = self._tools[index] = len(self._tools)
                return [ToolCallDelta(index=ordinal, id=block.id, name=block.name)]
            case BlockStart(content_block=block) if block.type == "text" and block.text:
                return [TextDelta(text=block.text)]
            case BlockStop(index=index) if index in self._tools and self._tools[index] not in self._with_arguments:
                return [ToolCallDelta(index=self._tools[index], arguments="{}")]  # as `complete` says it
            case MessageStart(message=message):
                self._usage = message.usage or UsageOut()
            case MessageDelta(delta=delta, usage=usage):
                self._stop_reason = delta.stop_reason or self._stop_reason
                if usage is not None:
                    self._usage = _merge(self._usage, usage)
            case ErrorEvent(error=error):
                raise InBandError(error)
        return []

    def _delta(self, index: int, delta: Delta) -> list[StreamEvent]:
        if delta.type == "text_delta" and delta.text:
            return [TextDelta(text=delta.text)]
        if delta.type == "input_json_delta" and delta.partial_json and index in self._tools:
            self._with_arguments.add(self._tools[index])
            return [ToolCallDelta(index=self._tools[index], arguments=delta.partial_json)]
        return []  # thinking, signature and citation deltas have no place in the domain's answer


def _merge(head: UsageOut, final: UsageOut) -> UsageOut:
    """`message_delta`'s counts are cumulative: each one it reports replaces `message_start`'s."""
    changes = {f: v for f in final.__struct_fields__ if (v := getattr(final, f)) is not None}
    return msgspec.structs.replace(head, **changes)
