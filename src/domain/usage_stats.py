"""Usage summed into hourly rollups, and the numbers analytics derive from them. Pure."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

import msgspec

from domain.usage import UsageRecord

# Upper bounds (ms) of the latency buckets; one more bucket holds everything slower. Rollups keep one
# count per bucket, so changing these needs a migration.
LATENCY_BOUNDS_MS: tuple[int, ...] = (25, 50, 100, 200, 400, 700, 1000, 1500, 2500, 4000, 7000, 15_000, 30_000, 60_000)
LATENCY_BUCKETS = len(LATENCY_BOUNDS_MS) + 1
DIMENSION_MAX = 255  # longer free-form values (a customer id) are cut to this in rollups


def latency_bucket(latency_ms: float) -> int:
    """The first bucket whose upper bound is >= the latency."""
    return bisect.bisect_left(LATENCY_BOUNDS_MS, latency_ms)


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def day_of(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


class Grain(StrEnum):
    """The two rollups: per hour without the customer (few rows: every summary and breakdown but the
    customer's), and per UTC day with it (customers are many: by-customer and customer filters)."""

    HOURLY = "hourly"
    CUSTOMER_DAILY = "customer_daily"


class RollupKey(msgspec.Struct, frozen=True, kw_only=True, order=True):
    """An hour and the dimensions analytics filter and group on; a missing value is ''."""

    bucket_start: datetime
    tenant_id: str
    service: str
    customer_id: str
    provider: str
    model: str


class UsageTotals(msgspec.Struct, kw_only=True):
    requests: int = 0  # first attempts: one per request
    attempts: int = 0  # every record (fallback attempts included)
    errors: int = 0  # records that ended with a status >= 400
    cache_hits: int = 0
    unknown_cost: int = 0  # records no price was known for: their cost is not in `cost_usd`
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    cost_usd: Decimal = Decimal(0)
    latency_ms_sum: float = 0.0
    latency_counts: list[int] = msgspec.field(default_factory=lambda: [0] * LATENCY_BUCKETS)  # per bucket

    def add(self, record: UsageRecord) -> None:
        self.requests += record.attempt == 1
        self.attempts += 1
        self.errors += record.status >= 400
        self.cache_hits += record.cached
        self.unknown_cost += record.cost_usd is None
        self.input_tokens += record.usage.input_tokens
        self.output_tokens += record.usage.output_tokens
        self.cached_tokens += record.usage.cached_tokens
        self.reasoning_tokens += record.usage.reasoning_tokens
        self.cost_usd += record.cost_usd or 0
        self.latency_ms_sum += record.latency_ms
        self.latency_counts[latency_bucket(record.latency_ms)] += 1

    def merge(self, other: UsageTotals) -> None:
        for name in SUMMED_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.latency_counts = [a + b for a, b in zip(self.latency_counts, other.latency_counts, strict=True)]


SUMMED_FIELDS = tuple(f for f in UsageTotals.__struct_fields__ if f != "latency_counts")


def _dimension(value: str | None) -> str:
    return (value or "")[:DIMENSION_MAX]


def rollup_key(record: UsageRecord, grain: Grain) -> RollupKey:
    hourly = grain is Grain.HOURLY
    return RollupKey(
        bucket_start=hour_of(record.created_at) if hourly else day_of(record.created_at),
        tenant_id=_dimension(record.tenant_id),
        service=_dimension(record.service),
        customer_id="" if hourly else _dimension(record.customer_id),
        provider=_dimension(record.provider),
        model=_dimension(record.model),
    )


def roll_up(records: Iterable[UsageRecord], grain: Grain) -> dict[RollupKey, UsageTotals]:
    """A batch summed per key."""
    totals: dict[RollupKey, UsageTotals] = {}
    for record in records:
        totals.setdefault(rollup_key(record, grain), UsageTotals()).add(record)
    return totals


def percentile_ms(counts: Sequence[int], q: float) -> float | None:
    """The q-quantile (0 < q <= 1) of a latency histogram (a count per bucket), by nearest rank,
    interpolated linearly inside its bucket; a rank in the overflow bucket answers the last bound.
    None when empty."""
    total = sum(counts)
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for bucket, count in enumerate(counts):
        if count and seen + count >= rank:
            if bucket >= len(LATENCY_BOUNDS_MS):
                return float(LATENCY_BOUNDS_MS[-1])
            lower = 0 if bucket == 0 else LATENCY_BOUNDS_MS[bucket - 1]
            upper = LATENCY_BOUNDS_MS[bucket]
            return lower + (upper - lower) * (rank - seen) / count
        seen += count
    return None  # unreachable: the counts add up to total


def step_of(interval: str) -> timedelta:
    if interval == "hour":
        return timedelta(hours=1)
    if interval == "day":
        return timedelta(days=1)
    raise ValueError("interval must be 'hour' or 'day'")
