"""Domain `ChatRequest` -> the JSON body of Mistral's `POST /v1/chat/completions` (pure).

Mistral refuses any field it does not know (422), so only its own names are sent: `seed` goes as
`random_seed`, `max_tokens` as `max_tokens` (never `max_completion_tokens`), no `stream_options`
(the last stream chunk always carries the usage). `user` is left out: it only tags the request for
OpenAI's abuse monitoring, which has no Mistral counterpart, and changes nothing in the answer.
A field Mistral cannot honour (a participant `name`, images outside user messages) is refused.
Images go as `image_url` chunks; the vision models (Pixtral, Mistral Small 3.1+, Medium 3+,
Large 3) take them, and the API answers 400 for a model that does not.
"""

from __future__ import annotations

from typing import Any

from adapters.llm.mistral.tool_ids import ToolCallIds
from domain.chat import (
    ChatParams,
    ChatRequest,
    ContentPart,
    ImagePart,
    Message,
    ResponseFormat,
    Role,
    TextPart,
    ToolChoice,
    ToolSpec,
)
from domain.errors import InvalidRequestError, UnsupportedFeatureError

_NO_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}  # Mistral requires `parameters`
_TOOL_CHOICE = {"auto": "auto", "none": "none", "required": "any", "any": "any"}


def to_chat_body(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    ids = ToolCallIds()
    out: dict[str, Any] = {"model": request.model, "messages": [_message(m, ids) for m in request.messages]}
    out.update(_params(request.params))
    if stream:
        out["stream"] = True
    return out


def _params(p: ChatParams) -> dict[str, Any]:
    scalars: dict[str, Any] = {
        "temperature": p.temperature,
        "top_p": p.top_p,
        "max_tokens": p.max_tokens,
        "random_seed": p.seed,
        "presence_penalty": p.presence_penalty,
        "frequency_penalty": p.frequency_penalty,
    }
    out = {k: v for k, v in scalars.items() if v is not None}
    if p.stop:
        out["stop"] = list(p.stop)
    if p.tools:
        out["tools"] = [_tool(t) for t in p.tools]
        if p.tool_choice is not None:
            out["tool_choice"] = _tool_choice(p.tool_choice)
        if p.parallel_tool_calls is not None:
            out["parallel_tool_calls"] = p.parallel_tool_calls
    elif p.tool_choice is not None and (p.tool_choice.tool or p.tool_choice.mode in ("required", "any")):
        raise InvalidRequestError("tool_choice requires tools", param="tool_choice")
    if p.response_format is not None:
        out["response_format"] = _response_format(p.response_format)
    return out


def _message(m: Message, ids: ToolCallIds) -> dict[str, Any]:
    if m.name is not None and m.role is not Role.TOOL:
        raise UnsupportedFeatureError("Mistral does not take a participant `name` on messages", param="messages")
    out: dict[str, Any] = {"role": m.role.value}
    match m.role:
        case Role.USER:
            out["content"] = m.content if isinstance(m.content, str) else _parts(m.content or (), images=True)
        case Role.TOOL:
            if not m.tool_call_id:
                raise InvalidRequestError("a tool message needs tool_call_id", param="messages")
            out["content"] = _text_content(m.content) or ""
            out["tool_call_id"] = ids(m.tool_call_id)
            if name := m.name or ids.names.get(m.tool_call_id):
                out["name"] = name
        case Role.ASSISTANT:
            if m.content is not None:
                out["content"] = _text_content(m.content)
            if m.tool_calls:
                ids.names.update((c.id, c.name) for c in m.tool_calls)
                out["tool_calls"] = [
                    {"id": ids(c.id), "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                    for c in m.tool_calls
                ]
        case _:
            out["content"] = _text_content(m.content) or ""
    return out


def _text_content(content: str | tuple[ContentPart, ...] | None) -> str | list[dict[str, Any]] | None:
    """System, assistant and tool messages take text only here: images there are refused, not dropped."""
    if content is None or isinstance(content, str):
        return content
    return _parts(content, images=False)


def _parts(parts: tuple[ContentPart, ...], *, images: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in parts:
        match part:
            case TextPart(text=text):
                out.append({"type": "text", "text": text})
            case ImagePart(url=url, detail=detail) if images:
                image: str | dict[str, str] = url if detail is None else {"url": url, "detail": detail}
                out.append({"type": "image_url", "image_url": image})
            case ImagePart():
                raise UnsupportedFeatureError("images are only accepted in user messages", param="messages")
    return out


def _tool(t: ToolSpec) -> dict[str, Any]:
    fn: dict[str, Any] = {"name": t.name, "parameters": t.parameters or _NO_PARAMETERS}
    if t.description is not None:
        fn["description"] = t.description
    if t.strict is not None:
        fn["strict"] = t.strict
    return {"type": "function", "function": fn}


def _tool_choice(c: ToolChoice) -> str | dict[str, Any]:
    if c.tool is not None:
        return {"type": "function", "function": {"name": c.tool}}
    if c.mode not in _TOOL_CHOICE:
        raise InvalidRequestError(f"unknown tool_choice '{c.mode}'", param="tool_choice")
    return _TOOL_CHOICE[c.mode]


def _response_format(f: ResponseFormat) -> dict[str, Any]:
    match f.type:
        case "text" | "json_object":
            return {"type": f.type}
        case "json_schema":
            schema: dict[str, Any] = {"name": f.name or "response", "schema": f.schema or {}}
            if f.strict is not None:
                schema["strict"] = f.strict
            return {"type": "json_schema", "json_schema": schema}
    raise UnsupportedFeatureError(f"response_format '{f.type}' is not supported", param="response_format")
