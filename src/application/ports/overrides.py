"""Storage of customer routing overrides. Each method is one transaction that moves the catalog revision.

A missing row raises `domain.errors.NotFoundError`; a second override for the same customer,
service and model raises `ConflictError`."""

from __future__ import annotations

from abc import abstractmethod
from typing import Protocol

from domain.catalog import Override


class OverrideRepository(Protocol):
    @abstractmethod
    async def add(self, override: Override) -> Override: ...
    @abstractmethod
    async def get(self, override_id: str) -> Override: ...
    @abstractmethod
    async def list(self, customer_id: str | None = None) -> list[Override]: ...
    @abstractmethod
    async def update(self, override: Override) -> Override: ...
    @abstractmethod
    async def delete(self, override_id: str) -> None: ...
