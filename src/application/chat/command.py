"""What the chat use cases take and give."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from domain.catalog import Target, Tenant
from domain.chat import ChatRequest
from domain.completion import ChatResponse, StreamEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatCommand:
    tenant: Tenant
    request: ChatRequest
    request_id: str
    service: str | None = None  # the calling service: the tenant's name
    customer_id: str | None = None  # the end customer, when the caller says


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatResult:
    response: ChatResponse
    target: Target  # who answered
    attempts: int
    rule: str  # the routing rule that won


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatStream:
    """A stream whose first event has arrived: from here on, no fallback."""

    events: AsyncIterator[StreamEvent]
    target: Target
    attempts: int
    rule: str
