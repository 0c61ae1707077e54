"""Every SQL test runs on Postgres and on SQLite. On Postgres they share a database of their own (not
`postgres_url`, which other suites' running gateways use) whose tables are emptied before each test;
the revision counter is kept, as tests compare it before and after."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from tests.support.services import migrated_database

from adapters.crypto import FernetSecretBox
from adapters.sql.api_keys import SqlApiKeyRepository
from adapters.sql.catalog import SqlCatalogSource
from adapters.sql.engine import create_engine, create_session_factory
from adapters.sql.providers import SqlProviderRepository
from adapters.sql.routes import SqlRouteRepository
from adapters.sql.tenants import SqlTenantRepository
from adapters.sql.usage import SqlUsageRepository

TRUNCATE = "TRUNCATE tenants, api_keys, providers, routes, usage_records RESTART IDENTITY"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def sql_postgres_url(postgres_server_url: str) -> AsyncIterator[str]:
    async with migrated_database(postgres_server_url) as url:
        yield url


@pytest.fixture(params=["sql_postgres_url", "sqlite_url"], ids=["postgres", "sqlite"])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(request.param)
    return url


@pytest_asyncio.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text(TRUNCATE))
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
def box() -> FernetSecretBox:
    return FernetSecretBox("integration-test-secret")


@pytest.fixture
def tenants(sessions: async_sessionmaker[AsyncSession]) -> SqlTenantRepository:
    return SqlTenantRepository(sessions)


@pytest.fixture
def keys(sessions: async_sessionmaker[AsyncSession]) -> SqlApiKeyRepository:
    return SqlApiKeyRepository(sessions)


@pytest.fixture
def providers(sessions: async_sessionmaker[AsyncSession], box: FernetSecretBox) -> SqlProviderRepository:
    return SqlProviderRepository(sessions, box)


@pytest.fixture
def routes(sessions: async_sessionmaker[AsyncSession]) -> SqlRouteRepository:
    return SqlRouteRepository(sessions)


@pytest.fixture
def catalog(sessions: async_sessionmaker[AsyncSession], box: FernetSecretBox) -> SqlCatalogSource:
    return SqlCatalogSource(sessions, box)


@pytest.fixture
def usage(sessions: async_sessionmaker[AsyncSession]) -> SqlUsageRepository:
    return SqlUsageRepository(sessions)
