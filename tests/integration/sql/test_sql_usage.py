from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from tests.integration.sql import factories as make

from adapters.sql.models import UsageRecordRow
from adapters.sql.usage import SqlUsageRepository
from domain.usage import Usage, UsageRecord

pytestmark = pytest.mark.integration


async def stored(engine: AsyncEngine) -> list[UsageRecord]:
    """Rows read back with plain SQL: the port has no read method."""
    table = UsageRecordRow.__table__
    async with engine.connect() as connection:
        rows = (await connection.execute(select(table).order_by(table.c.id))).mappings().all()
    return [
        UsageRecord(
            request_id=row["request_id"],
            attempt=row["attempt"],
            created_at=row["created_at"],
            tenant_id=row["tenant_id"],
            requested_model=row["requested_model"],
            provider=row["provider"],
            model=row["model"],
            stream=row["stream"],
            status=row["status"],
            error_kind=row["error_kind"],
            usage=Usage(
                input_tokens=row["input_tokens"],
                output_tokens=row["output_tokens"],
                cached_tokens=row["cached_tokens"],
                reasoning_tokens=row["reasoning_tokens"],
                estimated=row["estimated"],
            ),
            latency_ms=row["latency_ms"],
            ttft_ms=row["ttft_ms"],
        )
        for row in rows
    ]


async def test_add_many_stores_every_field(usage: SqlUsageRepository, engine: AsyncEngine) -> None:
    full = make.usage_record(
        "req-1",
        attempt=2,
        stream=True,
        status=429,
        error_kind="rate_limited",
        usage=Usage(input_tokens=100, output_tokens=50, cached_tokens=40, reasoning_tokens=10, estimated=True),
        latency_ms=123.5,
        ttft_ms=45.25,
    )
    bare = make.usage_record("req-0", tenant_id=None, requested_model=None, provider=None, model=None, status=401)

    await usage.add_many([full, bare])

    assert sorted(await stored(engine), key=lambda r: r.request_id) == [bare, full]


async def test_add_many_skips_duplicates_within_and_across_batches(
    usage: SqlUsageRepository, engine: AsyncEngine
) -> None:
    first = make.usage_record("req-1", latency_ms=1.0)
    await usage.add_many([first, make.usage_record("req-1", latency_ms=2.0), make.usage_record("req-1", 2)])

    await usage.add_many([make.usage_record("req-1", latency_ms=3.0), make.usage_record("req-2")])

    rows = await stored(engine)
    assert sorted((r.request_id, r.attempt) for r in rows) == [("req-1", 1), ("req-1", 2), ("req-2", 1)]
    assert next(r for r in rows if (r.request_id, r.attempt) == ("req-1", 1)) == first


async def test_add_many_does_nothing_when_batch_empty(usage: SqlUsageRepository, engine: AsyncEngine) -> None:
    await usage.add_many([])

    assert await stored(engine) == []


async def test_concurrent_batches_land_every_row_exactly_once(usage: SqlUsageRepository, engine: AsyncEngine) -> None:
    # batch i holds requests 5i..5i+9, so each overlaps its neighbours, in shuffled order
    batches = [
        [make.usage_record(f"req-{n:04d}") for n in sorted(range(5 * i, 5 * i + 10), key=lambda n: -n * i)]
        for i in range(20)
    ]

    await asyncio.gather(*(usage.add_many(batch) for batch in batches))

    counts = Counter(r.request_id for r in await stored(engine))
    assert set(counts) == {f"req-{n:04d}" for n in range(105)}
    assert set(counts.values()) == {1}
