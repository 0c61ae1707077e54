"""Write-first helpers: an UPDATE/DELETE by id that reports whether the row existed.

Writing before reading keeps SQLite transactions from upgrading a read lock to a write lock, which
fails at once (SQLITE_BUSY) instead of waiting for the busy timeout."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.models import ProviderRow, RouteRow, TenantRow

CatalogRow = type[TenantRow] | type[ProviderRow] | type[RouteRow]


async def affected_rows(session: AsyncSession, statement: Executable) -> int:
    result = cast("CursorResult[Any]", await session.execute(statement))
    return result.rowcount


async def update_by_id(session: AsyncSession, model: CatalogRow, row_id: str, values: Mapping[str, Any]) -> bool:
    statement = update(model).where(model.id == row_id).values(**values)
    return await affected_rows(session, statement.execution_options(synchronize_session=False)) > 0


async def delete_by_id(session: AsyncSession, model: CatalogRow, row_id: str) -> bool:
    statement = delete(model).where(model.id == row_id)
    return await affected_rows(session, statement.execution_options(synchronize_session=False)) > 0
