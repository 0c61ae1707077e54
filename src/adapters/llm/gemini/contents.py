"""Domain messages -> Gemini `contents` and `systemInstruction` parts (pure)."""

from __future__ import annotations

import mimetypes
import re
from typing import Any
from urllib.parse import urlsplit

import msgspec

from domain.chat import ContentPart, ImagePart, Message, Role, TextPart, ToolCall
from domain.errors import InvalidRequestError, UnsupportedFeatureError

# Gemini 3+ rejects a replayed functionCall part without the thoughtSignature it was answered with
# (400). OpenAI-shaped history cannot carry it, so replayed calls get the sentinel Google documents
# for history built elsewhere (https://ai.google.dev/gemini-api/docs/thought-signatures).
SKIP_SIGNATURE = "skip_thought_signature_validator"
_MAJOR_VERSION = re.compile(r"gemini-(\d+)")
_RESOLUTION = {"low": "MEDIA_RESOLUTION_LOW", "high": "MEDIA_RESOLUTION_HIGH"}
_OBJECT = msgspec.json.Decoder(dict[str, Any])


def needs_thought_signature(model: str) -> bool:
    match = _MAJOR_VERSION.search(model)
    return match is not None and int(match.group(1)) >= 3


class ContentsBuilder:
    """Feed messages in order; read `system` and `contents` at the end."""

    def __init__(self, *, model: str) -> None:
        self.system: list[dict[str, Any]] = []
        self.contents: list[dict[str, Any]] = []
        self._call_names: dict[str, str] = {}  # tool call id -> function name; a later turn's id wins
        self._signature = SKIP_SIGNATURE if needs_thought_signature(model) else None

    def add(self, m: Message) -> None:
        if m.name is not None:
            raise UnsupportedFeatureError("Gemini does not take a participant 'name' on messages", param="messages")
        match m.role:
            case Role.SYSTEM:
                self.system.extend(_text_parts(m.content))
            case Role.USER:
                self._append("user", _user_parts(m.content))
            case Role.ASSISTANT:
                self._append("model", _text_parts(m.content) + [self._function_call(c) for c in m.tool_calls])
            case Role.TOOL:
                self._append("user", [self._function_response(m)])

    def _append(self, role: str, parts: list[dict[str, Any]]) -> None:
        if not parts:  # Gemini refuses empty turns; an empty message says nothing anyway
            return
        if self.contents and self.contents[-1]["role"] == role:
            self.contents[-1]["parts"].extend(parts)
        else:
            self.contents.append({"role": role, "parts": parts})

    def _function_call(self, call: ToolCall) -> dict[str, Any]:
        self._call_names[call.id] = call.name
        part: dict[str, Any] = {"functionCall": {"name": call.name, "args": _arguments(call.arguments)}}
        if self._signature is not None:
            part["thoughtSignature"] = self._signature
        return part

    def _function_response(self, m: Message) -> dict[str, Any]:
        """Gemini matches results to calls by function name: the name comes from the earlier call."""
        name = self._call_names.get(m.tool_call_id or "")
        if name is None:
            raise InvalidRequestError(
                f"tool message '{m.tool_call_id}' answers no tool call of an earlier assistant message",
                param="messages",
            )
        return {"functionResponse": {"name": name, "response": _response_object(m.text())}}


def _arguments(arguments: str) -> dict[str, Any]:
    if not arguments.strip():
        return {}
    try:
        return _OBJECT.decode(arguments)
    except msgspec.DecodeError:
        raise InvalidRequestError("tool call arguments must be a JSON object", param="messages") from None


def _response_object(text: str) -> dict[str, Any]:
    """`response` must be an object: a JSON object result goes as is, anything else under `output`
    (the key Gemini reads as the function's output)."""
    if text.lstrip().startswith("{"):
        try:
            return _OBJECT.decode(text)
        except msgspec.DecodeError:
            pass
    return {"output": text}


def _text_parts(content: str | tuple[ContentPart, ...] | None) -> list[dict[str, Any]]:
    if content is None or isinstance(content, str):
        return [{"text": content}] if content else []
    if any(isinstance(p, ImagePart) for p in content):
        raise UnsupportedFeatureError("images are only accepted in user messages", param="messages")
    return [{"text": p.text} for p in content if isinstance(p, TextPart) and p.text]


def _user_parts(content: str | tuple[ContentPart, ...] | None) -> list[dict[str, Any]]:
    if content is None or isinstance(content, str):
        return _text_parts(content)
    parts: list[dict[str, Any]] = []
    for part in content:
        if isinstance(part, ImagePart):
            parts.append(_image(part))
        elif part.text:
            parts.append({"text": part.text})
    return parts


def _image(image: ImagePart) -> dict[str, Any]:
    """`data:` URLs go inline; http(s) URLs as `fileData`, whose MIME type Gemini requires."""
    url = image.url
    if url.startswith("data:"):
        header, comma, data = url[5:].partition(",")
        mime = header.split(";", 1)[0]
        if not comma or not mime or not header.endswith(";base64"):
            raise UnsupportedFeatureError("an image data: URL must be base64 with a media type", param="messages")
        part: dict[str, Any] = {"inlineData": {"mimeType": mime, "data": data}}
    elif url.startswith(("https://", "http://")):
        mime = mimetypes.guess_type(urlsplit(url).path)[0]
        if mime is None:
            raise UnsupportedFeatureError(
                "Gemini needs the media type of an image URL and it cannot be told from the path; "
                "send the image as a base64 data: URL", param="messages")
        part = {"fileData": {"mimeType": mime, "fileUri": url}}
    else:
        raise UnsupportedFeatureError("an image URL must be http(s) or a data: URL", param="messages")
    if image.detail in _RESOLUTION:
        part["mediaResolution"] = {"level": _RESOLUTION[image.detail]}
    elif image.detail not in (None, "auto"):
        raise InvalidRequestError(f"unknown image detail '{image.detail}'", param="messages")
    return part
