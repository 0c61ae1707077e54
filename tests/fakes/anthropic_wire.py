"""Anthropic Messages API wire shapes, built as plain dicts for the fake server.

Shapes follow what api.anthropic.com returns (API version 2026-10-21, SDK 2.12): a `message`
object, the SSE event sequence of a streamed message (`message_start`, `content_block_*`, `ping`,
`message_delta`, `message_stop`) and the `{"type": "error", "error": {...}}` envelope.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Event = tuple[str, dict[str, Any]]  # (SSE event name, data)


@dataclass(frozen=True, kw_only=True)
class FakeToolUse:
    id: str
    name: str
    input: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class FakeUsage:
    """As Anthropic counts: `input_tokens` excludes the cache reads and cache writes."""

    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0
    thinking_tokens: int | None = None

    def to_wire(self, *, output_tokens: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "input_tokens": self.input_tokens,
            "cache_creation_input_tokens": self.cache_creation_input_tokens,
            "cache_read_input_tokens": self.cache_read_input_tokens,
            "cache_creation": {"ephemeral_5m_input_tokens": self.cache_creation_input_tokens,
                               "ephemeral_1h_input_tokens": 0},
            "output_tokens": self.output_tokens if output_tokens is None else output_tokens,
            "service_tier": "standard",
        }
        if self.thinking_tokens is not None:
            out["output_tokens_details"] = {"thinking_tokens": self.thinking_tokens}
        return out


def _content(text: str | None, tool_uses: tuple[FakeToolUse, ...]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [] if text is None else [{"type": "text", "text": text}]
    blocks += [{"type": "tool_use", "id": t.id, "name": t.name, "input": t.input} for t in tool_uses]
    return blocks


def message(
    *, id: str, model: str, text: str | None, tool_uses: tuple[FakeToolUse, ...], stop_reason: str,
    usage: FakeUsage,
) -> dict[str, Any]:
    """A whole `message`, as `POST /v1/messages` answers without `stream`."""
    return {
        "id": id, "type": "message", "role": "assistant", "model": model,
        "content": _content(text, tool_uses), "stop_reason": stop_reason, "stop_sequence": None,
        "stop_details": None, "usage": usage.to_wire(),
    }


def split_text(text: str) -> list[str]:
    """Word pieces with their trailing spaces, as a tokenizer-ish stream would send them."""
    return re.findall(r"\s*\S+\s*", text) or ([text] if text else [])


def events(
    *, id: str, model: str, text: str | None, tool_uses: tuple[FakeToolUse, ...], stop_reason: str,
    usage: FakeUsage, args_piece: int = 8,
) -> Iterator[Event]:
    """The event sequence of a streamed message. `message_start` carries a provisional
    `output_tokens`; `message_delta` carries the cumulative usage, output total included."""
    start: dict[str, Any] = {"id": id, "type": "message", "role": "assistant", "model": model, "content": [],
                             "stop_reason": None, "stop_sequence": None, "stop_details": None,
                             "usage": usage.to_wire(output_tokens=1)}
    yield "message_start", {"type": "message_start", "message": start}
    index = 0
    if text is not None:
        yield _block_start(index, {"type": "text", "text": ""})
        yield "ping", {"type": "ping"}
        for piece in split_text(text):
            yield _delta(index, {"type": "text_delta", "text": piece})
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
        index += 1
    for tool in tool_uses:
        yield _block_start(index, {"type": "tool_use", "id": tool.id, "name": tool.name, "input": {}})
        arguments = json.dumps(tool.input)  # the same text `message()` serialises the input to
        yield _delta(index, {"type": "input_json_delta", "partial_json": ""})  # Anthropic opens with ""
        for at in range(0, len(arguments), args_piece):
            yield _delta(index, {"type": "input_json_delta", "partial_json": arguments[at : at + args_piece]})
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
        index += 1
    wire = usage.to_wire()
    del wire["cache_creation"], wire["service_tier"]
    delta = {"stop_reason": stop_reason, "stop_sequence": None, "stop_details": None}
    yield "message_delta", {"type": "message_delta", "delta": delta, "usage": wire}
    yield "message_stop", {"type": "message_stop"}


def _block_start(index: int, block: dict[str, Any]) -> Event:
    return "content_block_start", {"type": "content_block_start", "index": index, "content_block": block}


def _delta(index: int, delta: dict[str, Any]) -> Event:
    return "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}


def error_body(type: str, message: str, request_id: str = "req_011CFakeAnthropic") -> dict[str, Any]:
    return {"type": "error", "error": {"type": type, "message": message}, "request_id": request_id}


ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error", 401: "authentication_error", 402: "billing_error", 403: "permission_error",
    404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error", 500: "api_error",
    504: "timeout_error", 529: "overloaded_error",
}
