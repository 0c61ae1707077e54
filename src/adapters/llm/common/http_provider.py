"""`complete` / `stream` for adapters that make one HTTP call and decode its raw response themselves."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import httpx2

from adapters.llm.common.streaming import StreamParser, parse_body
from application.ports.llm import LlmProvider
from domain.chat import ChatRequest
from domain.completion import ChatResponse, StreamEvent
from domain.errors import ProviderError


class HttpLlmProvider(LlmProvider):
    """The vendor supplies the body, the call, the decoding and the error translation; this runs
    them and turns any of `failures` into the vendor's classified `ProviderError`."""

    failures: tuple[type[BaseException], ...]  # what `complete` / `stream` catch and translate

    async def complete(self, request: ChatRequest) -> ChatResponse:
        body = self._body(request, stream=False)
        try:
            response = await self._send(body, stream=False)
            return self._answer(response.content)
        except self.failures as exc:
            raise self._error(exc) from exc

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        body = self._body(request, stream=True)
        parser = self._parser()
        try:
            response = await self._send(body, stream=True)
            async with aclosing(parse_body(response.aiter_bytes(), parser, response.aclose)) as events:
                async for event in events:
                    yield event
        except self.failures as exc:
            raise self._error(exc) from exc

    @abstractmethod
    def _body(self, request: ChatRequest, *, stream: bool) -> Any:
        """What `_send` sends for this request."""

    @abstractmethod
    async def _send(self, body: Any, *, stream: bool) -> httpx2.Response:
        """The vendor call: a non-2xx answer raises; a streamed response comes back unread."""

    @abstractmethod
    def _answer(self, content: bytes) -> ChatResponse:
        """A whole (non-streamed) response body -> the domain answer."""

    @abstractmethod
    def _parser(self) -> StreamParser:
        """A fresh incremental parser for one streamed body."""

    @abstractmethod
    def _error(self, exc: BaseException) -> ProviderError:
        """One of `failures` -> the vendor's classified error, secrets removed."""
