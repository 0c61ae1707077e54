"""Anthropic `message` JSON bytes -> domain `ChatResponse` (pure).

Usage: Anthropic's `input_tokens` counts only the prompt tokens that were neither read from nor
written to the prompt cache. The domain's `input_tokens` is the whole prompt (as OpenAI counts
it), so it is `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`, and
`cached_tokens` is the cache reads: the same arithmetic then prices every vendor downstream.
Reasoning tokens are `output_tokens_details.thinking_tokens`, already part of `output_tokens`.
"""

from __future__ import annotations

from adapters.llm.anthropic.wire import (
    MESSAGE_DECODER,
    Block,
    ErrorObject,
    InBandError,
    MalformedResponse,
    UsageOut,
)
from domain.chat import ToolCall
from domain.completion import ChatResponse, FinishReason
from domain.usage import Usage

_FINISH: dict[str, FinishReason] = {
    "end_turn": FinishReason.STOP,
    "stop_sequence": FinishReason.STOP,
    "pause_turn": FinishReason.STOP,  # a server-tool turn paused; the answer so far is complete
    "max_tokens": FinishReason.LENGTH,
    "model_context_window_exceeded": FinishReason.LENGTH,
    "tool_use": FinishReason.TOOL_CALLS,
    "refusal": FinishReason.CONTENT_FILTER,
}


def finish_reason(raw: str | None) -> FinishReason:
    """Unknown reasons and None count as a normal stop."""
    return _FINISH.get(raw, FinishReason.STOP) if raw is not None else FinishReason.STOP


def to_usage(u: UsageOut) -> Usage:
    cache_read = u.cache_read_input_tokens or 0
    cache_write = u.cache_creation_input_tokens or 0
    details = u.output_tokens_details
    return Usage(
        input_tokens=(u.input_tokens or 0) + cache_read + cache_write,
        output_tokens=u.output_tokens or 0,
        cached_tokens=cache_read,
        reasoning_tokens=(details.thinking_tokens or 0) if details else 0,
    )


def to_chat_response(body: bytes) -> ChatResponse:
    """Raises msgspec errors, `MalformedResponse` or `InBandError`; the provider classifies them."""
    message = MESSAGE_DECODER.decode(body)
    if message.type == "error" or message.error is not None:
        raise InBandError(message.error or ErrorObject())
    if message.type != "message" or not message.id:
        raise MalformedResponse(f"expected a message, got '{message.type}'")
    texts = [block.text for block in message.content if block.type == "text" and block.text is not None]
    return ChatResponse(
        id=message.id,
        model=message.model,
        content="".join(texts) if texts else None,
        tool_calls=tuple(_tool_call(b) for b in message.content if b.type == "tool_use"),
        finish_reason=finish_reason(message.stop_reason),
        usage=to_usage(message.usage) if message.usage is not None else Usage(),
    )


def _tool_call(block: Block) -> ToolCall:
    if not block.id or not block.name:
        raise MalformedResponse("a tool_use block without an id or a name")
    arguments = bytes(block.input).decode() or "{}"
    return ToolCall(id=block.id, name=block.name, arguments=arguments)
