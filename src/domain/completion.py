"""The vendor-neutral answer, whole or streamed."""

from __future__ import annotations

from enum import StrEnum

import msgspec

from domain.chat import ToolCall
from domain.usage import Usage


class FinishReason(StrEnum):
    """OpenAI's finish reasons; every vendor's are mapped onto these."""

    STOP = "stop"
    LENGTH = "length"
    TOOL_CALLS = "tool_calls"
    CONTENT_FILTER = "content_filter"


class ChatResponse(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    model: str  # the vendor's model name, as the vendor reported it
    content: str | None
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: FinishReason = FinishReason.STOP
    usage: Usage = Usage()
    system_fingerprint: str | None = None


class TextDelta(msgspec.Struct, frozen=True, kw_only=True, tag="text"):
    text: str


class ToolCallDelta(msgspec.Struct, frozen=True, kw_only=True, tag="tool_call"):
    """A piece of one tool call; `id` and `name` come with its first piece."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


class UsageReport(msgspec.Struct, frozen=True, kw_only=True, tag="usage"):
    usage: Usage


class Finish(msgspec.Struct, frozen=True, kw_only=True, tag="finish"):
    reason: FinishReason


StreamEvent = TextDelta | ToolCallDelta | UsageReport | Finish
