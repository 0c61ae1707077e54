"""Name resolution, for checking where a provider's base_url really points."""

from __future__ import annotations

from abc import abstractmethod
from typing import Protocol

from domain.upstream import IPAddress


class HostResolver(Protocol):
    @abstractmethod
    async def resolve(self, host: str) -> list[IPAddress]:
        """The host's addresses (a literal IP resolves to itself); empty when it does not resolve."""
