"""Reading rolled-up usage."""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Protocol

import msgspec

from domain.usage_report import Dimension, UsageFilter
from domain.usage_stats import UsageTotals


class RolledGroup(msgspec.Struct, kw_only=True):
    """Totals of one group (its latency histogram included)."""

    key: str | None = None
    totals: UsageTotals = msgspec.field(default_factory=UsageTotals)


class UsageRollupReader(Protocol):
    @abstractmethod
    async def grouped(self, where: UsageFilter, by: Dimension | None) -> list[RolledGroup]:
        """One group per value of `by` (a missing value is key None), or one group for all."""

    @abstractmethod
    async def hourly(self, where: UsageFilter) -> dict[datetime, RolledGroup]:
        """One group per hour that has usage."""
