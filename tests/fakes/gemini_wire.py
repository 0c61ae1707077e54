"""Gemini API (generativelanguage.googleapis.com) wire shapes, built as plain dicts for the fake server.

Shapes follow what Google returns today: `GenerateContentResponse` objects in camelCase (one whole
object per `alt=sse` event when streaming, with cumulative `usageMetadata` on every event) and the
`{"error": {"code", "message", "status", "details"}}` envelope of Google APIs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class FakeFunctionCall:
    name: str
    args: dict[str, Any] = field(default_factory=dict)
    thought_signature: str | None = None  # Gemini 2.5+/3 attach one to function-call parts


@dataclass(frozen=True, kw_only=True)
class FakeUsage:
    prompt: int
    candidates: int
    cached: int = 0  # part of `prompt`, as Google counts it
    thoughts: int = 0  # not part of `candidates`

    def to_wire(self, *, candidates: int | None = None) -> dict[str, Any]:
        """`candidates`: the count so far, for the cumulative usage of a stream event."""
        out_tokens = self.candidates if candidates is None else candidates
        usage: dict[str, Any] = {
            "promptTokenCount": self.prompt,
            "candidatesTokenCount": out_tokens,
            "totalTokenCount": self.prompt + out_tokens + self.thoughts,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": self.prompt}],
        }
        if self.cached:
            usage["cachedContentTokenCount"] = self.cached
            usage["cacheTokensDetails"] = [{"modality": "TEXT", "tokenCount": self.cached}]
        if self.thoughts:
            usage["thoughtsTokenCount"] = self.thoughts
        return usage


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What one response says, shared by the JSON and SSE forms."""

    response_id: str
    model_version: str
    text: str | None
    function_calls: tuple[FakeFunctionCall, ...]
    finish_reason: str
    usage: FakeUsage
    block_reason: str | None = None


def _part(call: FakeFunctionCall) -> dict[str, Any]:
    part: dict[str, Any] = {"functionCall": {"name": call.name, "args": call.args}}
    if call.thought_signature:
        part["thoughtSignature"] = call.thought_signature
    return part


def _response(answer: Answer, parts: list[dict[str, Any]], *, finish: bool, usage: dict[str, Any]) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"parts": parts, "role": "model"}}
    if finish:
        candidate["finishReason"] = answer.finish_reason
    candidate["index"] = 0
    return {"candidates": [candidate], "usageMetadata": usage,
            "modelVersion": answer.model_version, "responseId": answer.response_id}


def blocked(answer: Answer) -> dict[str, Any]:
    """A prompt refused before generation: no candidates, only `promptFeedback`."""
    ratings = [{"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True}]
    return {
        "promptFeedback": {"blockReason": answer.block_reason, "safetyRatings": ratings},
        "usageMetadata": {"promptTokenCount": answer.usage.prompt, "totalTokenCount": answer.usage.prompt},
        "modelVersion": answer.model_version,
        "responseId": answer.response_id,
    }


def generate_content_response(answer: Answer) -> dict[str, Any]:
    if answer.block_reason:
        return blocked(answer)
    parts = [{"text": answer.text}] if answer.text else []
    parts += [_part(c) for c in answer.function_calls]
    return _response(answer, parts, finish=True, usage=answer.usage.to_wire())


def split_text(text: str, words: int = 2) -> list[str]:
    """Pieces of a few words with their spaces; Gemini streams a few tokens per event."""
    tokens = re.findall(r"\s*\S+\s*", text) or ([text] if text else [])
    return ["".join(tokens[i : i + words]) for i in range(0, len(tokens), words)]


def stream_events(answer: Answer) -> Iterator[dict[str, Any]]:
    """The `alt=sse` events: text pieces, then function calls whole in one event; the last event
    carries the finish reason; every event carries the usage so far."""
    if answer.block_reason:
        yield blocked(answer)
        return
    pieces: list[list[dict[str, Any]]] = [[{"text": p}] for p in split_text(answer.text or "")]
    if answer.function_calls:
        pieces.append([_part(c) for c in answer.function_calls])
    pieces = pieces or [[{"text": ""}]]
    for number, parts in enumerate(pieces, start=1):
        so_far = answer.usage.candidates * number // len(pieces)
        last = number == len(pieces)
        yield _response(answer, parts, finish=last, usage=answer.usage.to_wire(candidates=so_far))


# Google's canonical status names per HTTP status (google.rpc.Code)
STATUS_NAMES: dict[int, str] = {
    400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
    409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 499: "CANCELLED", 500: "INTERNAL", 501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}


def error_body(code: int, message: str, status: str | None = None,
               details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "status": status or STATUS_NAMES.get(code, "UNKNOWN")}
    if details:
        error["details"] = details
    return {"error": error}


def retry_info(delay: str) -> dict[str, Any]:
    return {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay}


def error_info(reason: str) -> dict[str, Any]:
    return {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": "googleapis.com",
            "metadata": {"service": "generativelanguage.googleapis.com"}}
