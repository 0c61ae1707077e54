"""Domain `ChatRequest` -> keyword arguments of `chat.completions.create` (pure)."""

from __future__ import annotations

from typing import Any, Literal

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

# api.openai.com deprecated `max_tokens` (reasoning models reject it) for `max_completion_tokens`;
# vLLM, Together, Ollama and most other OpenAI-compatible servers only know `max_tokens`.
MaxTokensField = Literal["max_completion_tokens", "max_tokens"]

_STREAM_OPTIONS = {"include_usage": True}  # always: the final chunk then carries the usage


def to_create_params(
    request: ChatRequest, *, max_tokens_field: MaxTokensField, stream: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {"model": request.model, "messages": [_message(m) for m in request.messages]}
    out.update(_params(request.params, max_tokens_field))
    if stream:
        out["stream"] = True
        out["stream_options"] = _STREAM_OPTIONS
    return out


def _params(p: ChatParams, max_tokens_field: MaxTokensField) -> dict[str, Any]:
    scalars = {
        "temperature": p.temperature,
        "top_p": p.top_p,
        max_tokens_field: p.max_tokens,
        "seed": p.seed,
        "user": p.user,
        "presence_penalty": p.presence_penalty,
        "frequency_penalty": p.frequency_penalty,
    }
    out = {k: v for k, v in scalars.items() if v is not None}
    if p.stop:
        out["stop"] = list(p.stop)
    if p.tools:  # OpenAI rejects tool_choice / parallel_tool_calls without tools
        out["tools"] = [_tool(t) for t in p.tools]
        if p.tool_choice is not None:
            out["tool_choice"] = _tool_choice(p.tool_choice)
        if p.parallel_tool_calls is not None:
            out["parallel_tool_calls"] = p.parallel_tool_calls
    elif p.tool_choice is not None and (p.tool_choice.tool or p.tool_choice.mode == "required"):
        raise InvalidRequestError("tool_choice requires tools", param="tool_choice")
    if p.response_format is not None:
        out["response_format"] = _response_format(p.response_format)
    return out


def _message(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role.value}
    match m.role:
        case Role.USER:
            out["content"] = m.content if isinstance(m.content, str) else _parts(m.content or (), images=True)
        case Role.TOOL:
            if not m.tool_call_id:
                raise InvalidRequestError("a tool message needs tool_call_id", param="messages")
            out["tool_call_id"] = m.tool_call_id
            out["content"] = _text_content(m.content) or ""
        case Role.ASSISTANT:
            out["content"] = _text_content(m.content)
            if m.tool_calls:
                out["tool_calls"] = [
                    {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                    for c in m.tool_calls
                ]
        case _:
            out["content"] = _text_content(m.content) or ""
    if m.name is not None and m.role is not Role.TOOL:
        out["name"] = m.name
    return out


def _text_content(content: str | tuple[ContentPart, ...] | None) -> str | list[dict[str, Any]] | None:
    """System, assistant and tool messages take text only: images there are refused, not dropped."""
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
                image: dict[str, Any] = {"url": url} if detail is None else {"url": url, "detail": detail}
                out.append({"type": "image_url", "image_url": image})
            case ImagePart():
                raise UnsupportedFeatureError("images are only accepted in user messages", param="messages")
    return out


def _tool(t: ToolSpec) -> dict[str, Any]:
    fn: dict[str, Any] = {"name": t.name}
    if t.description is not None:
        fn["description"] = t.description
    if t.parameters is not None:
        fn["parameters"] = t.parameters
    if t.strict is not None:
        fn["strict"] = t.strict
    return {"type": "function", "function": fn}


def _tool_choice(c: ToolChoice) -> str | dict[str, Any]:
    if c.tool is not None:
        return {"type": "function", "function": {"name": c.tool}}
    if c.mode not in ("auto", "none", "required"):
        raise InvalidRequestError(f"unknown tool_choice '{c.mode}'", param="tool_choice")
    return c.mode


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
