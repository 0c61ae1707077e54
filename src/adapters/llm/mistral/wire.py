"""Private msgspec shapes of Mistral's `/v1/chat/completions` answers, stream chunks and errors.

Only the fields we read; unknown fields are ignored. Mistral differs from OpenAI in a few places
the shapes below allow for: `content` may be a list of typed chunks (`text`, `thinking`, …),
`arguments` may come as a JSON object instead of a string, and a stream chunk may carry content,
a finish reason and the usage all at once.
"""

from __future__ import annotations

from typing import Any

import msgspec


class TextChunk(msgspec.Struct, frozen=True):
    type: str = "text"
    text: str | None = None  # `thinking` chunks carry `thinking` instead, which we skip


class FunctionCall(msgspec.Struct, frozen=True):
    name: str | None = None
    arguments: str | dict[str, Any] | None = None


class ToolCallOut(msgspec.Struct, frozen=True):
    id: str | None = None
    function: FunctionCall | None = None
    index: int | None = None


class MessageOut(msgspec.Struct, frozen=True):
    content: str | list[TextChunk] | None = None
    tool_calls: list[ToolCallOut] | None = None


class Choice(msgspec.Struct, frozen=True):
    message: MessageOut | None = None
    delta: MessageOut | None = None  # stream chunks carry `delta` instead of `message`
    finish_reason: str | None = None


class PromptDetails(msgspec.Struct, frozen=True):
    cached_tokens: int | None = None


class UsageOut(msgspec.Struct, frozen=True):
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    prompt_tokens_details: PromptDetails | None = None


class Completion(msgspec.Struct, frozen=True):
    """A `chat.completion` or one `chat.completion.chunk`; `object` is `error` for an in-band error."""

    id: str = ""
    model: str = ""
    object: str | None = None
    choices: list[Choice] | None = None
    usage: UsageOut | None = None
    message: str | None = None  # set on an in-band error object


COMPLETION_DECODER = msgspec.json.Decoder(Completion)


class ErrorBody(msgspec.Struct, frozen=True):
    """Every error body Mistral is known to send: `{"object": "error", "message", "type", "code"}`,
    a 422 whose `message` (and `detail`) is pydantic's error list, or the gateway's
    `{"detail": "Unauthorized"}` / `{"message": "Unauthorized", "request_id": …}`."""

    message: str | list[Any] | dict[str, Any] | None = None
    detail: str | list[Any] | None = None
    type: str | None = None
    code: str | int | None = None


ERROR_DECODER = msgspec.json.Decoder(ErrorBody)


class MalformedResponse(ValueError):
    """The vendor answered 2xx with a body we cannot use."""


class InBandError(Exception):
    """The vendor reported a failure inside a 2xx body or stream (`finish_reason: error`, an error object)."""


class StreamTruncated(ConnectionError):
    """The byte stream ended before the answer was finished."""
