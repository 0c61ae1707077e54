"""Session-wide services for integration tests. Each starts only when a test asks for it.

- `postgres_server_url`: a maintenance database (env `LLMGW_TEST_POSTGRES_URL`, else local, else a container)
- `postgres_url`: this run's own database `llmgw_test_<hex>`, migrated to head, dropped at the end
- `sqlite_url`: a fresh migrated SQLite file per test
- `redis_url`, `redis_prefix`: Redis and this run's key prefix; keys under it are deleted at the end
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.sql.migrate import upgrade_to_head_async
from tests.support.services import (
    delete_prefixed,
    migrated_database,
    postgres_server,
    redis_key_prefix,
    redis_server,
    sqlite_file_url,
)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_server_url() -> AsyncIterator[str]:
    async with postgres_server() as url:
        yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_url(postgres_server_url: str) -> AsyncIterator[str]:
    async with migrated_database(postgres_server_url) as url:
        yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once; each test gets a copy, which is much faster than migrating again."""
    path = tmp_path_factory.mktemp("sqlite-template") / "gateway.db"
    await upgrade_to_head_async(sqlite_file_url(path))
    return path


@pytest.fixture
def sqlite_url(_sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "gateway.db"
    shutil.copyfile(_sqlite_template, path)
    return sqlite_file_url(path)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def redis_url() -> AsyncIterator[str]:
    async with redis_server() as url:
        yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def redis_prefix(redis_url: str) -> AsyncIterator[str]:
    prefix = redis_key_prefix()
    yield prefix
    await delete_prefixed(redis_url, prefix)
