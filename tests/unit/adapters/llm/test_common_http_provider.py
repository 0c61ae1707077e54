"""The complete / stream shell shared by the adapters that make one HTTP call."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx2
import pytest

from adapters.llm.common.http_provider import HttpLlmProvider
from domain.chat import ChatRequest, Message, Role
from domain.completion import ChatResponse, Finish, FinishReason, StreamEvent, TextDelta
from domain.errors import ProviderError
from domain.errors import ProviderErrorKind as Kind

pytestmark = pytest.mark.unit

REQUEST = ChatRequest(model="m", messages=(Message(role=Role.USER, content="hi"),))


class WordParser:
    """Each read is one word; the body ends the answer."""

    done = False

    def feed(self, data: bytes) -> Iterable[StreamEvent]:
        if data == b"boom":
            raise ValueError("in-band failure")
        return [TextDelta(text=data.decode())]

    def close(self) -> Iterable[StreamEvent]:
        return [Finish(reason=FinishReason.STOP)]


class Scripted(HttpLlmProvider):
    failures = (ValueError,)

    def __init__(self, content: bytes, *, refuse: bool = False) -> None:
        self.content, self.refuse = content, refuse
        self.sent: list[Any] = []

    def _body(self, request: ChatRequest, *, stream: bool) -> Any:
        return {"model": request.model, "stream": stream}

    async def _send(self, body: Any, *, stream: bool) -> httpx2.Response:
        self.sent.append(body)
        if self.refuse:
            raise ValueError("HTTP 429")
        return httpx2.Response(200, content=self.content)

    def _answer(self, content: bytes) -> ChatResponse:
        raise ValueError(f"cannot read {content!r}")

    def _parser(self) -> WordParser:
        return WordParser()

    def _error(self, exc: BaseException) -> ProviderError:
        return ProviderError(str(exc), provider="p", kind=Kind.SERVER)

    async def aclose(self) -> None:
        pass


async def test_complete_sends_the_body_and_translates_a_failure() -> None:
    provider = Scripted(b"{}")

    with pytest.raises(ProviderError, match="cannot read") as caught:
        await provider.complete(REQUEST)

    assert provider.sent == [{"model": "m", "stream": False}]
    assert isinstance(caught.value.__cause__, ValueError)


async def test_stream_yields_the_parsers_events_then_its_closing_ones() -> None:
    provider = Scripted(b"hello")

    events = [e async for e in provider.stream(REQUEST)]

    assert events == [TextDelta(text="hello"), Finish(reason=FinishReason.STOP)]
    assert provider.sent == [{"model": "m", "stream": True}]


@pytest.mark.parametrize(("content", "refuse"), [(b"boom", False), (b"hello", True)])
async def test_stream_failures_before_or_while_reading_are_translated(content: bytes, refuse: bool) -> None:
    with pytest.raises(ProviderError):
        _ = [e async for e in Scripted(content, refuse=refuse).stream(REQUEST)]
