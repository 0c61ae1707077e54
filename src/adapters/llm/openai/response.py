"""OpenAI `chat.completion` JSON bytes -> domain `ChatResponse` (pure)."""

from __future__ import annotations

from adapters.llm.openai.wire import COMPLETION_DECODER, InBandError, MalformedResponse, ToolCallOut, UsageOut
from domain.chat import ToolCall
from domain.completion import ChatResponse, FinishReason
from domain.usage import Usage

_FINISH: dict[str, FinishReason] = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,  # the legacy `functions` API
    "content_filter": FinishReason.CONTENT_FILTER,
}


def finish_reason(raw: str | None) -> FinishReason:
    """Unknown reasons (vLLM's `abort`, None, ...) count as a normal stop."""
    return _FINISH.get(raw, FinishReason.STOP) if raw is not None else FinishReason.STOP


def to_usage(u: UsageOut) -> Usage:
    cached = u.prompt_tokens_details.cached_tokens if u.prompt_tokens_details else None
    reasoning = u.completion_tokens_details.reasoning_tokens if u.completion_tokens_details else None
    return Usage(
        input_tokens=u.prompt_tokens or 0,
        output_tokens=u.completion_tokens or 0,
        cached_tokens=cached or 0,
        reasoning_tokens=reasoning or 0,
    )


def to_chat_response(body: bytes) -> ChatResponse:
    """Raises msgspec errors, `MalformedResponse` or `InBandError`; the provider classifies them."""
    completion = COMPLETION_DECODER.decode(body)
    if completion.error is not None:
        raise InBandError(completion.error)
    choice = completion.choices[0] if completion.choices else None
    if choice is None or choice.message is None:
        raise MalformedResponse("the response has no choices")
    message = choice.message
    return ChatResponse(
        id=completion.id,
        model=completion.model,
        # a refusal (structured outputs) comes instead of content; the domain has one text field
        content=message.content if message.content is not None else message.refusal,
        tool_calls=tuple(_tool_call(c) for c in message.tool_calls or ()),
        finish_reason=finish_reason(choice.finish_reason),
        usage=to_usage(completion.usage) if completion.usage is not None else Usage(),
        system_fingerprint=completion.system_fingerprint,
    )


def _tool_call(c: ToolCallOut) -> ToolCall:
    fn = c.function
    if fn is None or not fn.name:
        raise MalformedResponse("a tool call without a function name")
    return ToolCall(id=c.id or "", name=fn.name, arguments=fn.arguments or "")
