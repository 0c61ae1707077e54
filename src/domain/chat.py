"""The vendor-neutral chat request: what every vendor adapter translates from."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import msgspec


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


class TextPart(msgspec.Struct, frozen=True, kw_only=True, tag="text", tag_field="type"):
    text: str


class ImagePart(msgspec.Struct, frozen=True, kw_only=True, tag="image", tag_field="type"):
    """An image by URL; a `data:` URL carries the bytes inline."""

    url: str
    detail: str | None = None


ContentPart = TextPart | ImagePart


class ToolCall(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    arguments: str  # JSON text, exactly as the model produced it


class Message(msgspec.Struct, frozen=True, kw_only=True):
    role: Role
    content: str | tuple[ContentPart, ...] | None = None
    name: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None

    def text(self) -> str:
        """The message's text, content parts joined; images are left out."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text for p in self.content if isinstance(p, TextPart))


class ToolSpec(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class ToolChoice(msgspec.Struct, frozen=True, kw_only=True):
    """`mode` is auto, none or required; `tool` forces one named function."""

    mode: str = "auto"
    tool: str | None = None


class ResponseFormat(msgspec.Struct, frozen=True, kw_only=True):
    """`type` is text, json_object or json_schema (with `schema` and `name`)."""

    type: str = "text"
    name: str | None = None
    schema: dict[str, Any] | None = None
    strict: bool | None = None


class ChatParams(msgspec.Struct, frozen=True, kw_only=True):
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    user: str | None = None
    tools: tuple[ToolSpec, ...] = ()
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    response_format: ResponseFormat | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None


class ChatRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What the caller asked for, before routing: `model` is an alias or a model name."""

    model: str
    messages: tuple[Message, ...]
    params: ChatParams = ChatParams()
    stream: bool = False
    include_usage: bool = False

    def __post_init__(self) -> None:
        if not self.messages:
            raise ValueError("messages must not be empty")
