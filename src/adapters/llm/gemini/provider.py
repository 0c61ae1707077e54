"""`LlmProvider` over the Gemini Developer API (`generateContent`), through google-genai.

The SDK sends each request (URL, key header, timeout, status errors; see `transport.py`); we build
the body and decode the answer with msgspec, skipping the SDK's pydantic models.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing

from adapters.llm.common.secrets import sensitive_header_values
from adapters.llm.common.streaming import parse_body
from adapters.llm.gemini.client import build_gemini_client
from adapters.llm.gemini.errors import FAILURES, to_provider_error
from adapters.llm.gemini.request import to_request_body
from adapters.llm.gemini.response import to_chat_response
from adapters.llm.gemini.stream import EventParser
from adapters.llm.gemini.transport import GeminiTransport
from application.ports.llm import LlmProvider
from domain.catalog import Provider
from domain.chat import ChatRequest
from domain.completion import ChatResponse, StreamEvent
from domain.errors import ProviderError


class GeminiLlmProvider(LlmProvider):
    def __init__(self, transport: GeminiTransport, *, name: str, secrets: tuple[str, ...] = ()) -> None:
        """`secrets`: the API key and any credential in extra headers, kept out of error messages."""
        self._transport = transport
        self._name = name
        self._secrets = secrets

    async def complete(self, request: ChatRequest) -> ChatResponse:
        body = to_request_body(request)
        try:
            text = await self._transport.generate(request.model, body)
            return to_chat_response(text, model=request.model)
        except FAILURES as exc:
            raise self._error(exc) from exc

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        body = to_request_body(request)
        parser = EventParser()
        try:
            chunks = self._transport.stream(request.model, body)
            async with aclosing(parse_body(chunks, parser, chunks.aclose)) as events:
                async for event in events:
                    yield event
        except FAILURES as exc:
            raise self._error(exc) from exc

    async def aclose(self) -> None:
        await self._transport.aclose()

    def _error(self, exc: BaseException) -> ProviderError:
        return to_provider_error(exc, provider=self._name, secrets=self._secrets)


def build_gemini_provider(provider: Provider) -> LlmProvider:
    """No network call: the SDK connects lazily on the first request. `base_url` defaults to
    Google's; a `/v1beta`-style suffix on it picks that API version."""
    client = build_gemini_client(
        base_url=provider.base_url,
        api_key=provider.api_key,
        timeout_s=provider.timeout_s,
        extra_headers=provider.extra_headers,
    )
    header_secrets = sensitive_header_values(provider.extra_headers)
    secrets = (provider.api_key, *header_secrets) if provider.api_key else header_secrets
    return GeminiLlmProvider(GeminiTransport(client, timeout_s=provider.timeout_s),
                             name=provider.name, secrets=secrets)
