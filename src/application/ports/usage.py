"""Where usage records end up."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Protocol

from domain.usage import UsageRecord


class UsageRepository(Protocol):
    @abstractmethod
    async def add_many(self, records: Sequence[UsageRecord]) -> None:
        """Insert a batch in one transaction; a record whose (request_id, attempt) exists is skipped."""


class UsageSink(Protocol):
    @abstractmethod
    def record(self, record: UsageRecord) -> None:
        """Queue a record without waiting; never raises on the request path."""
