"""Postgres and Redis for integration tests: the URL in the environment when set, else the local
service when it answers, else a testcontainers container started for the session."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import redis.asyncio as aioredis
from sqlalchemy.engine import make_url

from adapters.sql.migrate import upgrade_to_head_async

POSTGRES_ENV = "LLMGW_TEST_POSTGRES_URL"
REDIS_ENV = "LLMGW_TEST_REDIS_URL"
LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"
PROBE_TIMEOUT_S = 2.0


def asyncpg_url(url: str, database: str | None = None) -> str:
    """A SQLAlchemy `postgresql+asyncpg://` URL, optionally for another database on the server."""
    parsed = make_url(url).set(drivername="postgresql+asyncpg")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def _libpq_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _postgres_answers(url: str) -> bool:
    try:
        connection = await asyncpg.connect(_libpq_dsn(url), timeout=PROBE_TIMEOUT_S)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


@contextlib.asynccontextmanager
async def postgres_server() -> AsyncIterator[str]:
    """Yields the URL of a maintenance database on which test databases can be created."""
    if url := os.environ.get(POSTGRES_ENV):
        yield asyncpg_url(url)
    elif await _postgres_answers(LOCAL_POSTGRES):
        yield LOCAL_POSTGRES
    else:
        from testcontainers.community.postgres import PostgresContainer

        container = PostgresContainer("postgres:17-alpine", driver="asyncpg")
        await asyncio.to_thread(container.start)
        try:
            yield container.get_connection_url()
        finally:
            await asyncio.to_thread(container.stop)


@contextlib.asynccontextmanager
async def temporary_database(server_url: str) -> AsyncIterator[str]:
    """Creates `llmgw_test_<hex>` on the server, yields its URL, drops it (closing its connections)."""
    name = f"llmgw_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(_libpq_dsn(server_url), timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield asyncpg_url(server_url, database=name)
    finally:
        admin = await asyncpg.connect(_libpq_dsn(server_url), timeout=10)
        try:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                name,
            )
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await admin.close()


@contextlib.asynccontextmanager
async def migrated_database(server_url: str) -> AsyncIterator[str]:
    """A temporary database with the schema at head."""
    async with temporary_database(server_url) as url:
        await upgrade_to_head_async(url)
        yield url


async def _redis_answers(url: str) -> bool:
    client = aioredis.Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT_S)
    try:
        return bool(await client.ping())
    except (OSError, aioredis.RedisError):
        return False
    finally:
        await client.aclose()


@contextlib.asynccontextmanager
async def redis_server() -> AsyncIterator[str]:
    """Yields a `redis://` URL."""
    if url := os.environ.get(REDIS_ENV):
        yield url
    elif await _redis_answers(LOCAL_REDIS):
        yield LOCAL_REDIS
    else:
        from testcontainers.community.redis import RedisContainer

        container = RedisContainer("redis:8-alpine")
        await asyncio.to_thread(container.start)
        try:
            yield f"redis://{container.get_container_host_ip()}:{container.get_exposed_port(6379)}/0"
        finally:
            await asyncio.to_thread(container.stop)


def redis_key_prefix() -> str:
    return f"llmgw-test-{secrets.token_hex(6)}:"


async def delete_prefixed(url: str, prefix: str) -> int:
    """Deletes every key under `prefix` (SCAN, never KEYS); returns how many went."""
    pattern = re.sub(r"([*?\[\]\\])", r"\\\1", prefix) + "*"
    client = aioredis.Redis.from_url(url)
    deleted = 0
    try:
        batch: list[bytes] = []
        async for key in client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) >= 500:
                deleted += await client.unlink(*batch)
                batch.clear()
        if batch:
            deleted += await client.unlink(*batch)
    finally:
        await client.aclose()
    return deleted


def sqlite_file_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"
