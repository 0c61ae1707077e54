"""The test infrastructure itself: Redis prefix cleanup and throwaway Postgres databases."""

from __future__ import annotations

import asyncpg
import pytest
import redis.asyncio as aioredis
from tests.support.services import delete_prefixed, temporary_database

pytestmark = pytest.mark.integration


async def test_delete_prefixed_removes_only_keys_under_prefix(redis_url: str, redis_prefix: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    doomed, kept = f"{redis_prefix}cleanup:", f"{redis_prefix}kept:"
    try:
        for i in range(1200):
            await client.set(f"{doomed}{i}", i)
        await client.set(f"{kept}1", 1)

        assert await delete_prefixed(redis_url, doomed) == 1200

        assert [k async for k in client.scan_iter(match=f"{doomed}*")] == []
        assert await client.exists(f"{kept}1") == 1
    finally:
        await client.aclose()


async def test_temporary_database_is_dropped_even_with_open_connections(postgres_server_url: str) -> None:
    async with temporary_database(postgres_server_url) as url:
        name = url.rsplit("/", 1)[-1]
        assert name.startswith("llmgw_test_")
        lingering = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))

    admin = await asyncpg.connect(postgres_server_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        assert await admin.fetchval("SELECT count(*) FROM pg_database WHERE datname = $1", name) == 0
    finally:
        await admin.close()
        lingering.terminate()
