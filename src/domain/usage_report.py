"""The figures analytics answer with, derived from rolled-up totals and latency histograms. Pure."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import msgspec

from domain.usage_stats import UsageTotals, percentile_ms


class Dimension(StrEnum):
    """What a breakdown groups by: a rollup column."""

    TENANT = "tenant_id"
    SERVICE = "service"
    CUSTOMER = "customer_id"
    PROVIDER = "provider"
    MODEL = "model"


class UsageFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Every field narrows; None leaves it open. The range is taken by whole hours: `start` is
    rounded down to its hour and an hour is included when it starts before `end`."""

    start: datetime | None = None
    end: datetime | None = None
    tenant_id: str | None = None
    service: str | None = None
    customer_id: str | None = None
    provider: str | None = None
    model: str | None = None


class UsageStats(msgspec.Struct, frozen=True, kw_only=True):
    requests: int
    attempts: int
    errors: int
    error_rate: float  # errors / attempts
    cache_hits: int
    cache_hit_rate: float  # cache hits / requests
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    reasoning_tokens: int
    cost_usd: Decimal  # priced records only
    unknown_cost_records: int  # records with no price: their cost is missing from cost_usd
    cost_complete: bool
    latency_avg_ms: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def stats_of(totals: UsageTotals) -> UsageStats:
    return UsageStats(
        requests=totals.requests,
        attempts=totals.attempts,
        errors=totals.errors,
        error_rate=_rate(totals.errors, totals.attempts),
        cache_hits=totals.cache_hits,
        cache_hit_rate=_rate(totals.cache_hits, totals.requests),
        input_tokens=totals.input_tokens,
        output_tokens=totals.output_tokens,
        cached_tokens=totals.cached_tokens,
        reasoning_tokens=totals.reasoning_tokens,
        cost_usd=totals.cost_usd,
        unknown_cost_records=totals.unknown_cost,
        cost_complete=totals.unknown_cost == 0,
        latency_avg_ms=totals.latency_ms_sum / totals.attempts if totals.attempts else None,
        latency_p50_ms=percentile_ms(totals.latency_counts, 0.50),
        latency_p95_ms=percentile_ms(totals.latency_counts, 0.95),
    )


class GroupStats(msgspec.Struct, frozen=True, kw_only=True):
    key: str | None  # the group's value (None: the record had none)
    stats: UsageStats


class BucketStats(msgspec.Struct, frozen=True, kw_only=True):
    start: datetime
    stats: UsageStats
