# ruff: noqa: S608 -- every SQL string here is built from constants of this file
"""Usage analytics over a generated data set: ten million records on Postgres, summaries from rollups.

    .venv/bin/python bench/usage_rollup_bench.py [--records 10000000] [--server-url postgresql+asyncpg://…]

Creates a scratch database on the server (dropped at the end unless --keep), migrates it, fills the
partitioned usage log with SQL (90 days, 20 tenants, 60 services, 5000 customers, 5 providers), builds
the rollups from it once (a backfill, as the migration would), checks that the rollups' totals equal
the log's, writes a few batches through the real writer (rollups kept current per batch), then times
every analytics question through the real reader. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src"), str(Path(__file__).resolve().parents[1])]

import asyncpg  # type: ignore[import-untyped]  # noqa: E402
from tests.support.services import LOCAL_POSTGRES, temporary_database  # noqa: E402

from adapters.sql.analytics import SqlUsageRollupReader  # noqa: E402
from adapters.sql.engine import create_engine, create_session_factory  # noqa: E402
from adapters.sql.migrate import upgrade_to_head_async  # noqa: E402
from adapters.sql.partitions import month_of, next_month, partition_ddl  # noqa: E402
from adapters.sql.rollups import LATENCY_COLUMNS  # noqa: E402
from adapters.sql.usage import SqlUsageRepository  # noqa: E402
from application.analytics.report_usage import ReportUsage  # noqa: E402
from domain.usage import Usage, UsageRecord  # noqa: E402
from domain.usage_report import Dimension, UsageFilter  # noqa: E402
from domain.usage_stats import LATENCY_BOUNDS_MS  # noqa: E402

START = datetime(2026, 6, 1, tzinfo=UTC)
DAYS = 90
CHUNK = 1_000_000
COLUMNS = """request_id, attempt, created_at, tenant_id, requested_model, provider, model, stream, status,
    input_tokens, output_tokens, cached_tokens, reasoning_tokens, estimated, latency_ms, service, customer_id,
    cached, cost_usd"""
# customer c: tenant c % 20, service c % 60 (3 per tenant), provider c % 5, two models per customer
GENERATE = f"""
INSERT INTO usage_records ({COLUMNS})
SELECT 'bench-' || g, 1, $3::timestamptz + (g::float8 / $4) * interval '{DAYS} days',
       'tenant-' || (c % 20), 'alias', 'provider-' || (c % 5), 'model-' || ((c % 5) * 3 + (g % 2) + c % 2),
       g % 3 = 0, CASE WHEN g % 50 = 0 THEN 502 ELSE 200 END,
       500 + g % 1500, 50 + g % 700, (g % 4) * 100, (g % 5) * 10, false, 80 + (g * 7919) % 4000,
       'service-' || (c % 60), 'customer-' || c, g % 20 = 0,
       CASE WHEN g % 97 = 0 THEN NULL ELSE round(((500 + g % 1500) * 0.15 + (50 + g % 700) * 0.6) / 1e6, 10) END
