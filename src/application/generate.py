"""The service API: one prompt (or a short conversation) in, the text out, routed like any chat."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from application.chat.command import ChatCommand
from application.chat.complete_chat import CompleteChat
from application.ports.system import Clock
from application.usage.price_book import PriceBook
from domain.catalog import Tenant
from domain.chat import ChatParams, ChatRequest, Message, Role
from domain.errors import InvalidRequestError
from domain.usage import Usage


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerateCommand:
    tenant: Tenant
    request_id: str
    service: str
    customer_id: str | None = None
    prompt: str | None = None
    messages: tuple[Message, ...] = ()
    system: str | None = None
    model: str | None = None  # None: the customer's override decides
    max_tokens: int | None = None
    temperature: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerateResult:
    content: str
    provider: str
    model: str
    usage: Usage
    latency_ms: float
    rule: str
    attempts: int
    cost_usd: Decimal | None = None  # None: no price is known for that provider and model
    cached: bool = False  # no response cache yet


def chat_request(command: GenerateCommand) -> ChatRequest:
    """Exactly one of prompt or messages; `system` goes first. No model: an empty name, which
    routing reads as "none asked for"."""
    if (command.prompt is None) == (not command.messages):
        raise InvalidRequestError("give exactly one of prompt or messages", param="prompt")
    conversation = command.messages or (Message(role=Role.USER, content=command.prompt),)
    system = (Message(role=Role.SYSTEM, content=command.system),) if command.system else ()
    params = ChatParams(max_tokens=command.max_tokens, temperature=command.temperature, user=command.customer_id)
    return ChatRequest(model=command.model or "", messages=system + conversation, params=params)


class GenerateText:
    """Routes and answers like `CompleteChat`, and prices the answering attempt from the in-memory
    price table (the usage log prices every attempt again, off the request path)."""

    def __init__(self, complete: CompleteChat, prices: PriceBook, clock: Clock) -> None:
        self._complete = complete
        self._prices = prices
        self._clock = clock

    async def execute(self, command: GenerateCommand) -> GenerateResult:
        started = self._clock.monotonic()
        result = await self._complete.execute(
            ChatCommand(
                tenant=command.tenant,
                request=chat_request(command),
                request_id=command.request_id,
                service=command.service,
                customer_id=command.customer_id,
            )
        )
        usage = result.response.usage
        return GenerateResult(
            content=result.response.content or "",
            provider=result.target.provider,
            model=result.target.model,
            usage=usage,
            cost_usd=self._prices.cost_of(usage, provider=result.target.provider, model=result.target.model),
            latency_ms=round((self._clock.monotonic() - started) * 1000, 3),
            rule=result.rule,
            attempts=result.attempts,
        )
