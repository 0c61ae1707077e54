"""The port every vendor adapter implements."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import AsyncIterator
from typing import Protocol

from domain.catalog import Provider
from domain.chat import ChatRequest
from domain.completion import ChatResponse, StreamEvent


class LlmProvider(Protocol):
    """One configured vendor account. `request.model` is already the vendor's model name.

    Failures raise `domain.errors.ProviderError` (classified, secrets removed), or
    `UnsupportedFeatureError` for a field this vendor cannot honour, before any network call.
    """

    @abstractmethod
    async def complete(self, request: ChatRequest) -> ChatResponse: ...

    @abstractmethod
    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Events in order; ends with a `UsageReport` (when the vendor reports usage) and a `Finish`."""

    @abstractmethod
    async def aclose(self) -> None:
        """Release the SDK client and its connections."""


class LlmProviderFactory(Protocol):
    @abstractmethod
    def create(self, provider: Provider) -> LlmProvider:
        """Build the adapter (and its one SDK client) for a provider; no network call."""
