"""A streamed chat completion: fallback only until the first event, then no second vendor."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import msgspec

from application.catalog import LiveCatalog
from application.chat.command import ChatCommand, ChatStream
from application.chat.planning import AttemptLog, plan_targets
from application.chat.stream_meter import StreamMeter
from application.ports.system import Clock
from application.ports.usage import UsageSink
from domain.catalog import Target
from domain.completion import StreamEvent
from domain.errors import AllProvidersFailedError, GatewayError, ProviderError
from domain.fallback import should_try_next
from domain.status import status_of


class StreamChat:
    """Opens the stream on each target in turn until one yields its first event; returns the
    stream from there. A failure after that first event surfaces to the caller (who ends the
    stream with an error event) and is never retried elsewhere. The usage record is written
    when the stream ends, however it ends, with the tokens streamed so far."""

    def __init__(self, catalog: LiveCatalog, usage: UsageSink, clock: Clock) -> None:
        self._catalog = catalog
        self._usage = usage
        self._clock = clock

    async def execute(self, command: ChatCommand) -> ChatStream:
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
            events = self._catalog.adapter(target.provider).stream(request)
            try:
                first = await anext(events)
            except StopAsyncIteration:
                first = None
            except ProviderError as exc:
                self._usage.record(log.record(target, started=started, status=status_of(exc), error=exc))
                errors.append(exc)
                if not should_try_next(exc):
                    break
                continue
            except GatewayError as exc:
                self._usage.record(log.record(target, started=started, status=status_of(exc), error_kind=exc.code))
                raise
            meter = StreamMeter(command.request, ttft_ms=log.elapsed_ms(started))
            return ChatStream(
                events=self._metered(events, first, meter, log, target, started),
                target=target,
                attempts=log.count,
            )
        raise AllProvidersFailedError(errors)

    async def _metered(
        self,
        events: AsyncIterator[StreamEvent],
        first: StreamEvent | None,
        meter: StreamMeter,
        log: AttemptLog,
        target: Target,
        started: float,
    ) -> AsyncIterator[StreamEvent]:
        status, error = 499, None  # 499: the client went away before the end
        try:
            if first is not None:
                meter.see(first)
                yield first
            async for event in events:
                meter.see(event)
                yield event
            status = 200
        except ProviderError as exc:
            status, error = status_of(exc), exc
            raise
        finally:
            self._usage.record(
                log.record(
                    target,
                    started=started,
                    status=status,
                    error=error,
                    usage=meter.usage(),
                    ttft_ms=meter.ttft_ms,
                    error_kind="client_disconnected" if status == 499 else None,
                )
            )
            await _close(events)


async def _close(events: AsyncIterator[StreamEvent]) -> None:
    aclose = getattr(events, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(Exception):  # closing a dead vendor stream may fail; nothing to do
            await aclose()
