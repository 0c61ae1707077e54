"""Mistral `/v1/chat/completions` wire shapes and request checks, as plain dicts for the fake server.

Shapes follow what api.mistral.ai returns (2025-2026): 32-hex ids without prefix, `usage` before
`choices`, tool calls whole in one stream delta, the last stream chunk carrying the last text
piece, the finish reason and the usage, and `{"object": "error", …}` error bodies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.fakes.openai_wire import split_text

# The request fields the API accepts; anything else is a 422 `extra_forbidden`.
REQUEST_FIELDS = frozenset({
    "model", "messages", "temperature", "top_p", "max_tokens", "stream", "stop", "random_seed",
    "metadata", "response_format", "tools", "tool_choice", "presence_penalty", "frequency_penalty",
    "n", "prediction", "parallel_tool_calls", "prompt_mode", "safe_prompt", "reasoning_effort",
    "prompt_cache_key", "service_tier", "guardrails",
})
MESSAGE_FIELDS: dict[str, frozenset[str]] = {
    "system": frozenset({"role", "content"}),
    "user": frozenset({"role", "content"}),
    "assistant": frozenset({"role", "content", "tool_calls", "prefix"}),
    "tool": frozenset({"role", "content", "tool_call_id", "name"}),
}
# mistral-common's order check: which role may follow which
NEXT_ROLES: dict[str, frozenset[str]] = {
    "system": frozenset({"system", "user", "assistant"}),
    "user": frozenset({"system", "user", "assistant"}),
    "assistant": frozenset({"assistant", "user", "tool"}),
    "tool": frozenset({"assistant", "tool"}),
}
TOOL_CALL_ID = re.compile(r"[A-Za-z0-9]{9}")


@dataclass(frozen=True, kw_only=True)
class FakeToolCall:
    id: str  # Mistral's own ids are 9 letters or digits, e.g. "D681PevKs"
    name: str
    arguments: str = "{}"


@dataclass(frozen=True, kw_only=True)
class FakeUsage:
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int | None = None  # reported under prompt_tokens_details when set

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "prompt_tokens": self.prompt_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "completion_tokens": self.completion_tokens,
        }
        if self.cached_tokens is not None:
            out["prompt_tokens_details"] = {"cached_tokens": self.cached_tokens}
        return out


def error_body(message: Any, type: str, code: str | None) -> dict[str, Any]:
    return {"object": "error", "message": message, "type": type, "param": None, "code": code}


def extra_forbidden(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Pydantic's `extra_forbidden` errors for unknown top-level and message fields."""
    problems = [_forbidden(("body", key), value) for key, value in payload.items() if key not in REQUEST_FIELDS]
    for i, message in enumerate(payload.get("messages") or ()):
        role = message.get("role", "")
        allowed = MESSAGE_FIELDS.get(role, frozenset())
        problems += [_forbidden(("body", "messages", i, role, key), value)
                     for key, value in message.items() if key not in allowed]
    return problems


def _forbidden(loc: tuple[Any, ...], value: Any) -> dict[str, Any]:
    return {"type": "extra_forbidden", "loc": list(loc), "msg": "Extra inputs are not permitted", "input": value}


def message_problem(messages: list[dict[str, Any]]) -> tuple[str, str, str] | None:
    """(message, type, code) of the 400 the API answers for a bad tool-call id or role order."""
    previous = None
    for message in messages:
        ids = [c.get("id", "") for c in message.get("tool_calls") or ()]
        ids += [message["tool_call_id"]] if "tool_call_id" in message else []
        for call_id in ids:
            if not TOOL_CALL_ID.fullmatch(str(call_id)):
                text = f"Tool call id was {call_id} but must be a-z, A-Z, 0-9, with a length of 9."
                return text, "invalid_function_call", "3280"
        role = message.get("role")
        if previous is not None and role not in NEXT_ROLES.get(previous, frozenset()):
            return f"Unexpected role '{role}' after role '{previous}'", "invalid_request_message_order", "3230"
        previous = role
    return None


def completion(
    *, id: str, created: int, model: str, text: str | None, tool_calls: tuple[FakeToolCall, ...],
    finish_reason: str, usage: FakeUsage,
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "tool_calls": None, "content": text or ""}
    if tool_calls:
        message["tool_calls"] = [_call(c, i) for i, c in enumerate(tool_calls)]
    return {
        "id": id, "object": "chat.completion", "model": model, "usage": usage.to_wire(), "created": created,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
    }


def chunks(
    *, id: str, created: int, model: str, text: str | None, tool_calls: tuple[FakeToolCall, ...],
    finish_reason: str, usage: FakeUsage,
) -> Iterator[dict[str, Any]]:
    """The `chat.completion.chunk` sequence Mistral streams, [DONE] excluded."""

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": id, "object": "chat.completion.chunk", "created": created, "model": model,
                               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        if finish is not None:
            out["usage"] = usage.to_wire()
        return out

    yield chunk({"role": "assistant", "content": ""})
    if tool_calls:
        yield chunk({"tool_calls": [_call(c, i) for i, c in enumerate(tool_calls)]}, finish_reason)
        return
    pieces = split_text(text or "") or [""]
    for piece in pieces[:-1]:
        yield chunk({"content": piece})
    yield chunk({"content": pieces[-1]}, finish_reason)


def _call(c: FakeToolCall, index: int) -> dict[str, Any]:
    return {"id": c.id, "function": {"name": c.name, "arguments": c.arguments}, "index": index}
