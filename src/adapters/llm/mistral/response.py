"""Mistral `chat.completion` JSON bytes -> domain `ChatResponse` (pure).

Tool-call ids are returned exactly as Mistral sent them: they are already in the form Mistral
wants back, so a client that echoes them in the next turn needs no rewrite.
"""

from __future__ import annotations

import msgspec

from adapters.llm.mistral.wire import (
    COMPLETION_DECODER,
    FunctionCall,
    InBandError,
    MalformedResponse,
    TextChunk,
    ToolCallOut,
    UsageOut,
)
from domain.chat import ToolCall
from domain.completion import ChatResponse, FinishReason
from domain.usage import Usage

_FINISH: dict[str, FinishReason] = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "model_length": FinishReason.LENGTH,  # the model's context filled up
    "tool_calls": FinishReason.TOOL_CALLS,
}
ERROR_FINISH = "error"  # generation failed on Mistral's side: a server error, not an answer


def finish_reason(raw: str | None) -> FinishReason:
    """Unknown reasons count as a normal stop; `error` must be checked before (see `ERROR_FINISH`)."""
    return _FINISH.get(raw, FinishReason.STOP) if raw is not None else FinishReason.STOP


def to_usage(u: UsageOut) -> Usage:
    cached = u.prompt_tokens_details.cached_tokens if u.prompt_tokens_details else None
    return Usage(input_tokens=u.prompt_tokens or 0, output_tokens=u.completion_tokens or 0, cached_tokens=cached or 0)


def text_of(content: str | list[TextChunk] | None) -> str | None:
    """Plain text, or the `text` chunks joined (`thinking` chunks are the model's hidden reasoning)."""
    if content is None or isinstance(content, str):
        return content
    return "".join(chunk.text or "" for chunk in content if chunk.type == "text")


def arguments_of(fn: FunctionCall) -> str:
    """Arguments as JSON text; Mistral may send them as an object."""
    if isinstance(fn.arguments, dict):
        return msgspec.json.encode(fn.arguments).decode()
    return fn.arguments or ""


def to_chat_response(body: bytes) -> ChatResponse:
    """Raises msgspec errors, `MalformedResponse` or `InBandError`; the provider classifies them."""
    completion = COMPLETION_DECODER.decode(body)
    if completion.object == "error":
        raise InBandError(completion.message or "error reported inside the response")
    choice = completion.choices[0] if completion.choices else None
    if choice is None or choice.message is None:
        raise MalformedResponse("the response has no choices")
    if choice.finish_reason == ERROR_FINISH:
        raise InBandError("the model failed while generating the answer (finish_reason 'error')")
    message = choice.message
    tool_calls = tuple(_tool_call(c) for c in message.tool_calls or ())
    content = text_of(message.content)
    return ChatResponse(
        id=completion.id,
        model=completion.model,
        content=None if tool_calls and not content else content,  # Mistral sends "" beside tool calls
        tool_calls=tool_calls,
        finish_reason=finish_reason(choice.finish_reason),
        usage=to_usage(completion.usage) if completion.usage is not None else Usage(),
    )


def _tool_call(c: ToolCallOut) -> ToolCall:
    fn = c.function
    if fn is None or not fn.name:
        raise MalformedResponse("a tool call without a function name")
    return ToolCall(id=c.id or "", name=fn.name, arguments=arguments_of(fn))
