"""The catalog revision: one counter that every catalog write moves in its own transaction."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.models import REVISION_ROW_ID, CatalogRevisionRow


async def bump_revision(session: AsyncSession) -> None:
    """Call after the write, inside its transaction: a rolled-back write leaves the counter alone.

    On Postgres the row lock also serialises catalog writers, which are rare."""
    await session.execute(
        update(CatalogRevisionRow)
        .where(CatalogRevisionRow.id == REVISION_ROW_ID)
        .values(revision=CatalogRevisionRow.revision + 1)
        .execution_options(synchronize_session=False)
    )


async def read_revision(session: AsyncSession) -> str:
    revision = await session.scalar(select(CatalogRevisionRow.revision).where(CatalogRevisionRow.id == REVISION_ROW_ID))
    return str(revision or 0)
