"""Vendor accounts. `Provider.api_key` is encrypted with the SecretBox on write, decrypted on read."""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.errors import ConstraintErrors, translate_integrity
from adapters.sql.mappers import provider_from_row, provider_values
from adapters.sql.models import UQ_PROVIDERS_NAME, ProviderRow
from adapters.sql.revision import bump_revision
from adapters.sql.statements import delete_by_id, update_by_id
from application.ports.admin import ProviderRepository
from application.ports.system import SecretBox
from domain.catalog import Provider
from domain.errors import ConflictError, NotFoundError


def _not_found(provider_id: str) -> NotFoundError:
    return NotFoundError(f"Provider '{provider_id}' not found")


def _conflicts(provider: Provider) -> ConstraintErrors:
    return {
        UQ_PROVIDERS_NAME: lambda: ConflictError(f"Provider '{provider.name}' already exists", param="name"),
        "pk_providers": lambda: ConflictError(f"Provider id '{provider.id}' already exists", param="id"),
    }


class SqlProviderRepository(ProviderRepository):
    def __init__(self, sessions: async_sessionmaker[AsyncSession], box: SecretBox) -> None:
        self._sessions = sessions
        self._box = box

    async def add(self, provider: Provider) -> Provider:
        values = provider_values(provider, self._box)
        with translate_integrity(_conflicts(provider)):
            async with self._sessions.begin() as session:
                session.add(ProviderRow(id=provider.id, **values))
                await session.flush()
                await bump_revision(session)
        return msgspec.structs.replace(provider, updated_at=values["updated_at"])

    async def get(self, provider_id: str) -> Provider:
        async with self._sessions() as session:
            row = await session.get(ProviderRow, provider_id)
            if row is None:
                raise _not_found(provider_id)
            return provider_from_row(row, self._box)

    async def get_by_name(self, name: str) -> Provider | None:
        async with self._sessions() as session:
            row = await session.scalar(select(ProviderRow).where(ProviderRow.name == name))
            return None if row is None else provider_from_row(row, self._box)

    async def list(self) -> list[Provider]:
        statement = select(ProviderRow).order_by(ProviderRow.priority, ProviderRow.name)
        async with self._sessions() as session:
            return [provider_from_row(row, self._box) for row in await session.scalars(statement)]

    async def update(self, provider: Provider) -> Provider:
        values = provider_values(provider, self._box)
        with translate_integrity(_conflicts(provider)):
            async with self._sessions.begin() as session:
                if not await update_by_id(session, ProviderRow, provider.id, values):
                    raise _not_found(provider.id)
                await bump_revision(session)
        return msgspec.structs.replace(provider, updated_at=values["updated_at"])

    async def delete(self, provider_id: str) -> None:
        async with self._sessions.begin() as session:
            if not await delete_by_id(session, ProviderRow, provider_id):
                raise _not_found(provider_id)
            await bump_revision(session)
