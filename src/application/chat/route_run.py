"""One request's walk along its targets: timeouts, the deadline, usage records and provider health."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from typing import TypeVar

import msgspec

from application.catalog import LiveCatalog
from application.chat.command import ChatCommand
from application.chat.planning import AttemptLog, RoutePlan, RoutePlanner
from application.chat.stream_meter import StreamMeter
from application.ports.llm import LlmProvider
from application.ports.system import Clock
from application.ports.usage import UsageSink
from application.routing.config import RoutingConfig
from application.routing.health import ProviderHealth
from domain.catalog import Target
from domain.chat import ChatRequest
from domain.errors import (
    AllProvidersFailedError,
    GatewayError,
    ProviderError,
    ProviderErrorKind,
    ServiceUnavailableError,
    UnsupportedFeatureError,
)
from domain.fallback import attempt_timeout
from domain.status import status_of
from domain.usage import Usage

T = TypeVar("T")


async def call_within(seconds: float, provider: str, call: Awaitable[T]) -> T:
    """The gateway's own per-attempt timeout, whatever the vendor's client does."""
    try:
        async with asyncio.timeout(seconds):
            return await call
    except TimeoutError:
        raise ProviderError(
            f"No answer within {seconds:g}s", provider=provider, kind=ProviderErrorKind.TIMEOUT
        ) from None


class RouteRun:
    def __init__(self, router: ChatRouter, command: ChatCommand, plan: RoutePlan, log: AttemptLog) -> None:
        self._router, self._command, self._plan, self.log = router, command, plan, log
        self._deadline_at = router.clock.monotonic() + router.config.request_deadline_s
        self.errors: list[ProviderError] = []
        self.refusals: list[GatewayError] = []  # targets that could not take this request at all

    @property
    def rule(self) -> str:
        return self._plan.rule

    def attempts(self) -> Iterator[tuple[Target, float]]:
        """Each target to try with the seconds it may take; stops when the deadline has passed."""
        providers = self._router.catalog.snapshot.providers
        for target in self._plan.targets:
            provider = providers.get(target.provider)
            left = self._deadline_at - self._router.clock.monotonic()
            seconds = attempt_timeout(provider.timeout_s if provider else left, left)
            if seconds is None:
                return
            yield target, seconds

    def adapter(self, target: Target) -> LlmProvider:
        return self._router.catalog.adapter(target.provider)

    def request_for(self, target: Target) -> ChatRequest:
        return msgspec.structs.replace(self._command.request, model=target.model)

    async def failed(self, target: Target, started: float, error: ProviderError) -> bool:
        """Records the failed attempt (no output tokens: nothing is charged for it); True: move on."""
        self._router.usage.record(self.log.record(target, started=started, status=status_of(error), error=error))
        self.errors.append(error)
        await self._router.health.failed(target.provider, error, latency_ms=self.log.elapsed_ms(started))
        return self._router.config.fallback.should_try_next(error)

    def refused(self, target: Target, started: float, error: GatewayError) -> bool:
        """A failure that is not the vendor's: recorded, not counted against its health. True: move
        on, because this target cannot take the request (a field its vendor cannot honour, an
        adapter that could not be built) while another may; any other refusal is the request's own
        fault and would fail everywhere."""
        self._router.usage.record(
            self.log.record(target, started=started, status=status_of(error), error_kind=error.code)
        )
        if isinstance(error, UnsupportedFeatureError | ServiceUnavailableError):
            self.refusals.append(error)
            return True
        return False

    async def succeeded(self, target: Target, started: float, usage: Usage, *, ttft_ms: float | None = None) -> None:
        self._router.usage.record(self.log.record(target, started=started, usage=usage, ttft_ms=ttft_ms))
        prior = self._plan.states.get(target.provider)
        await self._router.health.succeeded(target.provider, prior, latency_ms=self.log.elapsed_ms(started))

    async def stream_ended(
        self, target: Target, started: float, meter: StreamMeter, *, error: ProviderError | None, completed: bool
    ) -> None:
        """The record of a stream that got its first event: finished, failed mid-way (the provider's
        failure counts, but nothing moves on) or cut short by the client (499, not the provider's)."""
        status = 200 if completed else status_of(error) if error else 499
        record = self.log.record(
            target,
            started=started,
            status=status,
            error=error,
            usage=meter.usage(),
            ttft_ms=meter.ttft_ms,
            error_kind="client_disconnected" if status == 499 else None,
        )
        self._router.usage.record(record)
        if error is not None:
            await self._router.health.failed(target.provider, error, latency_ms=record.latency_ms)
        elif completed:
            await self._router.health.succeeded(
                target.provider, self._plan.states.get(target.provider), latency_ms=record.latency_ms
            )

    def exhausted(self) -> GatewayError:
        """What to answer when no target answered: the vendors' failures if any vendor was called,
        else why the targets refused (a 400 naming the field), else the passed deadline."""
        if not self.errors and self.refusals:
            return self.refusals[0]
        if not self.errors:  # the deadline passed before any attempt could start
            passed = ProviderError("Request deadline passed", provider="gateway", kind=ProviderErrorKind.TIMEOUT)
            self.errors.append(passed)
        return AllProvidersFailedError(self.errors)


class ChatRouter:
    """Starts a `RouteRun` per request; a request no rule can serve is recorded and refused."""

    def __init__(
        self,
        catalog: LiveCatalog,
        planner: RoutePlanner,
        health: ProviderHealth,
        usage: UsageSink,
        clock: Clock,
        config: RoutingConfig,
    ) -> None:
        self.catalog, self.planner, self.health = catalog, planner, health
        self.usage, self.clock, self.config = usage, clock, config

    async def open(self, command: ChatCommand) -> RouteRun:
        log = AttemptLog(self.clock, command)
        try:
            plan = await self.planner.plan(command)
        except GatewayError as exc:
            self.usage.record(log.record(None, started=None, status=status_of(exc), error_kind=exc.code))
            raise
        log.rule = plan.rule
        return RouteRun(self, command, plan, log)