FROM (SELECT g, (g * 2654435761) % 5000 AS c FROM generate_series($1::bigint, $2::bigint) g) s
"""
BUCKET = "CASE " + " ".join(f"WHEN latency_ms <= {b} THEN {i}" for i, b in enumerate(LATENCY_BOUNDS_MS))
BUCKET += f" ELSE {len(LATENCY_BOUNDS_MS)} END"
SUMS = """count(*) FILTER (WHERE attempt = 1), count(*), count(*) FILTER (WHERE status >= 400),
    count(*) FILTER (WHERE cached), count(*) FILTER (WHERE cost_usd IS NULL), sum(input_tokens), sum(output_tokens),
    sum(cached_tokens), sum(reasoning_tokens), coalesce(sum(cost_usd), 0), sum(latency_ms)"""
HISTOGRAM = ", ".join(f"count(*) FILTER (WHERE {BUCKET} = {b})" for b in range(len(LATENCY_COLUMNS)))
TOTALS = """requests, attempts, errors, cache_hits, unknown_cost, input_tokens, output_tokens, cached_tokens,
    reasoning_tokens, cost_usd, latency_ms_sum"""
DIMS = "tenant_id, service, {customer}, provider, model"


def backfill(table: str, bucket: str, customer: str) -> str:
    """What the writer upserts batch by batch, at once over the whole log."""
    names = f"{DIMS.format(customer='customer_id')}, {TOTALS}, {', '.join(LATENCY_COLUMNS)}"
    return (
        f"INSERT INTO usage_rollups_{table} (bucket_start, {names}) "
        f"SELECT date_trunc('{bucket}', created_at), {DIMS.format(customer=customer)}, {SUMS}, {HISTOGRAM} "
        "FROM usage_records GROUP BY 1, 2, 3, 4, 5, 6"
    )


async def timed(label: str, work: Callable[[], Awaitable[Any]], runs: int = 5) -> Any:
    took, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = await work()
        took.append(time.perf_counter() - began)
    print(f"  {label:<46} median {statistics.median(took) * 1000:8.1f} ms   max {max(took) * 1000:8.1f} ms")
    return result


async def fill(conn: asyncpg.Connection, records: int) -> None:
    month = month_of(START)
    while month <= month_of(START + timedelta(days=DAYS)):
        await conn.execute(partition_ddl(month))
        month = next_month(month)
    began = time.perf_counter()
    for lo in range(1, records + 1, CHUNK):
        await conn.execute(GENERATE, lo, min(lo + CHUNK - 1, records), START, float(records))
        print(f"  {min(lo + CHUNK - 1, records):>11,} records  ({time.perf_counter() - began:6.1f} s)", flush=True)
    began = time.perf_counter()
    for statement in (backfill("hourly", "hour", "''"), backfill("customer_daily", "day", "customer_id")):
        await conn.execute(statement)
    await conn.execute("VACUUM ANALYZE")
    print(f"  rollups built from the log in {time.perf_counter() - began:.1f} s")
    for table in ("usage_records", "usage_rollups_hourly", "usage_rollups_customer_daily"):
        print(f"  {table:<30} {await conn.fetchval(f'SELECT count(*) FROM {table}'):>12,} rows")


async def run(server_url: str, records: int, keep: bool) -> None:
    async with temporary_database(server_url) as url:
        await upgrade_to_head_async(url)
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
        print(f"generating {records:,} usage records")
        await fill(conn, records)
        engine = create_engine(url)
        sessions = create_session_factory(engine)
        report = ReportUsage(SqlUsageRollupReader(sessions))
        print("rollups agree with the log:")
        raw = await timed(
            "summary from the raw log (for comparison)", lambda: conn.fetchrow(f"SELECT {SUMS} FROM usage_records"), 1
        )
        summary = await report.summary(UsageFilter())
        assert (summary.attempts, summary.cost_usd) == (raw[1], Decimal(raw[9])), (summary, raw)
        print(f"  {summary.attempts:,} attempts, ${summary.cost_usd} (log and rollups equal)")
        await writer_batches(sessions)
        await questions(report)
        await engine.dispose()
        await conn.close()
        if keep:
            print(f"kept {url}")
            await asyncio.Event().wait()


def live_batch(n: int) -> list[UsageRecord]:
    at = START + timedelta(days=DAYS - 1)
    return [
        UsageRecord(request_id=f"live-{n}-{i}", created_at=at, tenant_id=f"tenant-{i % 20}", requested_model="alias",
                    service=f"service-{i % 60}", customer_id=f"customer-{i}", provider=f"provider-{i % 5}",
                    model=f"model-{i % 15}", usage=Usage(input_tokens=900, output_tokens=300),
                    cost_usd=Decimal("0.000315"), latency_ms=420.0)
        for i in range(500)
    ]  # fmt: skip


async def writer_batches(sessions: Any) -> None:
    repository = SqlUsageRepository(sessions)
    counter = iter(range(10**6))
    print("the writer: batches of 500 records, rollups upserted in the same transaction")
    await timed("one batch of 500 (insert + 2 rollups)", lambda: repository.add_many(live_batch(next(counter))), 10)


async def questions(report: ReportUsage) -> None:
    week = UsageFilter(start=START + timedelta(days=DAYS - 7), end=START + timedelta(days=DAYS))
    print("analytics over the whole data set (through the gateway's reader):")
    await timed("summary, everything", lambda: report.summary(UsageFilter()))
    await timed("summary, one tenant", lambda: report.summary(UsageFilter(tenant_id="tenant-7")))
    await timed("summary, last 7 days", lambda: report.summary(week))
    await timed("summary, one customer", lambda: report.summary(UsageFilter(customer_id="customer-42")))
    for by in (Dimension.PROVIDER, Dimension.MODEL, Dimension.SERVICE, Dimension.TENANT, Dimension.CUSTOMER):
        await timed(f"by {by.value}, everything", functools.partial(report.breakdown, UsageFilter(), by))
    await timed(
        "by customer, one tenant", lambda: report.breakdown(UsageFilter(tenant_id="tenant-7"), Dimension.CUSTOMER)
    )
    await timed("timeseries by day, everything", lambda: report.timeseries(UsageFilter(), "day"))
    await timed("timeseries by hour, last 7 days", lambda: report.timeseries(week, "hour"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--server-url", default=LOCAL_POSTGRES, help="a database on which others can be created")
    parser.add_argument("--keep", action="store_true", help="keep the database (waits until interrupted)")
    args = parser.parse_args()
    asyncio.run(run(args.server_url, args.records, args.keep))


if __name__ == "__main__":
    main()
