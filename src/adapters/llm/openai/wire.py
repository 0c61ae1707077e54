"""Private msgspec shapes of OpenAI's chat-completions responses and stream chunks.

Only the fields we read; unknown fields are ignored and nullable fields are `| None`, because
OpenAI-compatible servers (vLLM, Together, Ollama) send `null` where OpenAI omits a key.
"""

from __future__ import annotations

import msgspec


class ErrorObject(msgspec.Struct, frozen=True):
    message: str | None = None
    type: str | None = None
    code: str | int | None = None
    param: str | None = None


class FunctionCall(msgspec.Struct, frozen=True):
    name: str | None = None
    arguments: str | None = None


class ToolCallOut(msgspec.Struct, frozen=True):
    id: str | None = None
    function: FunctionCall | None = None
    index: int = 0  # stream deltas only


class MessageOut(msgspec.Struct, frozen=True):
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[ToolCallOut] | None = None


class Choice(msgspec.Struct, frozen=True):
    message: MessageOut | None = None
    delta: MessageOut | None = None  # stream chunks carry `delta` instead of `message`
    finish_reason: str | None = None


class PromptDetails(msgspec.Struct, frozen=True):
    cached_tokens: int | None = None


class CompletionDetails(msgspec.Struct, frozen=True):
    reasoning_tokens: int | None = None


class UsageOut(msgspec.Struct, frozen=True):
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    prompt_tokens_details: PromptDetails | None = None
    completion_tokens_details: CompletionDetails | None = None


class Completion(msgspec.Struct, frozen=True):
    """A `chat.completion` or one `chat.completion.chunk`; `error` is set by servers failing in-band."""

    id: str = ""
    model: str = ""
    choices: list[Choice] | None = None
    usage: UsageOut | None = None
    system_fingerprint: str | None = None
    error: ErrorObject | None = None


COMPLETION_DECODER = msgspec.json.Decoder(Completion)


class MalformedResponse(ValueError):
    """The vendor answered 2xx with a body we cannot use."""


class InBandError(Exception):
    """The vendor reported an error inside a 2xx body or stream."""

    def __init__(self, error: ErrorObject) -> None:
        super().__init__(error.message or "error reported inside the response")
        self.error = error


class StreamTruncated(ConnectionError):
    """The byte stream ended before the answer was finished."""
