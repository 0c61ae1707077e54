from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.sql.prices import SqlPriceRepository
from domain.errors import NotFoundError
from domain.price_list import LIST_PRICES
from domain.pricing import ModelPrice, PriceKey, TokenPrice

pytestmark = pytest.mark.integration

KEY = PriceKey(provider="azure-east", model="gpt-4o-mini")


@pytest_asyncio.fixture
async def prices(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[SqlPriceRepository]:
    async with engine.begin() as connection:  # the shared fixture does not empty this table
        await connection.execute(text("DELETE FROM model_prices WHERE provider = 'azure-east'"))
    yield SqlPriceRepository(sessions)


def price(inp: str, out: str, cached: str | None = None) -> TokenPrice:
    return TokenPrice(
        input_per_mtok=Decimal(inp),
        output_per_mtok=Decimal(out),
        cached_input_per_mtok=None if cached is None else Decimal(cached),
    )


async def test_the_migration_seeds_the_list_prices(prices: SqlPriceRepository) -> None:
    stored = {(e.key.provider, e.key.model): e.price for e in await prices.list()}
    assert all(stored[e.key.provider, e.key.model] == e.price for e in LIST_PRICES)


async def test_put_creates_then_replaces_and_keeps_exact_decimals(prices: SqlPriceRepository) -> None:
    await prices.put(ModelPrice(key=KEY, price=price("0.15", "0.6", "0.075")))
    await prices.put(ModelPrice(key=KEY, price=price("0.0000000001", "123456.789")))

    stored = [e for e in await prices.list() if e.key == KEY]
    assert stored == [ModelPrice(key=KEY, price=price("0.0000000001", "123456.789"))]


async def test_delete_removes_and_a_missing_price_is_not_found(prices: SqlPriceRepository) -> None:
    await prices.put(ModelPrice(key=KEY, price=price("1", "2")))
    await prices.delete(KEY)
    with pytest.raises(NotFoundError):
        await prices.delete(KEY)
    assert all(e.key != KEY for e in await prices.list())
