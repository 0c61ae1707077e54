"""Private msgspec shapes of Anthropic's Messages API answers: the `message`, the stream events, errors.

Only the fields we read; unknown fields are ignored. Anthropic adds block and event types over
time (thinking, server tools, ...): blocks keep any `type`, and events are decoded by name, so
an unknown one is skipped rather than failing the stream.
"""

from __future__ import annotations

import msgspec


class ErrorObject(msgspec.Struct, frozen=True):
    type: str | None = None
    message: str | None = None


class Block(msgspec.Struct, frozen=True):
    """A content block: `text`, `tool_use`, or one we do not surface (`thinking`, server tools...)."""

    type: str
    text: str | None = None
    id: str | None = None
    name: str | None = None
    input: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)  # as the vendor wrote it: the `arguments`


class OutputDetails(msgspec.Struct, frozen=True):
    thinking_tokens: int | None = None


class UsageOut(msgspec.Struct, frozen=True):
    """`input_tokens` counts only the uncached part of the prompt; the cache reads and writes come apart."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    output_tokens_details: OutputDetails | None = None


class MessageOut(msgspec.Struct, frozen=True):
    """A `message` (whole answer, or the head of a stream); `type` is `error` for an in-body error."""

    type: str = "message"
    id: str = ""
    model: str = ""
    content: list[Block] = []
    stop_reason: str | None = None
    usage: UsageOut | None = None
    error: ErrorObject | None = None


class Delta(msgspec.Struct, frozen=True):
    """A `content_block_delta`'s delta (text_delta, input_json_delta, ...) or a `message_delta`'s."""

    type: str | None = None
    text: str | None = None
    partial_json: str | None = None
    stop_reason: str | None = None


class MessageStart(msgspec.Struct, frozen=True):
    message: MessageOut


class BlockStart(msgspec.Struct, frozen=True):
    index: int
    content_block: Block


class BlockDelta(msgspec.Struct, frozen=True):
    index: int
    delta: Delta


class BlockStop(msgspec.Struct, frozen=True):
    index: int


class MessageDelta(msgspec.Struct, frozen=True):
    delta: Delta
    usage: UsageOut | None = None


class ErrorEvent(msgspec.Struct, frozen=True):
    error: ErrorObject


class EventType(msgspec.Struct, frozen=True):
    """Only the `type`: names an event that came without an `event:` line."""

    type: str = ""


MESSAGE_DECODER = msgspec.json.Decoder(MessageOut)
EVENT_TYPE_DECODER = msgspec.json.Decoder(EventType)
REQUEST_ENCODER = msgspec.json.Encoder()


class MalformedResponse(ValueError):
    """The vendor answered 2xx with a body we cannot use."""


class InBandError(Exception):
    """The vendor reported an error inside a 2xx body or stream (`event: error`)."""

    def __init__(self, error: ErrorObject) -> None:
        super().__init__(error.message or "error reported inside the response")
        self.error = error


class StreamTruncated(ConnectionError):
    """The byte stream ended before `message_stop`."""
