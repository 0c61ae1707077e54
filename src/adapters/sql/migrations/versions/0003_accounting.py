"""Accounting: the price table (seeded with list prices), hourly usage rollups, and on Postgres the
usage log partitioned by month.

Revision ID: 0003_accounting
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from adapters.sql.usage_schema import (
    backfill_rollups,
    create_rollup_tables,
    drop_rollup_tables,
    partition_usage_log,
    unpartition_usage_log,
)
from domain.price_list import LIST_PRICES

revision: str = "0003_accounting"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRICE = sa.Numeric(20, 10)


def _identity() -> sa.Column[int]:
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    return sa.Column("id", big, sa.Identity(always=False, start=1, increment=1), nullable=False)


def upgrade() -> None:
    prices = op.create_table(
        "model_prices",
        _identity(),
        sa.Column("provider", sa.String(length=255), nullable=False),
        sa.Column("model", sa.String(length=255), nullable=False),
        sa.Column("input_per_mtok", PRICE, nullable=False),
        sa.Column("output_per_mtok", PRICE, nullable=False),
        sa.Column("cached_input_per_mtok", PRICE, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_prices")),
        sa.UniqueConstraint("provider", "model", name=op.f("uq_model_prices_provider_model")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        prices,
        [
            {
                "provider": e.key.provider,
                "model": e.key.model,
                "input_per_mtok": e.price.input_per_mtok,
                "output_per_mtok": e.price.output_per_mtok,
                "cached_input_per_mtok": e.price.cached_input_per_mtok,
                "updated_at": now,
            }
            for e in LIST_PRICES
        ],
    )
    create_rollup_tables(_identity)
    if op.get_bind().dialect.name == "postgresql":
        partition_usage_log()
    else:
        with op.batch_alter_table("usage_records") as batch:
            batch.drop_constraint("uq_usage_records_request_id_attempt", type_="unique")
            batch.create_unique_constraint(
                "uq_usage_records_request_id_attempt", ["request_id", "attempt", "created_at"]
            )
    backfill_rollups(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        unpartition_usage_log()
    else:
        with op.batch_alter_table("usage_records") as batch:
            batch.drop_constraint("uq_usage_records_request_id_attempt", type_="unique")
            batch.create_unique_constraint("uq_usage_records_request_id_attempt", ["request_id", "attempt"])
    drop_rollup_tables()
    op.drop_table("model_prices")
