"""Private msgspec shapes of the Gemini API's `GenerateContentResponse` (JSON and `alt=sse` events).

Only the fields we read; the JSON is camelCase, unknown fields are ignored. One shape serves the
whole response, each stream event, and the error envelope Google may put inside a stream.
"""

from __future__ import annotations

from typing import Any

import msgspec


class ErrorObject(msgspec.Struct, frozen=True):
    """Google's `{"error": {...}}`; `details` holds typed entries (`google.rpc.RetryInfo`, `ErrorInfo`, ...)."""

    code: int | None = None
    message: str | None = None
    status: str | None = None
    details: list[dict[str, Any]] | None = None


class FunctionCall(msgspec.Struct, frozen=True):
    name: str = ""
    args: dict[str, Any] | None = None
    id: str | None = None  # set by some models; the adapter falls back to positional ids


class Part(msgspec.Struct, frozen=True, rename="camel"):
    text: str | None = None
    thought: bool = False  # a thought summary, not answer text
    function_call: FunctionCall | None = None


class Content(msgspec.Struct, frozen=True):
    parts: list[Part] | None = None


class Candidate(msgspec.Struct, frozen=True, rename="camel"):
    content: Content | None = None
    finish_reason: str | None = None


class UsageMetadata(msgspec.Struct, frozen=True, rename="camel"):
    prompt_token_count: int = 0
    candidates_token_count: int = 0
    cached_content_token_count: int = 0
    thoughts_token_count: int = 0
    tool_use_prompt_token_count: int = 0


class PromptFeedback(msgspec.Struct, frozen=True, rename="camel"):
    block_reason: str | None = None
    block_reason_message: str | None = None


class GenerateContentResponse(msgspec.Struct, frozen=True, rename="camel"):
    candidates: list[Candidate] | None = None
    usage_metadata: UsageMetadata | None = None
    prompt_feedback: PromptFeedback | None = None
    model_version: str = ""
    response_id: str = ""
    error: ErrorObject | None = None


RESPONSE_DECODER = msgspec.json.Decoder(GenerateContentResponse)


class MalformedResponse(ValueError):
    """The vendor answered 2xx with a body we cannot use."""


class InBandError(Exception):
    """The vendor reported an error inside a 2xx body or stream."""

    def __init__(self, error: ErrorObject) -> None:
        super().__init__(error.message or "error reported inside the response")
        self.error = error


class PromptBlocked(Exception):
    """Gemini refused the prompt itself (`promptFeedback.blockReason`): no candidates at all."""

    def __init__(self, feedback: PromptFeedback) -> None:
        reason = feedback.block_reason or "OTHER"
        super().__init__(feedback.block_reason_message or f"the prompt was blocked by Gemini ({reason})")


class StreamTruncated(ConnectionError):
    """The byte stream ended before the answer was finished."""
