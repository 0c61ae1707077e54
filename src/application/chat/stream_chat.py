"""A streamed chat completion: fallback only until the first event, then no second vendor."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from application.chat.command import ChatCommand, ChatStream
from application.chat.route_run import ChatRouter, RouteRun, call_within
from application.chat.stream_meter import StreamMeter
from domain.catalog import Target
from domain.completion import StreamEvent
from domain.errors import GatewayError, ProviderError


class StreamChat:
    """Opens the stream on each planned target in turn until one yields its first event (within
    the attempt's timeout); returns the stream from there. A failure after that first event
    surfaces to the caller (who ends the stream with an error event) and is never retried
    elsewhere. The usage record is written when the stream ends, however it ends, with the
    tokens streamed so far."""

    def __init__(self, router: ChatRouter) -> None:
        self._router = router

    async def execute(self, command: ChatCommand) -> ChatStream:
        run = await self._router.open(command)
        for target, seconds in run.attempts():
            started = run.log.start()
            events: AsyncIterator[StreamEvent] | None = None
            try:
                events = run.adapter(target).stream(run.request_for(target))
                first: StreamEvent | None = await call_within(seconds, target.provider, anext(events, None))
            except ProviderError as exc:
                await _close(events)
                if await run.failed(target, started, exc):
                    continue
                break
            except GatewayError as exc:
                await _close(events)
                if run.refused(target, started, exc):
                    continue
                raise
            meter = StreamMeter(command.request, ttft_ms=run.log.elapsed_ms(started))
            metered = _metered(events, first, meter, run, target, started)
            return ChatStream(events=metered, target=target, attempts=run.log.count, rule=run.rule)
        raise run.exhausted()


async def _metered(
    events: AsyncIterator[StreamEvent],
    first: StreamEvent | None,
    meter: StreamMeter,
    run: RouteRun,
    target: Target,
    started: float,
) -> AsyncIterator[StreamEvent]:
    completed, error = False, None  # neither: the client went away before the end (499)
    try:
        if first is not None:
            meter.see(first)
            yield first
        async for event in events:
            meter.see(event)
            yield event
        completed = True
    except ProviderError as exc:
        error = exc
        raise
    finally:
        await run.stream_ended(target, started, meter, error=error, completed=completed)
        await _close(events)


async def _close(events: AsyncIterator[StreamEvent] | None) -> None:
    aclose = getattr(events, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(Exception):  # closing a dead vendor stream may fail; nothing to do
            await aclose()
