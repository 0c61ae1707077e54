"""Cool-down state in Redis, shared by every gateway instance: one JSON value per provider."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import msgspec
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from application.ports.cooldown import CooldownStore
from domain.cooldown import HEALTHY, BreakerState, CooldownPolicy, after_failure
from domain.errors import ProviderError

_decode = msgspec.json.Decoder(BreakerState).decode
_encode = msgspec.json.Encoder().encode


class RedisCooldownStore(CooldownStore):
    """Reads are one MGET. A failure is an optimistic WATCH/MULTI transaction (retried when another
    instance wrote the same provider meanwhile), so concurrent failures are all counted. Every
    value expires once the policy can no longer need it. Each call gives up after `timeout_s`."""

    def __init__(self, client: Redis, *, prefix: str, timeout_s: float = 0.5) -> None:
        self._client = client
        self._prefix = prefix
        self._timeout_s = timeout_s

    def _key(self, provider: str) -> str:
        return f"{self._prefix}cooldown:{provider}"

    async def states(self, providers: Sequence[str]) -> dict[str, BreakerState]:
        if not providers:
            return {}
        async with asyncio.timeout(self._timeout_s):
            values = await self._client.mget([self._key(p) for p in providers])
        return {p: _decode(v) for p, v in zip(providers, values, strict=True) if v is not None}

    async def record_failure(
        self, provider: str, error: ProviderError, *, now: float, policy: CooldownPolicy
    ) -> BreakerState:
        key = self._key(provider)

        async def update(pipe: Pipeline) -> BreakerState:
            raw = await pipe.get(key)
            state = after_failure(_decode(raw) if raw else HEALTHY, error, now=now, policy=policy)
            pipe.multi()  # type: ignore[no-untyped-call]
            pipe.set(key, _encode(state), px=int(policy.retention_s * 1000))
            return state

        async with asyncio.timeout(self._timeout_s):
            state: BreakerState = await self._client.transaction(update, key, value_from_callable=True)
        return state

    async def reset(self, provider: str) -> None:
        async with asyncio.timeout(self._timeout_s):
            await self._client.delete(self._key(provider))
