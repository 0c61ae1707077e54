"""`POST /v1/chat/completions` request body, as OpenAI defines it, and its mapping to the domain."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from domain.chat import (
    ChatParams,
    ChatRequest,
    ContentPart,
    ImagePart,
    Message,
    ResponseFormat,
    Role,
    TextPart,
    ToolCall,
    ToolChoice,
    ToolSpec,
)
from domain.errors import InvalidRequestError, UnsupportedFeatureError


class TextPartIn(msgspec.Struct, tag="text", tag_field="type"):
    text: str


class ImageUrl(msgspec.Struct):
    url: str
    detail: Literal["auto", "low", "high"] | None = None


class ImagePartIn(msgspec.Struct, tag="image_url", tag_field="type"):
    image_url: ImageUrl


class FunctionCallIn(msgspec.Struct):
    name: str
    arguments: str


class ToolCallIn(msgspec.Struct):
    id: str
    function: FunctionCallIn
    type: Literal["function"] = "function"


class MessageIn(msgspec.Struct):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[TextPartIn | ImagePartIn] | None = None
    name: str | None = None
    tool_calls: list[ToolCallIn] | None = None
    tool_call_id: str | None = None


class FunctionSpecIn(msgspec.Struct):
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class ToolIn(msgspec.Struct):
    function: FunctionSpecIn
    type: Literal["function"] = "function"


class NamedFunction(msgspec.Struct):
    name: str


class NamedToolChoice(msgspec.Struct):
    function: NamedFunction
    type: Literal["function"] = "function"


class JsonSchemaIn(msgspec.Struct):
    name: str
    schema: dict[str, Any] | None = None
    description: str | None = None
    strict: bool | None = None


class ResponseFormatIn(msgspec.Struct):
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaIn | None = None


class StreamOptions(msgspec.Struct):
    include_usage: bool = False


class ChatCompletionBody(msgspec.Struct):
    """Unknown fields are ignored, as OpenAI's own API does; known ones we cannot honour are refused."""

    model: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    messages: Annotated[list[MessageIn], msgspec.Meta(min_length=1)]
    temperature: Annotated[float, msgspec.Meta(ge=0, le=2)] | None = None
    top_p: Annotated[float, msgspec.Meta(ge=0, le=1)] | None = None
    max_tokens: Annotated[int, msgspec.Meta(ge=1)] | None = None
    max_completion_tokens: Annotated[int, msgspec.Meta(ge=1)] | None = None
    stop: str | list[str] | None = None
    n: Annotated[int, msgspec.Meta(ge=1)] | None = None
    seed: int | None = None
    user: str | None = None
    tools: list[ToolIn] | None = None
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    parallel_tool_calls: bool | None = None
    response_format: ResponseFormatIn | None = None
    presence_penalty: Annotated[float, msgspec.Meta(ge=-2, le=2)] | None = None
    frequency_penalty: Annotated[float, msgspec.Meta(ge=-2, le=2)] | None = None
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    logit_bias: dict[str, float] | None = None
    audio: dict[str, Any] | UnsetType | None = UNSET
    modalities: list[str] | None = None
    metadata: dict[str, str] | None = None
    store: bool | None = None


def to_domain(body: ChatCompletionBody) -> ChatRequest:
    _refuse_unsupported(body)
    stop = (body.stop,) if isinstance(body.stop, str) else tuple(body.stop or ())
    if len(stop) > 4:
        raise InvalidRequestError("stop: at most 4 sequences", param="stop")
    params = ChatParams(
        temperature=body.temperature,
        top_p=body.top_p,
        max_tokens=body.max_completion_tokens or body.max_tokens,
        stop=stop,
        seed=body.seed,
        user=body.user,
        tools=tuple(_tool(t) for t in body.tools or ()),
        tool_choice=_tool_choice(body.tool_choice),
        parallel_tool_calls=body.parallel_tool_calls,
        response_format=_response_format(body.response_format),
        presence_penalty=body.presence_penalty,
        frequency_penalty=body.frequency_penalty,
    )
    return ChatRequest(
        model=body.model,
        messages=tuple(_message(m, i) for i, m in enumerate(body.messages)),
        params=params,
        stream=bool(body.stream),
        include_usage=bool(body.stream_options and body.stream_options.include_usage),
    )


def _refuse_unsupported(body: ChatCompletionBody) -> None:
    if body.n not in (None, 1):
        raise UnsupportedFeatureError("n: only n=1 is supported", param="n")
    if body.logprobs or body.top_logprobs:
        raise UnsupportedFeatureError("logprobs are not supported by this gateway", param="logprobs")
    if body.logit_bias:
        raise UnsupportedFeatureError("logit_bias is not supported by this gateway", param="logit_bias")
    if body.audio not in (UNSET, None) or (body.modalities and body.modalities != ["text"]):
        raise UnsupportedFeatureError("audio output is not supported by this gateway", param="modalities")
    if body.stream_options is not None and not body.stream:
        raise InvalidRequestError("stream_options is only allowed when stream is true", param="stream_options")


def _message(m: MessageIn, index: int) -> Message:
    role = Role.SYSTEM if m.role == "developer" else Role(m.role)
    if role is Role.TOOL and not m.tool_call_id:
        raise InvalidRequestError("a tool message needs tool_call_id", param=f"messages[{index}].tool_call_id")
    content: str | tuple[ContentPart, ...] | None
    if isinstance(m.content, list):
        if role is not Role.USER and any(isinstance(p, ImagePartIn) for p in m.content):
            raise InvalidRequestError("images are allowed in user messages only", param=f"messages[{index}].content")
        content = tuple(
            TextPart(text=p.text)
            if isinstance(p, TextPartIn)
            else ImagePart(url=p.image_url.url, detail=p.image_url.detail)
            for p in m.content
        )
    else:
        content = m.content
    tool_calls = tuple(
        ToolCall(id=c.id, name=c.function.name, arguments=c.function.arguments) for c in m.tool_calls or ()
    )
    return Message(role=role, content=content, name=m.name, tool_calls=tool_calls, tool_call_id=m.tool_call_id)


def _tool(t: ToolIn) -> ToolSpec:
    f = t.function
    return ToolSpec(name=f.name, description=f.description, parameters=f.parameters, strict=f.strict)


def _tool_choice(choice: str | NamedToolChoice | None) -> ToolChoice | None:
    if choice is None:
        return None
    if isinstance(choice, NamedToolChoice):
        return ToolChoice(mode="required", tool=choice.function.name)
    return ToolChoice(mode=choice)


def _response_format(fmt: ResponseFormatIn | None) -> ResponseFormat | None:
    if fmt is None or fmt.type == "text":
        return None
    if fmt.type == "json_schema":
        if fmt.json_schema is None:
            raise InvalidRequestError("response_format.json_schema is required", param="response_format.json_schema")
        s = fmt.json_schema
        return ResponseFormat(type="json_schema", name=s.name, schema=s.schema, strict=s.strict)
    return ResponseFormat(type="json_object")
