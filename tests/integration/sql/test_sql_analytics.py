"""The rollups written with each batch answer the same figures as the records, on Postgres and SQLite."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.sql.analytics import SqlUsageRollupReader
from adapters.sql.usage import SqlUsageRepository
from application.analytics.report_usage import ReportUsage
from domain.usage import Usage, UsageRecord
from domain.usage_report import Dimension, UsageFilter

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # the next hour is in another month: another partition


@pytest_asyncio.fixture
async def report(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[ReportUsage]:
    async with engine.begin() as connection:  # the shared fixture empties the log, not the rollups
        for table in ("usage_rollups_hourly", "usage_rollups_customer_daily"):
            await connection.execute(text(f"DELETE FROM {table}"))
    yield ReportUsage(SqlUsageRollupReader(sessions))


def record(request_id: str, attempt: int = 1, **changes: object) -> UsageRecord:
    fields: dict[str, object] = {
        "created_at": T0,
        "tenant_id": "t1",
        "requested_model": "fast",
        "service": "billing",
        "provider": "main",
        "model": "gpt-4o-mini",
        "usage": Usage(input_tokens=1000, cached_tokens=200, output_tokens=500, reasoning_tokens=50),
        "cost_usd": Decimal("0.000435"),
        "latency_ms": 100.0,
    } | changes
    return UsageRecord(request_id=request_id, attempt=attempt, **fields)  # type: ignore[arg-type]


BATCH = [
    record("a", customer_id="c1"),
    record("b", customer_id="c2", status=503, usage=Usage(), cost_usd=Decimal(0), latency_ms=20.0),
    record("b", 2, customer_id="c2", provider="backup", model="gpt-4.1", cost_usd=Decimal("0.0123456789")),
    record("c", cached=True, provider=None, model=None, cost_usd=Decimal(0), usage=Usage(), latency_ms=1.0),
    record("d", model="no-price", cost_usd=None, created_at=T0 + timedelta(hours=1)),
    record("e", tenant_id="t2", service="other", cost_usd=Decimal(7)),
]


async def test_summary_and_breakdowns_match_hand_computed_figures(
    usage: SqlUsageRepository, report: ReportUsage
) -> None:
    await usage.add_many(BATCH[:3])
    await usage.add_many(BATCH[2:])  # a retried overlap: counted once

    stats = await report.summary(UsageFilter(tenant_id="t1"))
    assert (stats.requests, stats.attempts, stats.errors, stats.cache_hits) == (4, 5, 1, 1)
    assert stats.cost_usd == Decimal("0.000435") + Decimal("0.0123456789")
    assert (stats.unknown_cost_records, stats.cost_complete) == (1, False)
    assert (stats.input_tokens, stats.cached_tokens, stats.output_tokens) == (3000, 600, 1500)
    # latencies 100, 20, 100, 1, 100 -> buckets [0, 25]: 1, 20; (50, 100]: 100 x3
    # p50: rank 3 -> the 1st of 3 in (50, 100] -> 50 + 50/3; p95: rank 5 -> the 3rd of 3 -> 100
    assert stats.latency_p50_ms == pytest.approx(50 + 50 / 3)
    assert stats.latency_p95_ms == 100.0

    by_customer = await report.breakdown(UsageFilter(tenant_id="t1"), Dimension.CUSTOMER)
    assert [(g.key, g.stats.attempts, g.stats.cost_usd) for g in by_customer] == [
        ("c2", 2, Decimal("0.0123456789")),
        ("c1", 1, Decimal("0.000435")),
        (None, 2, Decimal(0)),
    ]
    by_service = await report.breakdown(UsageFilter(), Dimension.SERVICE)
    assert [(g.key, g.stats.attempts) for g in by_service] == [("other", 1), ("billing", 5)]


async def test_filters_and_timeseries(usage: SqlUsageRepository, report: ReportUsage) -> None:
    await usage.add_many(BATCH)

    only_backup = await report.summary(UsageFilter(provider="backup", model="gpt-4.1", customer_id="c2"))
    assert (only_backup.attempts, only_backup.cost_usd) == (1, Decimal("0.0123456789"))
    december = await report.summary(UsageFilter(start=T0 + timedelta(minutes=45), end=T0 + timedelta(hours=2)))
    assert (december.attempts, december.unknown_cost_records) == (1, 1)  # the range is taken by whole hours
    hours = await report.timeseries(UsageFilter(service="billing"), "hour")
    assert [(b.start, b.stats.attempts) for b in hours] == [
        (datetime(2026, 11, 30, 23, tzinfo=UTC), 4),
        (datetime(2026, 12, 1, 0, tzinfo=UTC), 1),
    ]
    days = await report.timeseries(UsageFilter(), "day")
    assert [(b.start.date().isoformat(), b.stats.attempts) for b in days] == [("2026-11-30", 5), ("2026-12-01", 1)]


async def test_postgres_keeps_each_month_in_its_own_partition(usage: SqlUsageRepository, engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps one plain table")
    await usage.add_many([record("p1"), record("p2", created_at=datetime(2031, 5, 3, tzinfo=UTC))])
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT tableoid::regclass::text, request_id FROM usage_records ORDER BY request_id")
        )
        placed = rows.all()
    assert placed == [
        ("usage_partitions.usage_records_2026_11", "p1"),
        ("usage_partitions.usage_records_2031_05", "p2"),
    ]
