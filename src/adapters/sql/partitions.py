"""Monthly partitions of the usage log on Postgres (SQLite keeps one plain table).

Partitions live in their own schema, so the public schema holds only what the models declare. The
writer creates the partition of a month the first time a batch reaches it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

PARTITION_SCHEMA = "usage_partitions"
PARENT = "public.usage_records"


def month_of(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_ddl(month: date) -> str:
    """Idempotent: creates the partition holding [month, next month) when it is missing."""
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    end = datetime.combine(next_month(month), datetime.min.time(), tzinfo=UTC)
    name = f"{PARTITION_SCHEMA}.usage_records_{month:%Y_%m}"
    return (
        f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {PARENT} "
        f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
    )


class MonthlyPartitions:
    """Remembers which months exist, so a batch costs no DDL after the first of its month."""

    def __init__(self) -> None:
        self._known: set[date] = set()

    async def ensure(self, connection: AsyncConnection, moments: Iterable[datetime]) -> None:
        for month in sorted({month_of(m) for m in moments} - self._known):
            try:
                async with connection.begin_nested():
                    await connection.execute(text(partition_ddl(month)))
            except DBAPIError as exc:  # another writer created it at the same moment
                if "already exists" not in str(exc.orig):
                    raise
            self._known.add(month)
