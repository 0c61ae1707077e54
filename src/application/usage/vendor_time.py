"""Time a request spent waiting on vendors, summed from the usage records it produced.

The HTTP layer opens a `VendorTime` per request (a context variable); `UsageBuffer.record` adds each
record's latency to it, so the gateway's own overhead is the request's duration minus this."""

from __future__ import annotations

from contextvars import ContextVar, Token


class VendorTime:
    __slots__ = ("records", "seconds")

    def __init__(self) -> None:
        self.seconds = 0.0
        self.records = 0


_CURRENT: ContextVar[VendorTime | None] = ContextVar("vendor_time", default=None)


def start_vendor_time() -> tuple[VendorTime, Token[VendorTime | None]]:
    timer = VendorTime()
    return timer, _CURRENT.set(timer)


def stop_vendor_time(token: Token[VendorTime | None]) -> None:
    _CURRENT.reset(token)


def add_vendor_time(latency_ms: float) -> None:
    timer = _CURRENT.get()
    if timer is not None:
        timer.seconds += latency_ms / 1000
        timer.records += 1
