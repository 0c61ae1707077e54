"""Domain tools and tool_choice -> Gemini `tools` and `toolConfig` (pure).

tool_choice auto / none / required -> `functionCallingConfig.mode` AUTO / NONE / ANY; a named tool
-> ANY limited by `allowedFunctionNames`. OpenAI's `strict` (calls must match the schema) is
Gemini's VALIDATED mode when the model may also answer in text; ANY already decodes calls against
the schema. Gemini may call several functions at once and has no switch against it, so
`parallel_tool_calls: false` is refused.
"""

from __future__ import annotations

from typing import Any

from domain.chat import ChatParams, ToolSpec
from domain.errors import InvalidRequestError, UnsupportedFeatureError

_MODES = {"auto": "AUTO", "none": "NONE", "required": "ANY"}


def tools(specs: tuple[ToolSpec, ...]) -> list[dict[str, Any]]:
    return [{"functionDeclarations": [_declaration(t) for t in specs]}]


def _declaration(t: ToolSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": t.name}
    if t.description is not None:
        out["description"] = t.description
    if t.parameters is not None:
        out["parametersJsonSchema"] = t.parameters  # JSON Schema as OpenAI clients write it
    return out


def tool_config(p: ChatParams) -> dict[str, Any] | None:
    choice = p.tool_choice
    if not p.tools:
        if choice is not None and (choice.tool is not None or choice.mode == "required"):
            raise InvalidRequestError("tool_choice requires tools", param="tool_choice")
        return None
    if p.parallel_tool_calls is False:
        raise UnsupportedFeatureError("Gemini cannot be limited to one tool call per turn",
                                      param="parallel_tool_calls")
    if choice is not None and choice.tool is not None:
        return {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": [choice.tool]}}
    if choice is not None and choice.mode not in _MODES:
        raise InvalidRequestError(f"unknown tool_choice '{choice.mode}'", param="tool_choice")
    mode = _MODES[choice.mode] if choice is not None else None
    if any(t.strict for t in p.tools) and mode in (None, "AUTO"):
        mode = "VALIDATED"
    return None if mode is None else {"functionCallingConfig": {"mode": mode}}
