"""What the gateway reports to its metrics system. Every label value is bounded (see `UsageLabels`)."""

from __future__ import annotations

from abc import abstractmethod
from typing import Protocol

import msgspec

from domain.usage import UsageRecord


class UsageLabels(msgspec.Struct, frozen=True, kw_only=True):
    """Names from the catalog only: tenant name, provider name, a model the catalog knows; else `other`."""

    tenant: str
    provider: str
    model: str


class QueueStats(Protocol):
    """The usage queue as the metrics see it, read at scrape time."""

    @property
    @abstractmethod
    def pending(self) -> int:
        """Records waiting to be written."""

    @property
    @abstractmethod
    def dropped(self) -> int:
        """Records dropped because the queue was full, since start."""


class GatewayMetrics(Protocol):
    @abstractmethod
    def observe_usage(self, record: UsageRecord, labels: UsageLabels) -> None:
        """One usage record, priced: requests, latency, tokens, cost, cache, refusals, fallbacks."""

    @abstractmethod
    def observe_overhead(self, seconds: float) -> None:
        """Time a request spent in the gateway, not waiting on a vendor."""

    @abstractmethod
    def observe_cooldown(self, provider: str) -> None:
        """A provider was put in cool-down (`provider` a catalog name)."""

    @abstractmethod
    def watch_queue(self, queue: QueueStats) -> None:
        """Report this queue's depth and drops."""


class MetricsExporter(Protocol):
    @abstractmethod
    def render(self) -> tuple[bytes, str]:
        """The current metrics and their content type."""
