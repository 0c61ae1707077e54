"""Cool-down state in this process: the embedded default when no Redis is configured."""

from __future__ import annotations

from collections.abc import Sequence

from application.ports.cooldown import CooldownStore
from domain.cooldown import HEALTHY, BreakerState, CooldownPolicy, after_failure
from domain.errors import ProviderError


class InMemoryCooldownStore(CooldownStore):
    """One event loop, no awaits between read and write: every update is atomic as it stands."""

    def __init__(self) -> None:
        self._states: dict[str, BreakerState] = {}

    async def states(self, providers: Sequence[str]) -> dict[str, BreakerState]:
        return {name: self._states[name] for name in providers if name in self._states}

    async def record_failure(
        self, provider: str, error: ProviderError, *, now: float, policy: CooldownPolicy
    ) -> BreakerState:
        state = after_failure(self._states.get(provider, HEALTHY), error, now=now, policy=policy)
        if state != HEALTHY:
            self._states[provider] = state
        return state

    async def reset(self, provider: str) -> None:
        self._states.pop(provider, None)
