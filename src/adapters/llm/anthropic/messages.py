"""Domain messages -> Anthropic's top-level `system` and alternating user/assistant turns (pure).

- system (and developer) messages, wherever they stand, become the top-level `system`, joined by
  blank lines;
- consecutive messages of one role become one turn (Anthropic wants user and assistant to alternate);
- a tool result becomes a `tool_result` block in a user turn, so consecutive results share one turn;
- assistant tool calls become `tool_use` blocks, their JSON arguments parsed into `input`;
- images: `data:` URLs become base64 sources, http(s) URLs url sources; `detail` has no Anthropic
  counterpart (the vendor sizes images itself) and is not sent.
"""

from __future__ import annotations

from typing import Any

import msgspec

from domain.chat import ContentPart, ImagePart, Message, Role, TextPart, ToolCall
from domain.errors import InvalidRequestError, UnsupportedFeatureError

Block = dict[str, Any]
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_ARGUMENTS = msgspec.json.Decoder(dict[str, Any])


def to_turns(messages: tuple[Message, ...]) -> tuple[str | None, list[dict[str, Any]]]:
    """(system, turns). A turn whose only block is text is sent in the short string form."""
    system: list[str] = []
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.name is not None and message.role is not Role.TOOL:  # a tool result's is its call's
            raise UnsupportedFeatureError("Anthropic has no participant `name` on messages", param="messages")
        if message.role is Role.SYSTEM:
            if text := _text_only(message.content, what="system messages"):
                system.append(text)
            continue
        role = "assistant" if message.role is Role.ASSISTANT else "user"
        blocks = _blocks(message)
        if not blocks:
            continue  # an empty message carries nothing, and Anthropic refuses empty content
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    for turn in turns:
        match turn["content"]:
            case [{"type": "text", "text": str(text)}]:
                turn["content"] = text
    return ("\n\n".join(system) if system else None), turns


def _blocks(message: Message) -> list[Block]:
    match message.role:
        case Role.TOOL:
            if not message.tool_call_id:
                raise InvalidRequestError("a tool message needs tool_call_id", param="messages")
            content = message.content
            result = content if isinstance(content, str) else _parts(content or ())
            return [{"type": "tool_result", "tool_use_id": message.tool_call_id, "content": result}]
        case Role.ASSISTANT:
            text = _text_only(message.content, what="assistant messages")
            blocks = [{"type": "text", "text": text}] if text else []
            return blocks + [_tool_use(call) for call in message.tool_calls]
        case _:
            content = message.content
            if isinstance(content, str):
                return [{"type": "text", "text": content}] if content else []
            return _parts(content or ())


def _text_only(content: str | tuple[ContentPart, ...] | None, *, what: str) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    if any(isinstance(part, ImagePart) for part in content):
        raise UnsupportedFeatureError(f"Anthropic takes no images in {what}", param="messages")
    return "".join(part.text for part in content if isinstance(part, TextPart))


def _parts(parts: tuple[ContentPart, ...]) -> list[Block]:
    out: list[Block] = []
    for part in parts:
        match part:
            case TextPart(text=text) if text:  # Anthropic refuses empty text blocks
                out.append({"type": "text", "text": text})
            case ImagePart(url=url):
                out.append({"type": "image", "source": image_source(url)})
    return out


def image_source(url: str) -> Block:
    if url.startswith("data:"):
        header, comma, data = url[5:].partition(",")
        media_type, _, encoding = header.partition(";")
        if not comma or encoding != "base64" or not data:
            raise InvalidRequestError("an image data URL must be base64: data:<type>;base64,<data>",
                                      param="messages")
        if media_type not in IMAGE_TYPES:
            raise UnsupportedFeatureError(
                f"Anthropic takes JPEG, PNG, GIF or WebP images, not '{media_type or 'untyped'}'", param="messages"
            )
        return {"type": "base64", "media_type": media_type, "data": data}
    if url.startswith(("https://", "http://")):
        return {"type": "url", "url": url}
    raise InvalidRequestError("an image URL must be http(s) or a base64 data URL", param="messages")


def _tool_use(call: ToolCall) -> Block:
    try:
        arguments = _ARGUMENTS.decode(call.arguments or "{}")
    except msgspec.DecodeError as exc:  # ValidationError (not an object) included
        raise InvalidRequestError(
            f"the arguments of tool call '{call.id}' are not a JSON object: {exc}", param="messages"
        ) from exc
    return {"type": "tool_use", "id": call.id, "name": call.name, "input": arguments}
