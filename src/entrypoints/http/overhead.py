"""The gateway's own time per request: its duration minus the time its vendor attempts took."""

from __future__ import annotations

import time

from dishka import AsyncContainer
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from application.ports.metrics import GatewayMetrics
from application.usage.vendor_time import start_vendor_time, stop_vendor_time


def overhead_middleware(app: ASGIApp, container: AsyncContainer) -> ASGIApp:
    """Pure ASGI. Only requests that reached a vendor (or were refused before one) are measured:
    each left usage records, whose latencies `UsageBuffer.record` adds to this request's timer."""
    metrics: list[GatewayMetrics] = []

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        timer, token = start_vendor_time()
        started = time.perf_counter()
        try:
            await app(scope, receive, send)
        finally:
            stop_vendor_time(token)
            if timer.records:
                if not metrics:
                    metrics.append(await container.get(GatewayMetrics))
                metrics[0].observe_overhead(time.perf_counter() - started - timer.seconds)

    return middleware
