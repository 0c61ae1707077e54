"""The price table: one row per (provider or vendor kind, model)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.models import ModelPriceRow
from application.ports.prices import PriceRepository
from domain.errors import NotFoundError
from domain.pricing import ModelPrice, PriceKey, TokenPrice

_TABLE = cast("Table", ModelPriceRow.__table__)


def _entry(row: ModelPriceRow) -> ModelPrice:
    price = TokenPrice(
        input_per_mtok=row.input_per_mtok,
        output_per_mtok=row.output_per_mtok,
        cached_input_per_mtok=row.cached_input_per_mtok,
    )
    return ModelPrice(key=PriceKey(provider=row.provider, model=row.model), price=price)


class SqlPriceRepository(PriceRepository):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def list(self) -> list[ModelPrice]:
        async with self._sessions() as session:
            return [_entry(row) for row in await session.scalars(select(ModelPriceRow))]

    async def put(self, entry: ModelPrice) -> ModelPrice:
        values = {
            "provider": entry.key.provider,
            "model": entry.key.model,
            "input_per_mtok": entry.price.input_per_mtok,
            "output_per_mtok": entry.price.output_per_mtok,
            "cached_input_per_mtok": entry.price.cached_input_per_mtok,
            "updated_at": datetime.now(UTC),
        }
        async with self._sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert(_TABLE) if dialect == "postgresql" else sqlite.insert(_TABLE)
            changed = {k: v for k, v in values.items() if k not in ("provider", "model")}
            await session.execute(
                insert.values(values).on_conflict_do_update(index_elements=["provider", "model"], set_=changed)
            )
        return entry

    async def delete(self, key: PriceKey) -> None:
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(ModelPriceRow).where(ModelPriceRow.provider == key.provider, ModelPriceRow.model == key.model)
            )
            if not getattr(result, "rowcount", 0):
                raise NotFoundError(f"No price for model '{key.model}' of '{key.provider}'")
