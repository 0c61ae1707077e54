"""The price table: USD per million tokens by (provider or vendor kind, model)."""

from __future__ import annotations

from application.ports.prices import PriceRepository
from application.usage.price_book import PriceBook
from domain.errors import InvalidRequestError
from domain.pricing import ModelPrice, PriceKey


class ManagePrices:
    """Writes go to the database, then this instance's in-memory table is reloaded at once (other
    instances reload within their refresh interval)."""

    def __init__(self, prices: PriceRepository, book: PriceBook) -> None:
        self._prices, self._book = prices, book

    async def list(self) -> list[ModelPrice]:
        return sorted(await self._prices.list(), key=lambda e: (e.key.provider, e.key.model))

    async def put(self, entry: ModelPrice) -> ModelPrice:
        key = _checked(entry.key)
        stored = await self._prices.put(ModelPrice(key=key, price=entry.price))
        await self._book.reload()
        return stored

    async def delete(self, key: PriceKey) -> None:
        await self._prices.delete(_checked(key))
        await self._book.reload()


def _checked(key: PriceKey) -> PriceKey:
    provider, model = key.provider.strip(), key.model.strip()
    if not provider:
        raise InvalidRequestError("provider must not be empty", param="provider")
    if not model:
        raise InvalidRequestError("model must not be empty", param="model")
    return PriceKey(provider=provider, model=model)
