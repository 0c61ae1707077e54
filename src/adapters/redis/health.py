"""Redis liveness for the readiness endpoint."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from application.ports.system import HealthProbe


class RedisHealthProbe(HealthProbe):
    name = "redis"

    def __init__(self, client: Redis, timeout_s: float = 2.0) -> None:
        self._client = client
        self._timeout = timeout_s

    async def check(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self._client.ping(), self._timeout))
        except Exception:
            return False
