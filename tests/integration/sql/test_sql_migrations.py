from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
import pytest_asyncio
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from tests.support.services import sqlite_file_url, temporary_database

from adapters.sql.migrate import alembic_config, upgrade_to_head, upgrade_to_head_async
from adapters.sql.models import METADATA

pytestmark = pytest.mark.integration

T = TypeVar("T")

TABLES = {*METADATA.tables, "alembic_version"}  # every model has its table, nothing else is made


@pytest_asyncio.fixture(params=["postgres", "sqlite"])
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_server_url: str) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield sqlite_file_url(tmp_path / "empty.db")
        return
    async with temporary_database(postgres_server_url) as url:
        yield url


async def on_connection(url: str, work: Callable[[Connection], T]) -> T:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


HEADS = set(ScriptDirectory.from_config(alembic_config()).get_heads())


def schema_state(connection: Connection) -> tuple[set[str], list[tuple[int, int]], set[str]]:
    revision = connection.execute(text("SELECT id, revision FROM catalog_revision")).all()
    heads = set(MigrationContext.configure(connection).get_current_heads())
    return set(inspect(connection).get_table_names()), [(i, r) for i, r in revision], heads


def drift(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, METADATA))


async def test_upgrade_creates_schema_when_database_empty(empty_url: str) -> None:
    await upgrade_to_head_async(empty_url)

    tables, revision, head = await on_connection(empty_url, schema_state)
    assert tables == TABLES
    assert revision == [(1, 0)]
    assert head == HEADS


async def test_schema_matches_models_when_at_head(empty_url: str) -> None:
    await upgrade_to_head_async(empty_url)

    assert await on_connection(empty_url, drift) == []


async def test_upgrade_is_a_no_op_when_at_head(empty_url: str) -> None:
    await upgrade_to_head_async(empty_url)
    await upgrade_to_head_async(empty_url)

    tables, revision, _ = await on_connection(empty_url, schema_state)
    assert tables == TABLES
    assert revision == [(1, 0)]


async def test_downgrade_to_base_then_up_again(empty_url: str) -> None:
    await upgrade_to_head_async(empty_url)

    def downgrade(connection: Connection) -> None:
        config = alembic_config(empty_url)
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    await on_connection(empty_url, downgrade)
    await upgrade_to_head_async(empty_url)

    tables, _, head = await on_connection(empty_url, schema_state)
    assert (tables, head) == (TABLES, HEADS)


async def test_sync_upgrade_works_where_no_loop_runs(tmp_path: Path) -> None:
    url = sqlite_file_url(tmp_path / "sync.db")

    await asyncio.to_thread(upgrade_to_head, url)  # a worker thread has no running loop, like a CLI

    tables, _, head = await on_connection(url, schema_state)
    assert (tables, head) == (TABLES, HEADS)
