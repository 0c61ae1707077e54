"""Where the price table is stored. Each method is one transaction."""

from __future__ import annotations

from abc import abstractmethod
from typing import Protocol

from domain.pricing import ModelPrice, PriceKey


class PriceRepository(Protocol):
    @abstractmethod
    async def list(self) -> list[ModelPrice]: ...

    @abstractmethod
    async def put(self, entry: ModelPrice) -> ModelPrice:
        """Insert, or replace the price stored under the same key."""

    @abstractmethod
    async def delete(self, key: PriceKey) -> None:
        """Raises `NotFoundError` when there is no price under that key."""
