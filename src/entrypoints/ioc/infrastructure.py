"""Adapters wired to ports: the only place that knows which technology serves each port."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from dishka import Provider, Scope, from_context, provide
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.crypto import FernetSecretBox
from adapters.dns_resolver import SystemHostResolver
from adapters.llm.factory import SdkLlmProviderFactory
from adapters.no_secret_box import NoSecretBox
from adapters.redis.health import RedisHealthProbe
from adapters.sql.catalog import SqlCatalogSource
from adapters.sql.engine import create_engine, create_session_factory
from adapters.sql.health import SqlHealthProbe
from adapters.sql.repositories import (
    SqlApiKeyRepository,
    SqlProviderRepository,
    SqlRouteRepository,
    SqlTenantRepository,
)
from adapters.sql.usage import SqlUsageRepository
from adapters.system import RandomIdFactory, SystemClock
from application.ports.admin import ApiKeyRepository, ProviderRepository, RouteRepository, TenantRepository
from application.ports.catalog import CatalogSource
from application.ports.llm import LlmProviderFactory
from application.ports.network import HostResolver
from application.ports.system import Clock, HealthProbe, IdFactory, SecretBox
from application.ports.usage import UsageRepository
from domain.upstream import UpstreamAllowList
from entrypoints.settings import Settings


class InfrastructureProvider(Provider):
    scope = Scope.APP

    settings = from_context(provides=Settings, scope=Scope.APP)
    clock = provide(SystemClock, provides=Clock)
    ids = provide(RandomIdFactory, provides=IdFactory)
    llm_factory = provide(SdkLlmProviderFactory, provides=LlmProviderFactory)

    @provide
    def resolver(self) -> HostResolver:
        return SystemHostResolver()

    @provide
    def upstream_allow_list(self, settings: Settings) -> UpstreamAllowList:
        return UpstreamAllowList(settings.allowed_upstream_hosts.split(","))

    @provide
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = create_engine(settings.database_url)
        yield engine
        await engine.dispose()

    @provide
    def session_factory(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return create_session_factory(engine)

    @provide
    def secret_box(self, settings: Settings) -> SecretBox:
        return FernetSecretBox(settings.secret_key) if settings.secret_key else NoSecretBox()

    @provide
    async def redis(self, settings: Settings) -> AsyncIterator[Redis | None]:
        client = Redis.from_url(settings.redis_url) if settings.redis_url else None
        yield client
        if client is not None:
            await client.aclose()

    @provide
    def health_probes(self, engine: AsyncEngine, redis: Redis | None) -> Sequence[HealthProbe]:
        probes: list[HealthProbe] = [SqlHealthProbe(engine)]
        if redis is not None:
            probes.append(RedisHealthProbe(redis))
        return probes

    tenants = provide(SqlTenantRepository, provides=TenantRepository)
    keys = provide(SqlApiKeyRepository, provides=ApiKeyRepository)
    providers = provide(SqlProviderRepository, provides=ProviderRepository)
    routes = provide(SqlRouteRepository, provides=RouteRepository)
    catalog_source = provide(SqlCatalogSource, provides=CatalogSource)
    usage_repository = provide(SqlUsageRepository, provides=UsageRepository)
