"""Where the providers' cool-down (circuit breaker) state lives: shared by every gateway instance."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Protocol

from domain.cooldown import BreakerState, CooldownPolicy
from domain.errors import ProviderError


class CooldownStore(Protocol):
    @abstractmethod
    async def states(self, providers: Sequence[str]) -> dict[str, BreakerState]:
        """The state of each named provider that has one (the others are healthy), in one round trip."""

    @abstractmethod
    async def record_failure(
        self, provider: str, error: ProviderError, *, now: float, policy: CooldownPolicy
    ) -> BreakerState:
        """Apply `domain.cooldown.after_failure` atomically, even against other instances."""

    @abstractmethod
    async def reset(self, provider: str) -> None:
        """Forget the provider's failures (it answered)."""
