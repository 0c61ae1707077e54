"""`MockLlmProvider`: a deterministic vendor. The same request always gets the same answer.

- The answer is "Mock reply to: " + the first 200 characters of the last user message; stop
  sequences cut it (finish `stop`), `max_tokens` truncates it (finish `length`).
- With tools and `tool_choice` required or naming a function, it calls that function (or the
  first tool) with arguments `{}` (finish `tool_calls`).
- Usage counts ceil(characters / 4) tokens, reported as vendor usage (`estimated=False`).
- Streaming sends the same text in word pieces, then a `UsageReport` and a `Finish`.
- Fault demos by model name: `mock-fail-<kind>` raises `ProviderError(kind)` (e.g.
  `mock-fail-rate_limited`); `mock-cut` streams two pieces, then fails like a dropped connection.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import AsyncIterator

import msgspec

from application.ports.llm import LlmProvider
from domain.chat import ChatParams, ChatRequest, Role, ToolCall
from domain.completion import (
    ChatResponse,
    Finish,
    FinishReason,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
    UsageReport,
)
from domain.errors import InvalidRequestError, ProviderError
from domain.errors import ProviderErrorKind as Kind
from domain.usage import Usage

FAIL_PREFIX = "mock-fail-"
CUT_MODEL = "mock-cut"
_STATUS: dict[Kind, int | None] = {
    Kind.RATE_LIMITED: 429, Kind.AUTH: 401, Kind.BAD_REQUEST: 400, Kind.CONTEXT_LENGTH: 400,
    Kind.CONTENT_FILTER: 400, Kind.NOT_FOUND: 404, Kind.SERVER: 500, Kind.OVERLOADED: 503,
    Kind.TIMEOUT: None, Kind.CONNECTION: None,
}
_ENCODER = msgspec.json.Encoder()


class MockLlmProvider(LlmProvider):
    def __init__(self, *, name: str = "mock") -> None:
        self._name = name

    async def complete(self, request: ChatRequest) -> ChatResponse:
        self._raise_fault(request.model, cut=True)
        return answer(request)

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        self._raise_fault(request.model, cut=False)
        response = answer(request)
        for index, call in enumerate(response.tool_calls):
            yield ToolCallDelta(index=index, id=call.id, name=call.name)
            yield ToolCallDelta(index=index, arguments=call.arguments)
        for sent, piece in enumerate(words(response.content or "")):
            if request.model == CUT_MODEL and sent == 2:
                raise self._fault(Kind.CONNECTION)
            yield TextDelta(text=piece)
        yield UsageReport(usage=response.usage)
        yield Finish(reason=response.finish_reason)

    async def aclose(self) -> None:
        return None

    def _raise_fault(self, model: str, *, cut: bool) -> None:
        if model.startswith(FAIL_PREFIX):
            name = model.removeprefix(FAIL_PREFIX)
            if name not in _STATUS:
                kinds = "|".join(_STATUS)
                raise InvalidRequestError(f"unknown mock fault '{name}': use {FAIL_PREFIX}<{kinds}>", param="model")
            raise self._fault(Kind(name))
        if cut and model == CUT_MODEL:
            raise self._fault(Kind.CONNECTION)

    def _fault(self, kind: Kind) -> ProviderError:
        return ProviderError(
            f"mock failure: {kind.value}",
            provider=self._name,
            kind=kind,
            status=_STATUS[kind],
            retry_after=1.0 if kind is Kind.RATE_LIMITED else None,
        )


def answer(request: ChatRequest) -> ChatResponse:
    """The deterministic answer to a request."""
    digest = hashlib.sha256(_ENCODER.encode(request)).hexdigest()
    input_tokens = tokens(sum(len(m.text()) for m in request.messages))
    if (tool := _forced_tool(request.params)) is not None:
        call = ToolCall(id=f"call_{digest[:24]}", name=tool, arguments="{}")
        usage = Usage(input_tokens=input_tokens, output_tokens=tokens(len(tool) + len(call.arguments)))
        return ChatResponse(
            id=f"chatcmpl-mock-{digest[:24]}", model=request.model, content=None,
            tool_calls=(call,), finish_reason=FinishReason.TOOL_CALLS, usage=usage,
        )
    last_user = next((m.text() for m in reversed(request.messages) if m.role is Role.USER), "")
    text, reason = _limit(f"Mock reply to: {last_user[:200]}", request.params)
    return ChatResponse(
        id=f"chatcmpl-mock-{digest[:24]}", model=request.model, content=text, finish_reason=reason,
        usage=Usage(input_tokens=input_tokens, output_tokens=tokens(len(text))),
    )


def tokens(chars: int) -> int:
    return math.ceil(chars / 4)


def words(text: str) -> list[str]:
    """Pieces that concatenate back to `text` exactly: each word with the spaces after it."""
    return re.findall(r"\s*\S+\s*", text) or ([text] if text else [])


def _forced_tool(params: ChatParams) -> str | None:
    choice = params.tool_choice
    if not params.tools or choice is None:
        return None
    if choice.tool is not None:
        return choice.tool
    return params.tools[0].name if choice.mode == "required" else None


def _limit(text: str, params: ChatParams) -> tuple[str, FinishReason]:
    cuts = [i for i in (text.find(s) for s in params.stop if s) if i >= 0]
    if cuts:
        text = text[: min(cuts)]
    if params.max_tokens is not None and tokens(len(text)) > params.max_tokens:
        return text[: params.max_tokens * 4], FinishReason.LENGTH
    return text, FinishReason.STOP
