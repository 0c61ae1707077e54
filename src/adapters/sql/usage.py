"""The usage log: batches inserted in one statement, duplicates skipped, rollups kept current in the
same transaction (only rows really inserted are rolled up, so a retried batch is not counted twice)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.models import UsageRecordRow
from adapters.sql.partitions import MonthlyPartitions
from adapters.sql.rollups import rollup_statements
from adapters.sql.usage_rows import row_of
from application.ports.usage import UsageRepository
from domain.usage import UsageRecord
from domain.usage_stats import Grain, roll_up

_TABLE = cast("Table", UsageRecordRow.__table__)
_KEY = ("request_id", "attempt", "created_at")


def _insert_ignoring_duplicates(dialect: str) -> Insert:
    if dialect == "postgresql":
        statement: Insert = postgresql.insert(_TABLE).on_conflict_do_nothing(index_elements=_KEY)
    elif dialect == "sqlite":
        statement = sqlite.insert(_TABLE).on_conflict_do_nothing(index_elements=_KEY)
    else:
        raise NotImplementedError(f"usage records on {dialect!r}")
    return statement.returning(_TABLE.c.request_id, _TABLE.c.attempt)


class SqlUsageRepository(UsageRepository):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._partitions = MonthlyPartitions()

    async def add_many(self, records: Sequence[UsageRecord]) -> None:
        """Rows go in key order, so concurrent batches lock the same keys in the same order and
        cannot deadlock on Postgres; a key repeated within the batch is sent once."""
        unique = {(r.request_id, r.attempt): r for r in reversed(records)}  # the first of a key wins
        if not unique:
            return
        rows = [row_of(unique[key]) for key in sorted(unique)]
        async with self._sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            if dialect == "postgresql":
                await self._partitions.ensure(await session.connection(), (r.created_at for r in unique.values()))
            result = await session.execute(_insert_ignoring_duplicates(dialect), rows)
            inserted = [unique[request_id, attempt] for request_id, attempt in result.all()]
            for grain in Grain:
                for statement, rollup_rows in rollup_statements(dialect, grain, roll_up(inserted, grain)):
                    await session.execute(statement, rollup_rows)
