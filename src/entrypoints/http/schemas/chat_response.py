"""OpenAI's chat completion and chunk shapes, built from domain answers."""

from __future__ import annotations

from typing import Literal

import msgspec

from domain.chat import ToolCall
from domain.completion import ChatResponse, Finish, StreamEvent, TextDelta, ToolCallDelta, UsageReport
from domain.usage import Usage


class FunctionCallOut(msgspec.Struct, omit_defaults=True):
    name: str | None = None
    arguments: str | None = None


class ToolCallOut(msgspec.Struct):
    id: str
    function: FunctionCallOut
    type: Literal["function"] = "function"


class AssistantMessage(msgspec.Struct):
    content: str | None
    role: Literal["assistant"] = "assistant"
    tool_calls: list[ToolCallOut] | None = None
    refusal: str | None = None


class Choice(msgspec.Struct):
    index: int
    message: AssistantMessage
    finish_reason: str
    logprobs: None = None


class PromptTokensDetails(msgspec.Struct):
    cached_tokens: int = 0


class CompletionTokensDetails(msgspec.Struct):
    reasoning_tokens: int = 0


class UsageOut(msgspec.Struct):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    prompt_tokens_details: PromptTokensDetails
    completion_tokens_details: CompletionTokensDetails


class ChatCompletion(msgspec.Struct):
    id: str
    created: int
    model: str
    choices: list[Choice]
    usage: UsageOut
    object: Literal["chat.completion"] = "chat.completion"
    system_fingerprint: str | None = None


class ToolCallChunk(msgspec.Struct, omit_defaults=True):
    index: int
    id: str | None = None
    type: Literal["function"] | None = None
    function: FunctionCallOut | None = None


class Delta(msgspec.Struct, omit_defaults=True):
    role: Literal["assistant"] | None = None
    content: str | None = None
    tool_calls: list[ToolCallChunk] | None = None


class ChunkChoice(msgspec.Struct):
    index: int
    delta: Delta
    finish_reason: str | None = None
    logprobs: None = None


class ChatCompletionChunk(msgspec.Struct):
    id: str
    created: int
    model: str
    choices: list[ChunkChoice]
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    usage: UsageOut | None = None


def usage_out(usage: Usage) -> UsageOut:
    return UsageOut(
        prompt_tokens=usage.input_tokens,
        completion_tokens=usage.output_tokens,
        total_tokens=usage.total_tokens,
        prompt_tokens_details=PromptTokensDetails(cached_tokens=usage.cached_tokens),
        completion_tokens_details=CompletionTokensDetails(reasoning_tokens=usage.reasoning_tokens),
    )


def _tool_call_out(call: ToolCall) -> ToolCallOut:
    return ToolCallOut(id=call.id, function=FunctionCallOut(name=call.name, arguments=call.arguments))


def completion_out(response: ChatResponse, *, request_id: str, model: str, created: int) -> ChatCompletion:
    """`model` is what the caller asked for, so an alias stays an alias in the answer."""
    message = AssistantMessage(
        content=response.content,
        tool_calls=[_tool_call_out(c) for c in response.tool_calls] or None,
    )
    return ChatCompletion(
        id=f"chatcmpl-{request_id}",
        created=created,
        model=model,
        choices=[Choice(index=0, message=message, finish_reason=response.finish_reason.value)],
        usage=usage_out(response.usage),
        system_fingerprint=response.system_fingerprint,
    )


class ChunkWriter:
    """Turns domain stream events into OpenAI chunk bytes (`data: …\\n\\n`)."""

    _encode = msgspec.json.Encoder().encode

    def __init__(self, *, request_id: str, model: str, created: int, include_usage: bool) -> None:
        self._id = f"chatcmpl-{request_id}"
        self._model, self._created, self._include_usage = model, created, include_usage
        self._role_sent = False
        self._usage: Usage | None = None

    def event(self, event: StreamEvent) -> bytes | None:
        match event:
            case TextDelta(text=text):
                return self._choice(Delta(content=text))
            case ToolCallDelta(index=i, id=call_id, name=name, arguments=args):
                fn = FunctionCallOut(name=name, arguments=args)
                call = ToolCallChunk(index=i, id=call_id, type="function" if call_id else None, function=fn)
                return self._choice(Delta(tool_calls=[call]))
            case Finish(reason=reason):
                return self._choice(Delta(), finish_reason=reason.value)
            case UsageReport(usage=usage):
                self._usage = usage  # sent last, as OpenAI does, whatever order the vendor used
        return None

    def closing(self) -> bytes:
        """The usage chunk (when asked for) and `[DONE]`."""
        if not self._include_usage or self._usage is None:
            return DONE
        chunk = ChatCompletionChunk(
            id=self._id, created=self._created, model=self._model, choices=[], usage=usage_out(self._usage)
        )
        return self._frame(chunk) + DONE

    def _choice(self, delta: Delta, finish_reason: str | None = None) -> bytes:
        if not self._role_sent:
            delta.role, self._role_sent = "assistant", True
        choice = ChunkChoice(index=0, delta=delta, finish_reason=finish_reason)
        return self._frame(ChatCompletionChunk(id=self._id, created=self._created, model=self._model, choices=[choice]))

    def _frame(self, chunk: msgspec.Struct) -> bytes:
        return b"data: " + self._encode(chunk) + b"\n\n"

    @classmethod
    def error(cls, envelope: msgspec.Struct) -> bytes:
        return b"data: " + cls._encode(envelope) + b"\n\n"


DONE = b"data: [DONE]\n\n"
