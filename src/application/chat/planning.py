"""Shared by both chat use cases: which targets to try, and the usage record of each attempt."""

from __future__ import annotations

from application.catalog import LiveCatalog
from application.chat.command import ChatCommand
from application.ports.system import Clock
from domain.catalog import Target
from domain.chat import ChatRequest
from domain.errors import ModelNotFoundError, ProviderError
from domain.routing import resolve_targets
from domain.usage import Usage, UsageRecord


def plan_targets(catalog: LiveCatalog, command: ChatCommand) -> tuple[Target, ...]:
    """The ordered targets for the requested model, if this tenant may call it."""
    model = command.request.model
    if not command.tenant.may_use(model):
        raise ModelNotFoundError(f"The model '{model}' does not exist or you do not have access to it", param="model")
    snapshot = catalog.snapshot
    return resolve_targets(model, snapshot.routes, snapshot.providers.values())


class AttemptLog:
    """Builds the usage record of each attempt of one request."""

    def __init__(self, clock: Clock, command: ChatCommand) -> None:
        self._clock = clock
        self._command = command
        self.count = 0

    def start(self) -> float:
        self.count += 1
        return self._clock.monotonic()

    def elapsed_ms(self, started: float) -> float:
        return round((self._clock.monotonic() - started) * 1000, 3)

    def record(
        self,
        target: Target | None,
        *,
        started: float | None,
        status: int = 200,
        usage: Usage = Usage(),
        error: ProviderError | None = None,
        error_kind: str | None = None,
        ttft_ms: float | None = None,
    ) -> UsageRecord:
        request: ChatRequest = self._command.request
        return UsageRecord(
            request_id=self._command.request_id,
            created_at=self._clock.now(),
            tenant_id=self._command.tenant.id,
            requested_model=request.model,
            service=self._command.service,
            customer_id=self._command.customer_id,
            provider=target.provider if target else None,
            model=target.model if target else None,
            attempt=max(self.count, 1),
            stream=request.stream,
            status=status,
            error_kind=error.kind.value if error else error_kind,
            usage=usage,
            latency_ms=self.elapsed_ms(started) if started is not None else 0.0,
            ttft_ms=ttft_ms,
        )
