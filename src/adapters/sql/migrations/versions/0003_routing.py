"""Customer routing overrides (`service`/`model` '' means any).

Revision ID: 0003_routing
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_routing"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "routing_overrides",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("customer_id", sa.String(255), nullable=False),
        sa.Column("service", sa.String(255), nullable=False),
        sa.Column("model", sa.String(255), nullable=False),
        sa.Column("alias", sa.String(255), nullable=True),
        sa.Column("target", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_overrides")),
        sa.UniqueConstraint("customer_id", "service", "model", name="uq_routing_overrides_customer_id_service_model"),
    )
    op.create_index("ix_routing_overrides_customer_id", "routing_overrides", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_routing_overrides_customer_id", table_name="routing_overrides")
    op.drop_table("routing_overrides")
