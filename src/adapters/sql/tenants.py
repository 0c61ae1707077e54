"""Tenants. Deleting one deletes its keys (ON DELETE CASCADE)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.errors import ConstraintErrors, translate_integrity
from adapters.sql.mappers import tenant_from_row, tenant_values
from adapters.sql.models import UQ_TENANTS_NAME, TenantRow
from adapters.sql.revision import bump_revision
from adapters.sql.statements import delete_by_id, update_by_id
from application.ports.admin import TenantRepository
from domain.catalog import Tenant
from domain.errors import ConflictError, NotFoundError


def tenant_not_found(tenant_id: str) -> NotFoundError:
    return NotFoundError(f"Tenant '{tenant_id}' not found")


def _conflicts(tenant: Tenant) -> ConstraintErrors:
    return {
        UQ_TENANTS_NAME: lambda: ConflictError(f"Tenant '{tenant.name}' already exists", param="name"),
        "pk_tenants": lambda: ConflictError(f"Tenant id '{tenant.id}' already exists", param="id"),
    }


class SqlTenantRepository(TenantRepository):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, tenant: Tenant) -> Tenant:
        with translate_integrity(_conflicts(tenant)):
            async with self._sessions.begin() as session:
                session.add(TenantRow(id=tenant.id, **tenant_values(tenant)))
                await session.flush()
                await bump_revision(session)
        return tenant

    async def get(self, tenant_id: str) -> Tenant:
        async with self._sessions() as session:
            row = await session.get(TenantRow, tenant_id)
            if row is None:
                raise tenant_not_found(tenant_id)
            return tenant_from_row(row)

    async def list(self) -> list[Tenant]:
        async with self._sessions() as session:
            rows = await session.scalars(select(TenantRow).order_by(TenantRow.name))
            return [tenant_from_row(row) for row in rows]

    async def update(self, tenant: Tenant) -> Tenant:
        with translate_integrity(_conflicts(tenant)):
            async with self._sessions.begin() as session:
                if not await update_by_id(session, TenantRow, tenant.id, tenant_values(tenant)):
                    raise tenant_not_found(tenant.id)
                await bump_revision(session)
        return tenant

    async def delete(self, tenant_id: str) -> None:
        async with self._sessions.begin() as session:
            if not await delete_by_id(session, TenantRow, tenant_id):
                raise tenant_not_found(tenant_id)
            await bump_revision(session)
