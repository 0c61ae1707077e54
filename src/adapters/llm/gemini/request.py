"""Domain `ChatRequest` -> the Gemini `generateContent` JSON body, camelCase (pure).

- system messages -> `systemInstruction` (all of them, in order, wherever they stand);
- user -> `user`, assistant -> `model`; consecutive contents of one role are merged into one, as
  Gemini wants turns to alternate; tool results travel as `functionResponse` parts of a user turn;
- `params.user` is not sent: Gemini has no end-user field and it does not change the answer.
Anything else Gemini cannot honour raises `UnsupportedFeatureError` before any network call.
"""

from __future__ import annotations

from typing import Any

from adapters.llm.gemini.contents import ContentsBuilder
from adapters.llm.gemini.tools import tool_config, tools
from domain.chat import ChatParams, ChatRequest, ResponseFormat
from domain.errors import InvalidRequestError, UnsupportedFeatureError

JSON_MIME = "application/json"


def to_request_body(request: ChatRequest) -> dict[str, Any]:
    builder = ContentsBuilder(model=request.model)
    for message in request.messages:
        builder.add(message)
    body: dict[str, Any] = {"contents": builder.contents}
    if builder.system:
        body["systemInstruction"] = {"parts": builder.system}
    p = request.params
    if p.tools:
        body["tools"] = tools(p.tools)
    if (config := tool_config(p)) is not None:
        body["toolConfig"] = config
    if generation := _generation_config(p):
        body["generationConfig"] = generation
    return body


def _generation_config(p: ChatParams) -> dict[str, Any]:
    scalars = {
        "temperature": p.temperature,
        "topP": p.top_p,
        "maxOutputTokens": p.max_tokens,  # thinking models spend thinking tokens from this budget too
        "seed": p.seed,
        "presencePenalty": p.presence_penalty,
        "frequencyPenalty": p.frequency_penalty,
    }
    out = {k: v for k, v in scalars.items() if v is not None}
    if p.stop:
        out["stopSequences"] = list(p.stop)
    if p.response_format is not None:
        out.update(_response_format(p.response_format))
    return out


def _response_format(f: ResponseFormat) -> dict[str, Any]:
    """JSON mode is `responseMimeType`; a schema goes as `responseJsonSchema` (JSON Schema as is,
    enforced by constrained decoding, so `strict` is honoured either way)."""
    match f.type:
        case "text":
            return {}
        case "json_object":
            return {"responseMimeType": JSON_MIME}
        case "json_schema":
            if f.schema is None:
                raise InvalidRequestError("response_format json_schema needs a schema", param="response_format")
            return {"responseMimeType": JSON_MIME, "responseJsonSchema": f.schema}
    raise UnsupportedFeatureError(f"response_format '{f.type}' is not supported", param="response_format")
