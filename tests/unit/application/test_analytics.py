from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from application.analytics.report_usage import ReportUsage
from application.ports.analytics import RolledGroup, UsageRollupReader
from domain.usage import Usage, UsageRecord
from domain.usage_report import Dimension, UsageFilter
from domain.usage_stats import (
    LATENCY_BOUNDS_MS,
    LATENCY_BUCKETS,
    Grain,
    latency_bucket,
    percentile_ms,
    roll_up,
    rollup_key,
)

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 22, 10, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("latency", "bucket"), [(0.0, 0), (25.0, 0), (25.5, 1), (1000.0, 6), (60_000.0, 13), (10**9, 14)]
)
def test_latency_buckets_are_closed_above(latency: float, bucket: int) -> None:
    assert latency_bucket(latency) == bucket


def histogram(counts: dict[int, int]) -> list[int]:
    return [counts.get(bucket, 0) for bucket in range(LATENCY_BUCKETS)]


@pytest.mark.parametrize(
    ("counts", "q", "expected"),
    [
        ({}, 0.5, None),
        # 4 records in (100, 200]: rank 2 of 4 -> 100 + 100 * 2/4
        ({3: 4}, 0.5, 150.0),
        # 10 in [0, 25], 10 in (25, 50]: p50 rank 10 -> 25.0; p95 rank 19 -> 25 + 25 * 9/10
        ({0: 10, 1: 10}, 0.5, 25.0),
        ({0: 10, 1: 10}, 0.95, 47.5),
        ({len(LATENCY_BOUNDS_MS): 3}, 0.5, 60_000.0),  # slower than every bound: the last bound
    ],
)
def test_percentiles_from_a_histogram(counts: dict[int, int], q: float, expected: float | None) -> None:
    assert percentile_ms(histogram(counts), q) == expected


def record(request_id: str, attempt: int = 1, **changes: object) -> UsageRecord:
    fields: dict[str, object] = {
        "created_at": T0,
        "tenant_id": "t1",
        "requested_model": "fast",
        "provider": "main",
        "model": "gpt-4o-mini",
        "usage": Usage(input_tokens=100, output_tokens=10),
        "cost_usd": Decimal("0.001"),
        "latency_ms": 100.0,
    } | changes
    return UsageRecord(request_id=request_id, attempt=attempt, **fields)  # type: ignore[arg-type]


class MemoryRollups(UsageRollupReader):
    """Rolls records up with the domain's own function, so the report is checked end to end in memory."""

    def __init__(self, records: list[UsageRecord]) -> None:
        self.days = roll_up(records, Grain.CUSTOMER_DAILY)
        self.hours = roll_up(records, Grain.HOURLY)

    async def grouped(self, where: UsageFilter, by: Dimension | None) -> list[RolledGroup]:
        groups: dict[str | None, RolledGroup] = {}
        for key, totals in self.days.items():
            if where.tenant_id is None or key.tenant_id == where.tenant_id:
                value = (getattr(key, by.value) or None) if by else None
                groups.setdefault(value, RolledGroup(key=value)).totals.merge(totals)
        return list(groups.values())

    async def hourly(self, where: UsageFilter) -> dict[datetime, RolledGroup]:
        out: dict[datetime, RolledGroup] = {}
        for key, totals in self.hours.items():
            out.setdefault(key.bucket_start, RolledGroup()).totals.merge(totals)
        return out


RECORDS = [
    record("a"),
    record("b", latency_ms=20.0, customer_id="c1"),
    record("c", status=503, usage=Usage(), cost_usd=Decimal(0), latency_ms=5.0),  # failed first attempt
    record("c", 2, model="gpt-4.1", cost_usd=Decimal("0.004"), latency_ms=900.0),  # its fallback
    record("d", cached=True, provider=None, model=None, cost_usd=Decimal(0), latency_ms=1.0),
    record("e", model="no-price", cost_usd=None, created_at=T0 + timedelta(hours=1)),
    record("f", tenant_id="t2", cost_usd=Decimal("5")),  # another tenant
]


async def test_summary_matches_hand_computed_figures() -> None:
    stats = await ReportUsage(MemoryRollups(RECORDS)).summary(UsageFilter(tenant_id="t1"))

    assert (stats.requests, stats.attempts, stats.errors, stats.cache_hits) == (5, 6, 1, 1)
    assert (stats.error_rate, stats.cache_hit_rate) == (1 / 6, 1 / 5)
    assert stats.cost_usd == Decimal("0.001") * 2 + Decimal("0.004")
    assert (stats.unknown_cost_records, stats.cost_complete) == (1, False)
    assert (stats.input_tokens, stats.output_tokens) == (500, 50)  # 5 records of 100/10 (c's first had none)
    # latencies 100, 20, 5, 900, 1, 100: buckets [0, 25]: 20, 5, 1; (50, 100]: 100 x2; (700, 1000]: 900
    # p50 = rank 3 -> the 3rd of 3 in [0, 25] -> 25.0; p95 = rank 6 -> (700, 1000], its only record -> 1000.0
    assert (stats.latency_p50_ms, stats.latency_p95_ms) == (25.0, 1000.0)
    assert stats.latency_avg_ms == pytest.approx((100 + 20 + 5 + 900 + 1 + 100) / 6)


async def test_breakdowns_put_the_most_expensive_first() -> None:
    by_model = await ReportUsage(MemoryRollups(RECORDS)).breakdown(UsageFilter(tenant_id="t1"), Dimension.MODEL)
    assert [(g.key, g.stats.attempts, g.stats.cost_usd) for g in by_model] == [
        ("gpt-4.1", 1, Decimal("0.004")),
        ("gpt-4o-mini", 3, Decimal("0.002")),
        (None, 1, Decimal(0)),
        ("no-price", 1, Decimal(0)),
    ]


async def test_timeseries_by_hour_and_by_day() -> None:
    report = ReportUsage(MemoryRollups(RECORDS))
    hours = await report.timeseries(UsageFilter(), "hour")
    days = await report.timeseries(UsageFilter(), "day")
    assert [(b.start, b.stats.attempts) for b in hours] == [
        (T0.replace(minute=0), 6),
        (T0.replace(minute=0, hour=11), 1),
    ]
    assert [(b.start, b.stats.attempts) for b in days] == [(datetime(2026, 11, 22, tzinfo=UTC), 7)]


def test_rollup_keys_cut_long_values_and_map_none_to_empty() -> None:
    key = rollup_key(record("x", customer_id="c" * 1000, service=None), Grain.CUSTOMER_DAILY)
    assert (len(key.customer_id), key.service, key.bucket_start) == (255, "", T0.replace(hour=0, minute=0))


def test_the_hourly_rollup_leaves_the_customer_out() -> None:
    key = rollup_key(record("x", customer_id="c1"), Grain.HOURLY)
    assert (key.customer_id, key.bucket_start) == ("", T0.replace(minute=0))
