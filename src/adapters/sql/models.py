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
    BigInteger,
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
        # created_at is in the key because Postgres partitions the table by it (by month); a record
        # written twice (a retried batch) carries the same created_at, so the pair still dedupes.
        UniqueConstraint("request_id", "attempt", "created_at", name=UQ_USAGE_REQUEST_ATTEMPT),
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


PRICE_NUMBER = Numeric(20, 10)
ROLLUP_COST = Numeric(24, 10)
UQ_MODEL_PRICES_KEY = "uq_model_prices_provider_model"
ROLLUP_DIMENSIONS = ("bucket_start", "tenant_id", "service", "customer_id", "provider", "model")


class ModelPriceRow(IdentityBase):
    """USD per million tokens for (provider name or vendor kind, model)."""

    __tablename__ = "model_prices"
    __table_args__ = (UniqueConstraint("provider", "model", name=UQ_MODEL_PRICES_KEY),)

    provider: Mapped[str] = mapped_column(NAME)
    model: Mapped[str] = mapped_column(NAME)
    input_per_mtok: Mapped[Decimal] = mapped_column(PRICE_NUMBER)
    output_per_mtok: Mapped[Decimal] = mapped_column(PRICE_NUMBER)
    cached_input_per_mtok: Mapped[Decimal | None] = mapped_column(PRICE_NUMBER)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC)


class _RollupDimensions:
    """An hour (or a day) and the dimensions analytics filter and group on; a missing one is ''
    (NULLs would not be unique)."""

    bucket_start: Mapped[datetime] = mapped_column(DateTimeUTC)
    tenant_id: Mapped[str] = mapped_column(NAME)
    service: Mapped[str] = mapped_column(NAME)
    customer_id: Mapped[str] = mapped_column(NAME)
    provider: Mapped[str] = mapped_column(NAME)
    model: Mapped[str] = mapped_column(NAME)


class _RollupTotals(_RollupDimensions):
    requests: Mapped[int] = mapped_column(Integer)  # first attempts: one per request
    attempts: Mapped[int] = mapped_column(Integer)  # every record
    errors: Mapped[int] = mapped_column(Integer)  # records with a status >= 400
    cache_hits: Mapped[int] = mapped_column(Integer)
    unknown_cost: Mapped[int] = mapped_column(Integer)  # records with no price
    input_tokens: Mapped[int] = mapped_column(BigInteger)
    output_tokens: Mapped[int] = mapped_column(BigInteger)
    cached_tokens: Mapped[int] = mapped_column(BigInteger)
    reasoning_tokens: Mapped[int] = mapped_column(BigInteger)
    cost_usd: Mapped[Decimal] = mapped_column(ROLLUP_COST)
    latency_ms_sum: Mapped[float] = mapped_column(Float)
    # records per latency bucket (domain.usage_stats.LATENCY_BOUNDS_MS, then slower), for p50/p95. Counts
    # are INTEGER (per row they stay far below 2^31): Postgres sums those much faster than BIGINT.
    latency_00: Mapped[int] = mapped_column(Integer)
    latency_01: Mapped[int] = mapped_column(Integer)
    latency_02: Mapped[int] = mapped_column(Integer)
    latency_03: Mapped[int] = mapped_column(Integer)
    latency_04: Mapped[int] = mapped_column(Integer)
    latency_05: Mapped[int] = mapped_column(Integer)
    latency_06: Mapped[int] = mapped_column(Integer)
    latency_07: Mapped[int] = mapped_column(Integer)
    latency_08: Mapped[int] = mapped_column(Integer)
    latency_09: Mapped[int] = mapped_column(Integer)
    latency_10: Mapped[int] = mapped_column(Integer)
    latency_11: Mapped[int] = mapped_column(Integer)
    latency_12: Mapped[int] = mapped_column(Integer)
    latency_13: Mapped[int] = mapped_column(Integer)
    latency_14: Mapped[int] = mapped_column(Integer)


class UsageRollupRow(_RollupTotals, IdentityBase):
    """Usage per hour and (tenant, service, provider, model), kept current in the transaction that
    inserts each batch. customer_id is always '': customers are many, see the daily table."""

    __tablename__ = "usage_rollups_hourly"
    __table_args__ = (
        UniqueConstraint(*ROLLUP_DIMENSIONS, name="uq_usage_rollups_hourly_key"),
        Index("ix_usage_rollups_hourly_tenant_id_bucket_start", "tenant_id", "bucket_start"),
    )


class UsageCustomerRollupRow(_RollupTotals, IdentityBase):
    """Usage per UTC day and (tenant, service, customer, provider, model): what by-customer reads."""

    __tablename__ = "usage_rollups_customer_daily"
    __table_args__ = (
        UniqueConstraint(*ROLLUP_DIMENSIONS, name="uq_usage_rollups_customer_daily_key"),
        Index("ix_usage_rollups_customer_daily_tenant_id_bucket_start", "tenant_id", "bucket_start"),
        Index("ix_usage_rollups_customer_daily_customer_id", "customer_id"),
    )


UQ_OVERRIDES_SCOPE = "uq_routing_overrides_customer_id_service_model"


class OverrideRow(DefaultBase):
    """A customer's routing override; `service`/`model` '' means any (NULLs would not be unique)."""

    __tablename__ = "routing_overrides"
    __table_args__ = (
        UniqueConstraint("customer_id", "service", "model", name=UQ_OVERRIDES_SCOPE),
        Index("ix_routing_overrides_customer_id", "customer_id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    customer_id: Mapped[str] = mapped_column(NAME)
    service: Mapped[str] = mapped_column(NAME)
    model: Mapped[str] = mapped_column(NAME)
    alias: Mapped[str | None] = mapped_column(NAME)
    target: Mapped[dict[str, Any] | None] = mapped_column(JSON_DOC)
    description: Mapped[str | None] = mapped_column(Text)
