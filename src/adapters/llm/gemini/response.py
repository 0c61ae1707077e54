"""Gemini `GenerateContentResponse` JSON -> domain `ChatResponse` (pure).

Usage, so cost math matches OpenAI's meaning of each count:
    input_tokens     = promptTokenCount (cached content included) + toolUsePromptTokenCount
    cached_tokens    = cachedContentTokenCount  (a part of input_tokens)
    output_tokens    = candidatesTokenCount + thoughtsTokenCount  (OpenAI's completion_tokens
                       include reasoning; Gemini counts thoughts apart but bills them as output)
    reasoning_tokens = thoughtsTokenCount  (a part of output_tokens)
Gemini has no tool-call ids: a call without one gets `call_<index>` by its position in the answer,
so the same answer gets the same ids whether it came whole or streamed.
"""

from __future__ import annotations

import msgspec

from adapters.llm.gemini.wire import (
    RESPONSE_DECODER,
    Candidate,
    FunctionCall,
    GenerateContentResponse,
    InBandError,
    MalformedResponse,
    Part,
    PromptBlocked,
    UsageMetadata,
)
from domain.chat import ToolCall
from domain.completion import ChatResponse, FinishReason
from domain.usage import Usage

_ARGS = msgspec.json.Encoder()
_FILTERED = frozenset({"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
                       "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION"})


def finish_reason(raw: str | None, *, tool_calls: bool) -> FinishReason:
    """Gemini ends a function-calling turn with STOP; other reasons (OTHER, LANGUAGE, ...) count as a stop."""
    if raw == "MAX_TOKENS":
        return FinishReason.LENGTH
    if raw in _FILTERED:
        return FinishReason.CONTENT_FILTER
    return FinishReason.TOOL_CALLS if tool_calls else FinishReason.STOP


def to_usage(u: UsageMetadata) -> Usage:
    return Usage(
        input_tokens=u.prompt_token_count + u.tool_use_prompt_token_count,
        output_tokens=u.candidates_token_count + u.thoughts_token_count,
        cached_tokens=u.cached_content_token_count,
        reasoning_tokens=u.thoughts_token_count,
    )


def to_tool_call(call: FunctionCall, index: int) -> ToolCall:
    if not call.name:
        raise MalformedResponse("a function call without a name")
    arguments = _ARGS.encode(call.args or {}).decode()
    return ToolCall(id=call.id or f"call_{index}", name=call.name, arguments=arguments)


def first_candidate(response: GenerateContentResponse) -> Candidate | None:
    """Raises for an in-band error or a blocked prompt; None when the event carries no candidate."""
    if response.error is not None:
        raise InBandError(response.error)
    if response.candidates:
        return response.candidates[0]
    if response.prompt_feedback is not None and response.prompt_feedback.block_reason:
        raise PromptBlocked(response.prompt_feedback)
    return None


def parts_of(candidate: Candidate) -> list[Part]:
    return candidate.content.parts if candidate.content is not None and candidate.content.parts else []


def to_chat_response(body: str | bytes, *, model: str) -> ChatResponse:
    """Raises msgspec errors, `MalformedResponse`, `InBandError` or `PromptBlocked`; the provider classifies them."""
    response = RESPONSE_DECODER.decode(body)
    candidate = first_candidate(response)
    if candidate is None:
        raise MalformedResponse("the response has no candidates")
    texts: list[str] = []
    calls: list[ToolCall] = []
    for part in parts_of(candidate):
        if part.function_call is not None:
            calls.append(to_tool_call(part.function_call, len(calls)))
        elif part.text is not None and not part.thought:
            texts.append(part.text)
    return ChatResponse(
        id=response.response_id,
        model=response.model_version or model,
        content="".join(texts) if texts else None,
        tool_calls=tuple(calls),
        finish_reason=finish_reason(candidate.finish_reason, tool_calls=bool(calls)),
        usage=to_usage(response.usage_metadata) if response.usage_metadata is not None else Usage(),
    )
