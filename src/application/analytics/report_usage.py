"""Usage analytics: summaries and breakdowns served from the hourly rollups, never the raw log."""

from __future__ import annotations

from datetime import UTC, datetime

from application.ports.analytics import RolledGroup, UsageRollupReader
from domain.usage_report import BucketStats, Dimension, GroupStats, UsageFilter, UsageStats, stats_of
from domain.usage_stats import day_of, step_of


def _merged(groups: list[RolledGroup]) -> RolledGroup:
    merged = RolledGroup()
    for group in groups:
        merged.totals.merge(group.totals)
    return merged


def _stats(group: RolledGroup) -> UsageStats:
    return stats_of(group.totals)


class ReportUsage:
    def __init__(self, reader: UsageRollupReader) -> None:
        self._reader = reader

    async def summary(self, where: UsageFilter) -> UsageStats:
        return _stats(_merged(await self._reader.grouped(where, None)))

    async def breakdown(self, where: UsageFilter, by: Dimension) -> list[GroupStats]:
        """Most expensive first, then by key."""
        groups = [GroupStats(key=g.key, stats=_stats(g)) for g in await self._reader.grouped(where, by)]
        return sorted(groups, key=lambda g: (-g.stats.cost_usd, -g.stats.attempts, g.key or ""))

    async def timeseries(self, where: UsageFilter, interval: str) -> list[BucketStats]:
        """Buckets with usage only, oldest first; a day is a UTC day."""
        step_of(interval)  # validates the interval
        hours = await self._reader.hourly(where)
        buckets: dict[datetime, list[RolledGroup]] = {}
        for hour, group in hours.items():
            start = (day_of(hour) if interval == "day" else hour).astimezone(UTC)
            buckets.setdefault(start, []).append(group)
        return [BucketStats(start=start, stats=_stats(_merged(buckets[start]))) for start in sorted(buckets)]
