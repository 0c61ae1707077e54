"""Analytics read the rollups, never the log: the hourly one unless a customer is asked about (filter
or breakdown), then the customer-daily one. A summary over months touches thousands of rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.rollups import SUMMED, TABLES, totals_of
from application.ports.analytics import RolledGroup, UsageRollupReader
from domain.usage_report import Dimension, UsageFilter
from domain.usage_stats import Grain, day_of, hour_of

_EQUALS = ("tenant_id", "service", "customer_id", "provider", "model")


def grain_for(where: UsageFilter, by: Dimension | None) -> Grain:
    return Grain.CUSTOMER_DAILY if where.customer_id is not None or by is Dimension.CUSTOMER else Grain.HOURLY


def _conditions(table: Table, where: UsageFilter, grain: Grain) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.start is not None:
        start = hour_of(where.start) if grain is Grain.HOURLY else day_of(where.start)
        conditions.append(table.c.bucket_start >= start)
    if where.end is not None:
        conditions.append(table.c.bucket_start < where.end)
    for name in _EQUALS:
        value = getattr(where, name)
        if value is not None:
            conditions.append(table.c[name] == value)
    return conditions


def _label(key: object) -> str | None:
    """Rollups store a missing dimension as ''."""
    return None if key is None or isinstance(key, datetime) else (str(key) or None)


class SqlUsageRollupReader(UsageRollupReader):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def grouped(self, where: UsageFilter, by: Dimension | None) -> list[RolledGroup]:
        groups = await self._read(where, grain_for(where, by), [] if by is None else [by.value])
        return list(groups.values())

    async def hourly(self, where: UsageFilter) -> dict[datetime, RolledGroup]:
        """With a customer filter the finest bucket is a day (the customer rollup is daily)."""
        groups = await self._read(where, grain_for(where, None), ["bucket_start"])
        return {key: group for key, group in groups.items() if isinstance(key, datetime)}

    async def _read(self, where: UsageFilter, grain: Grain, by: Sequence[str]) -> dict[object, RolledGroup]:
        table = TABLES[grain]
        keys = [table.c[name] for name in by]
        sums = [func.sum(table.c[name]).label(name) for name in SUMMED]
        query = select(*keys, *sums).where(*_conditions(table, where, grain)).group_by(*keys)
        groups: dict[object, RolledGroup] = {}
        async with self._sessions() as session:
            for row in (await session.execute(query)).mappings():
                key = row[by[0]] if by else None
                if row["attempts"]:
                    groups[key] = RolledGroup(key=_label(key), totals=totals_of(row))
        return groups
