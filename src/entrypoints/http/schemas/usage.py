"""Analytics answers, as JSON or as CSV rows. Costs are decimal strings (exact)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec

from domain.usage_report import BucketStats, GroupStats, UsageStats


class UsageStatsOut(msgspec.Struct):
    requests: int
    attempts: int
    errors: int
    error_rate: float
    cache_hits: int
    cache_hit_rate: float
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    reasoning_tokens: int
    cost_usd: Decimal
    unknown_cost_records: int  # records with no known price: cost_usd leaves them out
    cost_complete: bool
    latency_avg_ms: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None


class GroupOut(msgspec.Struct):
    key: str | None
    stats: UsageStatsOut


class BucketOut(msgspec.Struct):
    start: datetime
    stats: UsageStatsOut


class BreakdownOut(msgspec.Struct):
    group_by: str
    groups: list[GroupOut]


class TimeseriesOut(msgspec.Struct):
    interval: str
    buckets: list[BucketOut]


class TenantUsageOut(msgspec.Struct):
    summary: UsageStatsOut
    by_model: list[GroupOut]


def stats_out(stats: UsageStats) -> UsageStatsOut:
    return UsageStatsOut(**msgspec.structs.asdict(stats))


def group_out(group: GroupStats) -> GroupOut:
    return GroupOut(key=group.key, stats=stats_out(group.stats))


def bucket_out(bucket: BucketStats) -> BucketOut:
    return BucketOut(start=bucket.start, stats=stats_out(bucket.stats))


STATS_COLUMNS = tuple(UsageStatsOut.__struct_fields__)


def to_csv(first_column: str | None, rows: Sequence[tuple[Any, UsageStatsOut]]) -> str:
    """One line per row: the row's key (when `first_column` names it), then every figure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(([first_column] if first_column else []) + list(STATS_COLUMNS))
    for key, stats in rows:
        values = ["" if v is None else str(v) for v in (getattr(stats, c) for c in STATS_COLUMNS)]
        writer.writerow(([_cell(key)] if first_column else []) + values)
    return out.getvalue()


def _cell(key: Any) -> str:
    if isinstance(key, datetime):
        return key.isoformat()
    text = "" if key is None else str(key)
    return "'" + text if text.startswith(FORMULA_STARTS) else text  # a spreadsheet must not run it


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
