"""Schema steps of the accounting migration (0003) that are long enough to read on their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

from adapters.sql.partitions import PARTITION_SCHEMA, month_of, next_month, partition_ddl
from adapters.sql.rollups import rollup_statements
from adapters.sql.usage_rows import record_from_row
from domain.usage_stats import Grain, roll_up

BACKFILL_CHUNK = 10_000
DIMENSIONS = ("tenant_id", "service", "customer_id", "provider", "model")
TOTALS = ("requests", "attempts", "errors", "cache_hits", "unknown_cost")
TOKENS = ("input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens")
ROLLUP_TABLES = ("usage_rollups_hourly", "usage_rollups_customer_daily")
LATENCY_BUCKETS_AT_0003 = 15  # len(LATENCY_BOUNDS_MS) + 1 when this revision was written


def _dimensions() -> list[sa.Column[Any]]:
    return [sa.Column("bucket_start", sa.DateTime(timezone=True), nullable=False)] + [
        sa.Column(name, sa.String(length=255), nullable=False) for name in DIMENSIONS
    ]


def create_rollup_tables(identity: Callable[[], sa.Column[int]]) -> None:
    for table in ROLLUP_TABLES:
        op.create_table(
            table,
            identity(),
            *_dimensions(),
            *(sa.Column(name, sa.Integer(), nullable=False) for name in TOTALS),
            *(sa.Column(name, sa.BigInteger(), nullable=False) for name in TOKENS),
            sa.Column("cost_usd", sa.Numeric(24, 10), nullable=False),
            sa.Column("latency_ms_sum", sa.Float(), nullable=False),
            *(sa.Column(f"latency_{b:02d}", sa.Integer(), nullable=False) for b in range(LATENCY_BUCKETS_AT_0003)),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("bucket_start", *DIMENSIONS, name=op.f(f"uq_{table}_key")),
        )
        op.create_index(op.f(f"ix_{table}_tenant_id_bucket_start"), table, ["tenant_id", "bucket_start"])
    op.create_index(
        op.f("ix_usage_rollups_customer_daily_customer_id"), "usage_rollups_customer_daily", ["customer_id"]
    )


def drop_rollup_tables() -> None:
    for table in ROLLUP_TABLES:
        op.drop_table(table)


_COLUMNS = """request_id, attempt, created_at, tenant_id, requested_model, provider, model, stream, status,
    error_kind, input_tokens, output_tokens, cached_tokens, reasoning_tokens, estimated, latency_ms, ttft_ms,
    service, customer_id, route_rule, cached, cost_usd"""


def _usage_columns() -> list[sa.Column[Any]]:
    text, integer, boolean = sa.Text(), sa.Integer(), sa.Boolean()
    columns: list[tuple[str, Any, bool]] = [
        ("request_id", text, False), ("attempt", integer, False),
        ("created_at", sa.DateTime(timezone=True), False), ("tenant_id", sa.String(length=36), True),
        ("requested_model", text, True), ("provider", text, True), ("model", text, True),
        ("stream", boolean, False), ("status", integer, False), ("error_kind", text, True),
        ("input_tokens", integer, False), ("output_tokens", integer, False), ("cached_tokens", integer, False),
        ("reasoning_tokens", integer, False), ("estimated", boolean, False), ("latency_ms", sa.Float(), False),
        ("ttft_ms", sa.Float(), True), ("service", text, True), ("customer_id", text, True),
        ("route_rule", text, True), ("cost_usd", sa.Numeric(20, 10), True),
    ]  # fmt: skip
    return [
        *(sa.Column(name, kind, nullable=nullable) for name, kind, nullable in columns),
        sa.Column("cached", boolean, nullable=False, server_default=sa.false()),
    ]


def partition_usage_log() -> None:
    """Postgres: move the usage log into a table partitioned by month (created_at joins the keys)."""
    bind = op.get_bind()
    op.execute(f"CREATE SCHEMA IF NOT EXISTS {PARTITION_SCHEMA}")
    op.execute("ALTER TABLE usage_records RENAME TO usage_records_unpartitioned")
    for name in ("pk_usage_records", "uq_usage_records_request_id_attempt"):
        op.execute(f"ALTER TABLE usage_records_unpartitioned RENAME CONSTRAINT {name} TO {name}_old")
    for name in ("ix_usage_records_created_at", "ix_usage_records_tenant_id_created_at"):
        op.execute(f"ALTER INDEX {name} RENAME TO {name}_old")
    op.create_table(
        "usage_records",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False, start=1, increment=1), nullable=False),
        *_usage_columns(),
        sa.PrimaryKeyConstraint("id", "created_at", name="pk_usage_records"),
        sa.UniqueConstraint("request_id", "attempt", "created_at", name="uq_usage_records_request_id_attempt"),
        postgresql_partition_by="RANGE (created_at)",
    )
    op.create_index("ix_usage_records_created_at", "usage_records", ["created_at"])
    op.create_index("ix_usage_records_tenant_id_created_at", "usage_records", ["tenant_id", "created_at"])
    distinct = "SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC') FROM usage_records_unpartitioned"
    months = {month_of(m) for (m,) in bind.execute(sa.text(distinct))}
    now_month = month_of(bind.execute(sa.text("SELECT now()")).scalar_one())
    months |= {now_month, next_month(now_month)}
    for month in sorted(months):
        op.execute(partition_ddl(month))
    op.execute(f"INSERT INTO usage_records ({_COLUMNS}) SELECT {_COLUMNS} FROM usage_records_unpartitioned")  # noqa: S608 (constants)
    op.execute("DROP TABLE usage_records_unpartitioned")


def unpartition_usage_log() -> None:
    op.execute("ALTER TABLE usage_records RENAME TO usage_records_partitioned")
    op.execute(
        """CREATE TABLE usage_records (LIKE usage_records_partitioned INCLUDING DEFAULTS INCLUDING IDENTITY,
            CONSTRAINT pk_usage_records_flat PRIMARY KEY (id))"""
    )
    op.execute(f"INSERT INTO usage_records ({_COLUMNS}) SELECT {_COLUMNS} FROM usage_records_partitioned")  # noqa: S608 (constants)
    op.execute("DROP TABLE usage_records_partitioned CASCADE")
    op.execute(f"DROP SCHEMA IF EXISTS {PARTITION_SCHEMA} CASCADE")
    op.execute("ALTER TABLE usage_records RENAME CONSTRAINT pk_usage_records_flat TO pk_usage_records")
    op.create_unique_constraint("uq_usage_records_request_id_attempt", "usage_records", ["request_id", "attempt"])
    op.create_index("ix_usage_records_created_at", "usage_records", ["created_at"])
    op.create_index("ix_usage_records_tenant_id_created_at", "usage_records", ["tenant_id", "created_at"])


def backfill_rollups(bind: Connection) -> None:
    """Sum what the usage log already holds into the rollups (empty on a fresh install)."""
    table = sa.table("usage_records", *(sa.column(c.strip()) for c in _COLUMNS.split(",")))
    result = bind.execution_options(stream_results=True).execute(sa.select(table))
    while chunk := result.mappings().fetchmany(BACKFILL_CHUNK):
        records = [record_from_row(row) for row in chunk]
        for grain in Grain:
            for statement, rows in rollup_statements(bind.dialect.name, grain, roll_up(records, grain)):
                bind.execute(statement, rows)
