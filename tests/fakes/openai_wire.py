"""OpenAI chat-completions wire shapes, built as plain dicts for the fake server.

Shapes follow what api.openai.com returns today (2025-2026): non-streaming `chat.completion`
objects, `chat.completion.chunk` SSE events and the `{"error": {...}}` envelope.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

FINGERPRINT = "fp_fake0penai"


@dataclass(frozen=True, kw_only=True)
class FakeToolCall:
    id: str
    name: str
    arguments: str = "{}"


@dataclass(frozen=True, kw_only=True)
class FakeUsage:
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int = 0
    reasoning_tokens: int = 0

    def to_wire(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": self.cached_tokens, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": self.reasoning_tokens,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        }


def completion(
    *, id: str, created: int, model: str, text: str | None, refusal: str | None,
    tool_calls: tuple[FakeToolCall, ...], finish_reason: str, usage: FakeUsage,
) -> dict[str, Any]:
    """A whole `chat.completion`; `tool_calls` is left out of the message when there are none."""
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": refusal, "annotations": []}
    if tool_calls:
        message["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in tool_calls
        ]
    return {
        "id": id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
        "usage": usage.to_wire(),
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
    }


def split_text(text: str) -> list[str]:
    """Word pieces with their trailing spaces, as a tokenizer-ish stream would send them."""
    return re.findall(r"\s*\S+\s*", text) or ([text] if text else [])


def chunks(
    *, id: str, created: int, model: str, text: str | None, refusal: str | None,
    tool_calls: tuple[FakeToolCall, ...], finish_reason: str, usage: FakeUsage | None,
    include_usage: bool, args_piece: int = 8,
) -> Iterator[dict[str, Any]]:
    """The `chat.completion.chunk` sequence OpenAI streams, [DONE] excluded."""

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": id, "object": "chat.completion.chunk", "created": created, "model": model,
            "service_tier": "default", "system_fingerprint": FINGERPRINT,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if include_usage:
            out["usage"] = None
        return out

    first: dict[str, Any] = {"role": "assistant", "content": None if text is None else "", "refusal": None}
    yield chunk(first)
    for piece in split_text(text or ""):
        yield chunk({"content": piece})
    for piece in split_text(refusal or ""):
        yield chunk({"refusal": piece})
    for index, call in enumerate(tool_calls):
        head = {"index": index, "id": call.id, "type": "function",
                "function": {"name": call.name, "arguments": ""}}
        yield chunk({"tool_calls": [head]})
        for start in range(0, len(call.arguments), args_piece):
            piece = call.arguments[start : start + args_piece]
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
    yield chunk({}, finish_reason)
    if include_usage and usage is not None:
        last = chunk({})
        last["choices"] = []
        last["usage"] = usage.to_wire()
        yield last


def error_body(message: str, type: str, code: str | None, param: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error", 401: "invalid_request_error", 403: "invalid_request_error",
    404: "invalid_request_error", 408: "timeout", 422: "invalid_request_error",
    429: "requests", 500: "server_error", 503: "server_error", 529: "overloaded_error",
}
