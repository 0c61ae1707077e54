"""Shared by both chat use cases: which rule and targets serve a request, and each attempt's usage record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from application.catalog import LiveCatalog
from application.chat.command import ChatCommand
from application.ports.system import Clock
from application.routing.health import ProviderHealth
from domain.catalog import Target
from domain.cooldown import BreakerState, order_for_attempts
from domain.errors import ModelNotFoundError, ProviderError
from domain.overrides import RouteChoice, choose_route
from domain.routing import split_targets
from domain.splits import split_roll
from domain.usage import Usage, UsageRecord


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutePlan:
    rule: str  # the rule that won: `X-Gateway-Route` and the usage record's `route_rule`
    targets: tuple[Target, ...]  # in trying order, cooling providers already left out
    states: Mapping[str, BreakerState]  # as read when planning, by provider name


def decide(
    catalog: LiveCatalog, *, model: str | None, customer_id: str | None, service: str | None, split_key: str
) -> tuple[RouteChoice, tuple[Target, ...]]:
    """The winning rule and its targets (split applied, health not yet), from the snapshot alone."""
    snapshot = catalog.snapshot
    choice = choose_route(
        model=model,
        customer_id=customer_id,
        service=service,
        overrides=snapshot.overrides.get(customer_id or "", ()),
        aliases=snapshot.routes.keys(),
        providers=snapshot.providers.keys(),
    )
    roll = split_roll(customer_id or split_key)
    return choice, split_targets(choice.model, snapshot.routes, snapshot.providers.values(), roll=roll)


class RoutePlanner:
    def __init__(self, catalog: LiveCatalog, health: ProviderHealth) -> None:
        self._catalog = catalog
        self._health = health

    async def plan(self, command: ChatCommand) -> RoutePlan:
        """Checks the tenant may call the requested model (an empty model means none was asked
        for: only an override can then decide), then reads the cool-down state (cached in memory
        for `LLMGW_COOLDOWN_CACHE_S`, so usually no round trip)."""
        model = command.request.model or None
        if model is not None and not command.tenant.may_use(model):
            raise ModelNotFoundError(
                f"The model '{model}' does not exist or you do not have access to it", param="model"
            )
        choice, targets = decide(
            self._catalog,
            model=model,
            customer_id=command.customer_id,
            service=command.service,
            split_key=command.request_id,
        )
        states = await self._health.states(sorted({t.provider for t in targets}))
        ordered = order_for_attempts(targets, states, now=self._health.now())
        return RoutePlan(rule=choice.rule, targets=ordered, states=states)


class AttemptLog:
    """Builds the usage record of each attempt of one request."""

    def __init__(self, clock: Clock, command: ChatCommand) -> None:
        self._clock = clock
        self._command = command
        self.count = 0
        self.rule: str | None = None

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
        request = self._command.request
        return UsageRecord(
            request_id=self._command.request_id,
            created_at=self._clock.now(),
            tenant_id=self._command.tenant.id,
            requested_model=request.model or None,
            service=self._command.service,
            customer_id=self._command.customer_id,
            route_rule=self.rule,
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
