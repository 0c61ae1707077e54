"""Domain `ChatRequest` -> the JSON body of `POST /v1/messages` (pure).

What Anthropic's Messages API (version 2026-10-21, SDK 2.12) cannot honour is refused with
`UnsupportedFeatureError` before any network call, never dropped: the request type has no
`temperature`, `top_p`, `seed`, `presence_penalty` or `frequency_penalty`, and no JSON-object mode
(only `output_config.format` with a JSON schema).
"""

from __future__ import annotations

from typing import Any

from adapters.llm.anthropic.messages import to_turns
from domain.chat import ChatParams, ChatRequest, ResponseFormat, ToolChoice, ToolSpec
from domain.errors import InvalidRequestError, UnsupportedFeatureError

# Anthropic requires `max_tokens`; a request that sets no limit gets this one. 4096 fits the
# output limit of every current Claude model.
DEFAULT_MAX_TOKENS = 4096

_UNSUPPORTED = ("temperature", "top_p", "seed", "presence_penalty", "frequency_penalty")
_EMPTY_SCHEMA: dict[str, Any] = {"type": "object", "properties": {}}
_CHOICE_TYPES = {"auto": "auto", "none": "none", "required": "any"}


def to_body(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    params = request.params
    _refuse_unsupported(params)
    system, turns = to_turns(request.messages)
    max_tokens = params.max_tokens if params.max_tokens is not None else DEFAULT_MAX_TOKENS
    body: dict[str, Any] = {"model": request.model, "max_tokens": max_tokens, "messages": turns}
    if system:
        body["system"] = system
    if params.stop:
        body["stop_sequences"] = list(params.stop)
    if params.user is not None:
        body["metadata"] = {"user_id": params.user}
    body.update(_tools(params))
    if params.response_format is not None and (output_format := _output_format(params.response_format)):
        body["output_config"] = {"format": output_format}
    if stream:
        body["stream"] = True
    return body


def _refuse_unsupported(params: ChatParams) -> None:
    for field in _UNSUPPORTED:
        if getattr(params, field) is not None:
            raise UnsupportedFeatureError(f"Anthropic's Messages API does not take '{field}'", param=field)


def _tools(params: ChatParams) -> dict[str, Any]:
    choice = params.tool_choice
    if not params.tools:
        if choice is not None and (choice.tool is not None or choice.mode == "required"):
            raise InvalidRequestError("tool_choice requires tools", param="tool_choice")
        return {}
    out: dict[str, Any] = {"tools": [_tool(t) for t in params.tools]}
    if choice is not None or params.parallel_tool_calls is False:
        out["tool_choice"] = _tool_choice(choice or ToolChoice(), parallel=params.parallel_tool_calls)
    return out


def _tool(t: ToolSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": t.name, "input_schema": t.parameters or _EMPTY_SCHEMA}
    if t.description is not None:
        out["description"] = t.description
    if t.strict:
        out["strict"] = True
    return out


def _tool_choice(choice: ToolChoice, *, parallel: bool | None) -> dict[str, Any]:
    if choice.tool is not None:
        out: dict[str, Any] = {"type": "tool", "name": choice.tool}
    elif choice.mode in _CHOICE_TYPES:
        out = {"type": _CHOICE_TYPES[choice.mode]}
    else:
        raise InvalidRequestError(f"unknown tool_choice '{choice.mode}'", param="tool_choice")
    if parallel is False and out["type"] != "none":
        out["disable_parallel_tool_use"] = True
    return out


def _output_format(f: ResponseFormat) -> dict[str, Any] | None:
    match f.type:
        case "text":
            return None
        case "json_schema":
            if not f.schema:
                raise InvalidRequestError("response_format json_schema needs a schema", param="response_format")
            return {"type": "json_schema", "schema": f.schema}  # always enforced: `strict` adds nothing
        case "json_object":
            raise UnsupportedFeatureError(
                "Anthropic has no JSON-object mode: use response_format json_schema", param="response_format"
            )
    raise UnsupportedFeatureError(f"response_format '{f.type}' is not supported", param="response_format")
