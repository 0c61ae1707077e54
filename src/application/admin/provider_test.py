"""`POST /api/v1/admin/providers/{id}/test`: one tiny real request, to check a provider's key and URL."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.admin import ProviderRepository
from application.ports.llm import LlmProviderFactory
from application.ports.system import Clock
from domain.chat import ChatParams, ChatRequest, Message, Role
from domain.errors import GatewayError, InvalidRequestError, ProviderError
from domain.status import status_of


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderTestResult:
    ok: bool
    model: str
    latency_ms: float
    error_kind: str | None = None
    error_message: str | None = None
    status: int | None = None  # the status the gateway would answer a client with


class TestProvider:
    """Builds a throwaway adapter from the stored provider (not the live one, so a provider that is
    disabled can be checked before it is enabled) and asks for one token."""

    __test__ = False  # not a pytest class, despite the name

    def __init__(self, providers: ProviderRepository, factory: LlmProviderFactory, clock: Clock) -> None:
        self._providers, self._factory, self._clock = providers, factory, clock

    async def execute(self, provider_id: str, model: str | None = None) -> ProviderTestResult:
        provider = await self._providers.get(provider_id)
        model = model or (provider.models[0] if provider.models else None)
        if not model:
            raise InvalidRequestError("the provider lists no models: name one to test with", param="model")
        request = ChatRequest(
            model=model,
            messages=(Message(role=Role.USER, content="Reply with the word: ok"),),
            params=ChatParams(max_tokens=1),
        )
        adapter = self._factory.create(provider)
        started = self._clock.monotonic()
        try:
            await adapter.complete(request)
        except GatewayError as exc:
            kind = exc.kind.value if isinstance(exc, ProviderError) else exc.code
            return ProviderTestResult(
                ok=False,
                model=model,
                latency_ms=self._ms(started),
                error_kind=kind,
                error_message=exc.message,
                status=status_of(exc),
            )
        finally:
            await adapter.aclose()
        return ProviderTestResult(ok=True, model=model, latency_ms=self._ms(started))

    def _ms(self, started: float) -> float:
        return round((self._clock.monotonic() - started) * 1000, 1)
