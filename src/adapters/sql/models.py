"""Tables of the gateway. ORM classes stay inside `adapters.sql`: repositories return domain Structs.

Ids are the domain's strings (uuid4 text from `IdFactory`), stored as `String(36)`. Constraint names are
explicit: repositories turn an IntegrityError into a domain error by constraint name (`errors.py`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from advanced_alchemy.base import DefaultBase, IdentityBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

ID = String(36)
NAME = String(255)
# AA's JsonB breaks on SQLAlchemy 2.1 (util.portable_instancemethod is gone): the same type, by hand.
JSON_DOC = JSON().with_variant(JSONB(), "postgresql")

UQ_TENANTS_NAME = "uq_tenants_name"
UQ_API_KEYS_KEY_HASH = "uq_api_keys_key_hash"
FK_API_KEYS_TENANT = "fk_api_keys_tenant_id_tenants"
UQ_PROVIDERS_NAME = "uq_providers_name"
UQ_ROUTES_ALIAS = "uq_routes_alias"
UQ_USAGE_REQUEST_ATTEMPT = "uq_usage_records_request_id_attempt"

REVISION_ROW_ID = 1


class TenantRow(DefaultBase):
    __tablename__ = "tenants"
    __table_args__ = (UniqueConstraint("name", name=UQ_TENANTS_NAME),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    allowed_models: Mapped[list[str]] = mapped_column(JSON_DOC, default=list)


class ApiKeyRow(DefaultBase):
    """A tenant key: only its SHA-256 hex digest, never the key."""

    __tablename__ = "api_keys"
    __table_args__ = (
        UniqueConstraint("key_hash", name=UQ_API_KEYS_KEY_HASH),  # the unique index serves lookups
        Index("ix_api_keys_tenant_id", "tenant_id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ID, ForeignKey("tenants.id", ondelete="CASCADE", name=FK_API_KEYS_TENANT))
    key_hash: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(NAME)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)


class ProviderRow(DefaultBase):
    """A vendor account; the vendor key is stored only as `SecretBox` ciphertext."""

    __tablename__ = "providers"
    __table_args__ = (UniqueConstraint("name", name=UQ_PROVIDERS_NAME),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    kind: Mapped[str] = mapped_column(String(32))
    base_url: Mapped[str | None] = mapped_column(Text)
    api_key_ciphertext: Mapped[str | None] = mapped_column(Text)
    models: Mapped[list[str]] = mapped_column(JSON_DOC, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    timeout_s: Mapped[float] = mapped_column(Float, default=60.0)
    extra_headers: Mapped[dict[str, str]] = mapped_column(JSON_DOC, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC)


class RouteRow(DefaultBase):
    __tablename__ = "routes"
    __table_args__ = (UniqueConstraint("alias", name=UQ_ROUTES_ALIAS),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    alias: Mapped[str] = mapped_column(NAME)
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSON_DOC)  # [{"provider": ..., "model": ...}]
    description: Mapped[str | None] = mapped_column(Text)


class CatalogRevisionRow(DefaultBase):
    """One row; its counter moves in the same transaction as every catalog write."""

    __tablename__ = "catalog_revision"
    __table_args__ = (CheckConstraint(f"id = {REVISION_ROW_ID}", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class UsageRecordRow(IdentityBase):
    """`domain.usage.UsageRecord` flattened. Free-form strings are Text so no batch fails on length."""

    __tablename__ = "usage_records"
    __table_args__ = (
        UniqueConstraint("request_id", "attempt", name=UQ_USAGE_REQUEST_ATTEMPT),
        Index("ix_usage_records_created_at", "created_at"),
        Index("ix_usage_records_tenant_id_created_at", "tenant_id", "created_at"),
    )

    request_id: Mapped[str] = mapped_column(Text)
    attempt: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    tenant_id: Mapped[str | None] = mapped_column(ID)  # no FK: usage outlives a deleted tenant
    requested_model: Mapped[str | None] = mapped_column(Text)
    provider: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(Text)
    stream: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int] = mapped_column(Integer)
    error_kind: Mapped[str | None] = mapped_column(Text)
    input_tokens: Mapped[int] = mapped_column(Integer)
    output_tokens: Mapped[int] = mapped_column(Integer)
    cached_tokens: Mapped[int] = mapped_column(Integer)
    reasoning_tokens: Mapped[int] = mapped_column(Integer)
    estimated: Mapped[bool] = mapped_column(Boolean)
    latency_ms: Mapped[float] = mapped_column(Float)
    ttft_ms: Mapped[float | None] = mapped_column(Float)
    service: Mapped[str | None] = mapped_column(Text)
    customer_id: Mapped[str | None] = mapped_column(Text)
    route_rule: Mapped[str | None] = mapped_column(Text)
    cached: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(20, 10))


METADATA: MetaData = DefaultBase.metadata  # what alembic migrates and autogenerates against
