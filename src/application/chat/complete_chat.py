"""A whole (non-streamed) chat completion, with fallback across the route's targets."""

from __future__ import annotations

import msgspec

from application.catalog import LiveCatalog
from application.chat.command import ChatCommand, ChatResult
from application.chat.planning import AttemptLog, plan_targets
from application.ports.system import Clock
from application.ports.usage import UsageSink
from domain.errors import AllProvidersFailedError, GatewayError, ProviderError
from domain.fallback import should_try_next
from domain.status import status_of


class CompleteChat:
    """Tries each target in order until one answers. A failure another target may not share
    (rate limit, outage, timeout…) moves on; any other failure ends the request. Every attempt,
    failed or not, leaves one usage record."""

    def __init__(self, catalog: LiveCatalog, usage: UsageSink, clock: Clock) -> None:
        self._catalog = catalog
        self._usage = usage
        self._clock = clock

    async def execute(self, command: ChatCommand) -> ChatResult:
        log = AttemptLog(self._clock, command)
        try:
            targets = plan_targets(self._catalog, command)
        except GatewayError as exc:
            self._usage.record(log.record(None, started=None, status=status_of(exc), error_kind=exc.code))
            raise
        errors: list[ProviderError] = []
        for target in targets:
            started = log.start()
            request = msgspec.structs.replace(command.request, model=target.model)
            try:
                response = await self._catalog.adapter(target.provider).complete(request)
            except ProviderError as exc:
                self._usage.record(log.record(target, started=started, status=status_of(exc), error=exc))
                errors.append(exc)
                if not should_try_next(exc):
                    break
                continue
            except GatewayError as exc:
                self._usage.record(log.record(target, started=started, status=status_of(exc), error_kind=exc.code))
                raise
            self._usage.record(log.record(target, started=started, usage=response.usage))
            return ChatResult(response=response, target=target, attempts=log.count)
        raise AllProvidersFailedError(errors)
