"""Usage records say for whom and how: service, customer, routing rule, cache hit, cost.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("usage_records") as batch:
        batch.add_column(sa.Column("service", sa.Text(), nullable=True))
        batch.add_column(sa.Column("customer_id", sa.Text(), nullable=True))
        batch.add_column(sa.Column("route_rule", sa.Text(), nullable=True))
        batch.add_column(sa.Column("cached", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("cost_usd", sa.Numeric(20, 10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("usage_records") as batch:
        for column in ("cost_usd", "cached", "route_rule", "customer_id", "service"):
            batch.drop_column(column)
