"""Tenant keys: hashes only. Revoking is idempotent: the first revocation time stays."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.errors import SQLITE_FOREIGN_KEY, ConstraintErrors, translate_integrity
from adapters.sql.mappers import api_key_from_row, api_key_row
from adapters.sql.models import FK_API_KEYS_TENANT, UQ_API_KEYS_KEY_HASH, ApiKeyRow
from adapters.sql.revision import bump_revision
from adapters.sql.statements import affected_rows
from adapters.sql.tenants import tenant_not_found
from application.ports.admin import ApiKeyRepository
from domain.catalog import ApiKeyRecord
from domain.errors import ConflictError, NotFoundError


def _errors(key: ApiKeyRecord) -> ConstraintErrors:
    return {
        UQ_API_KEYS_KEY_HASH: lambda: ConflictError("An identical API key already exists"),
        "pk_api_keys": lambda: ConflictError(f"API key id '{key.id}' already exists", param="id"),
        FK_API_KEYS_TENANT: lambda: tenant_not_found(key.tenant_id),
        SQLITE_FOREIGN_KEY: lambda: tenant_not_found(key.tenant_id),
    }


class SqlApiKeyRepository(ApiKeyRepository):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, key: ApiKeyRecord) -> ApiKeyRecord:
        """Raises NotFoundError when the tenant does not exist."""
        row = api_key_row(key)
        with translate_integrity(_errors(key)):
            async with self._sessions.begin() as session:
                session.add(row)
                await session.flush()
                await bump_revision(session)
        return api_key_from_row(row)

    async def list_for_tenant(self, tenant_id: str) -> list[ApiKeyRecord]:
        """Oldest first; an unknown tenant has no keys."""
        statement = (
            select(ApiKeyRow).where(ApiKeyRow.tenant_id == tenant_id).order_by(ApiKeyRow.created_at, ApiKeyRow.id)
        )
        async with self._sessions() as session:
            return [api_key_from_row(row) for row in await session.scalars(statement)]

    async def revoke(self, tenant_id: str, key_id: str, at: datetime) -> ApiKeyRecord:
        this_key = (ApiKeyRow.id == key_id) & (ApiKeyRow.tenant_id == tenant_id)
        async with self._sessions.begin() as session:
            statement = (
                update(ApiKeyRow)
                .where(this_key)
                .values(revoked_at=func.coalesce(ApiKeyRow.revoked_at, literal(at, DateTimeUTC())))
                .execution_options(synchronize_session=False)
            )
            if not await affected_rows(session, statement):
                raise NotFoundError(f"API key '{key_id}' not found")
            await bump_revision(session)
            row = await session.scalar(select(ApiKeyRow).where(this_key))
            assert row is not None  # just updated, in this transaction
            return api_key_from_row(row)
