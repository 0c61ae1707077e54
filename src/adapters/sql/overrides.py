"""Customer routing overrides."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.errors import ConstraintErrors, translate_integrity
from adapters.sql.mappers import override_from_row, override_values
from adapters.sql.models import UQ_OVERRIDES_SCOPE, OverrideRow
from adapters.sql.revision import bump_revision
from adapters.sql.statements import affected_rows
from application.ports.overrides import OverrideRepository
from domain.catalog import Override
from domain.errors import ConflictError, NotFoundError


def _not_found(override_id: str) -> NotFoundError:
    return NotFoundError(f"Override '{override_id}' not found")


def _conflicts(override: Override) -> ConstraintErrors:
    return {
        UQ_OVERRIDES_SCOPE: lambda: ConflictError(
            f"Customer '{override.customer_id}' already has an override for this service and model",
            param="customer_id",
        ),
        "pk_routing_overrides": lambda: ConflictError(f"Override id '{override.id}' already exists", param="id"),
    }


class SqlOverrideRepository(OverrideRepository):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, override: Override) -> Override:
        with translate_integrity(_conflicts(override)):
            async with self._sessions.begin() as session:
                session.add(OverrideRow(id=override.id, **override_values(override)))
                await session.flush()
                await bump_revision(session)
        return override

    async def get(self, override_id: str) -> Override:
        async with self._sessions() as session:
            row = await session.get(OverrideRow, override_id)
            if row is None:
                raise _not_found(override_id)
            return override_from_row(row)

    async def list(self, customer_id: str | None = None) -> list[Override]:
        statement = select(OverrideRow).order_by(OverrideRow.customer_id, OverrideRow.service, OverrideRow.model)
        if customer_id is not None:
            statement = statement.where(OverrideRow.customer_id == customer_id)
        async with self._sessions() as session:
            return [override_from_row(row) for row in await session.scalars(statement)]

    async def update(self, override: Override) -> Override:
        statement = update(OverrideRow).where(OverrideRow.id == override.id).values(**override_values(override))
        with translate_integrity(_conflicts(override)):
            async with self._sessions.begin() as session:
                if not await affected_rows(session, statement.execution_options(synchronize_session=False)):
                    raise _not_found(override.id)
                await bump_revision(session)
        return override

    async def delete(self, override_id: str) -> None:
        statement = delete(OverrideRow).where(OverrideRow.id == override_id)
        async with self._sessions.begin() as session:
            if not await affected_rows(session, statement.execution_options(synchronize_session=False)):
                raise _not_found(override_id)
            await bump_revision(session)
