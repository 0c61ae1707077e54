from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import text

from adapters.sql.engine import create_engine
from adapters.sql.health import SqlHealthProbe

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def silent_port() -> AsyncIterator[int]:
    """A TCP server that accepts connections and never answers."""

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    server.close()


async def test_sqlite_connections_get_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            pragmas = [
                (await connection.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            ]
    finally:
        await engine.dispose()

    assert pragmas == ["wal", 1, 5000]


async def test_probe_is_healthy_when_database_answers(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        probe = SqlHealthProbe(engine)
        assert probe.name == "database"
        assert await probe.check() is True
    finally:
        await engine.dispose()


async def test_probe_is_unhealthy_when_nothing_listens() -> None:
    engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    try:
        assert await SqlHealthProbe(engine).check() is False
    finally:
        await engine.dispose()


async def test_probe_gives_up_at_its_timeout_when_server_hangs(silent_port: int) -> None:
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{silent_port}/none")
    started = time.monotonic()
    try:
        assert await SqlHealthProbe(engine, timeout_s=0.3).check() is False
    finally:
        await engine.dispose()
    assert time.monotonic() - started < 2
