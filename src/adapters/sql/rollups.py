"""Rollups upserted in the transaction that inserts a batch: summaries read these, not the log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sql.models import ROLLUP_DIMENSIONS, UsageCustomerRollupRow, UsageRollupRow
from domain.usage_stats import LATENCY_BUCKETS, SUMMED_FIELDS, Grain, RollupKey, UsageTotals

TABLES: dict[Grain, Table] = {
    Grain.HOURLY: cast("Table", UsageRollupRow.__table__),
    Grain.CUSTOMER_DAILY: cast("Table", UsageCustomerRollupRow.__table__),
}
LATENCY_COLUMNS = tuple(f"latency_{bucket:02d}" for bucket in range(LATENCY_BUCKETS))
SUMMED = (*SUMMED_FIELDS, *LATENCY_COLUMNS)
assert all(name in TABLES[Grain.HOURLY].c for name in SUMMED), "rollup columns and domain buckets disagree"


def _insert(dialect: str, table: Table) -> Any:
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"usage rollups on {dialect!r}")


def _adding(dialect: str, table: Table) -> Insert:
    """INSERT … ON CONFLICT (the dimensions) DO UPDATE SET each summed column to its sum."""
    statement = _insert(dialect, table)
    return cast(
        "Insert",
        statement.on_conflict_do_update(
            index_elements=list(ROLLUP_DIMENSIONS),
            set_={name: table.c[name] + statement.excluded[name] for name in SUMMED},
        ),
    )


def rollup_row(key: RollupKey, totals: UsageTotals) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(key, name) for name in ROLLUP_DIMENSIONS}
    row.update((name, getattr(totals, name)) for name in SUMMED_FIELDS)
    row.update(zip(LATENCY_COLUMNS, totals.latency_counts, strict=True))
    return row


def totals_of(row: Mapping[Any, Any]) -> UsageTotals:
    """Summed columns back into totals (SUM of a BIGINT is NUMERIC on Postgres: ints again)."""
    values: dict[str, Any] = {name: int(row[name] or 0) for name in SUMMED_FIELDS}
    values["cost_usd"] = row["cost_usd"] or 0
    values["latency_ms_sum"] = float(row["latency_ms_sum"] or 0)
    return UsageTotals(**values, latency_counts=[int(row[name] or 0) for name in LATENCY_COLUMNS])


def rollup_statements(
    dialect: str, grain: Grain, totals: Mapping[RollupKey, UsageTotals]
) -> Iterator[tuple[Insert, list[dict[str, Any]]]]:
    """Rows in key order, so concurrent writers lock them in the same order and cannot deadlock."""
    if totals:
        yield _adding(dialect, TABLES[grain]), [rollup_row(key, totals[key]) for key in sorted(totals)]
