"""Recent outcomes per provider, in this process: the success rate and latency the health endpoint shows."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderStats:
    attempts: int
    success_rate: float | None  # None: no attempt yet
    avg_latency_ms: float | None  # of the successful attempts
    p95_latency_ms: float | None


class RecentOutcomes:
    def __init__(self, window: int) -> None:
        self._window = window
        self._outcomes: dict[str, deque[tuple[bool, float]]] = {}

    def add(self, provider: str, *, ok: bool, latency_ms: float) -> None:
        self._outcomes.setdefault(provider, deque(maxlen=self._window)).append((ok, latency_ms))

    def summary(self, provider: str) -> ProviderStats:
        outcomes = self._outcomes.get(provider, ())
        latencies = sorted(ms for ok, ms in outcomes if ok)
        if not outcomes:
            return ProviderStats(attempts=0, success_rate=None, avg_latency_ms=None, p95_latency_ms=None)
        return ProviderStats(
            attempts=len(outcomes),
            success_rate=round(len(latencies) / len(outcomes), 4),
            avg_latency_ms=round(sum(latencies) / len(latencies), 3) if latencies else None,
            p95_latency_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] if latencies else None,
        )
