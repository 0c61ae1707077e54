"""`POST /api/v1/generate` body and answer: the service API beside the OpenAI-compatible one."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from application.generate import GenerateCommand, GenerateResult
from domain.catalog import Tenant
from domain.chat import Message, Role

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]


class GenerateMessageIn(msgspec.Struct, forbid_unknown_fields=True):
    role: Literal["system", "user", "assistant"]
    content: str


class GenerateIn(msgspec.Struct, forbid_unknown_fields=True):
    """Exactly one of `prompt` or `messages`. Without `model` the customer's override decides.
    `cache` is accepted for the response cache to come; nothing is cached yet."""

    service: Name
    customer_id: Name | None = None
    prompt: Annotated[str, msgspec.Meta(min_length=1)] | None = None
    messages: list[GenerateMessageIn] | None = None
    system: str | None = None
    model: Annotated[str, msgspec.Meta(min_length=1, max_length=256)] | None = None
    max_tokens: Annotated[int, msgspec.Meta(ge=1)] | None = None
    temperature: Annotated[float, msgspec.Meta(ge=0, le=2)] | None = None
    cache: bool = True


class UsageOut(msgspec.Struct):
    input_tokens: int
    output_tokens: int
    total_tokens: int
    cached_tokens: int
    reasoning_tokens: int
    estimated: bool


class GenerateOut(msgspec.Struct):
    content: str
    provider: str
    model: str
    usage: UsageOut
    cost_usd: Decimal | None
    cached: bool
    latency_ms: float
    request_id: str


def generate_command(body: GenerateIn, *, tenant: Tenant, request_id: str) -> GenerateCommand:
    return GenerateCommand(
        tenant=tenant,
        request_id=request_id,
        service=body.service,
        customer_id=body.customer_id,
        prompt=body.prompt,
        messages=tuple(Message(role=Role(m.role), content=m.content) for m in body.messages or ()),
        system=body.system,
        model=body.model,
        max_tokens=body.max_tokens,
        temperature=body.temperature,
    )


def generate_out(result: GenerateResult, *, request_id: str) -> GenerateOut:
    u = result.usage
    return GenerateOut(
        content=result.content,
        provider=result.provider,
        model=result.model,
        usage=UsageOut(
            input_tokens=u.input_tokens,
            output_tokens=u.output_tokens,
            total_tokens=u.total_tokens,
            cached_tokens=u.cached_tokens,
            reasoning_tokens=u.reasoning_tokens,
            estimated=u.estimated,
        ),
        cost_usd=result.cost_usd,
        cached=result.cached,
        latency_ms=result.latency_ms,
        request_id=request_id,
    )
