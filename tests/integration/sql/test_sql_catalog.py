from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import msgspec
import pytest
from tests.integration.sql import factories as make

from adapters.sql.api_keys import SqlApiKeyRepository
from adapters.sql.catalog import SqlCatalogSource
from adapters.sql.providers import SqlProviderRepository
from adapters.sql.routes import SqlRouteRepository
from adapters.sql.tenants import SqlTenantRepository
from domain.errors import GatewayError

pytestmark = pytest.mark.integration


async def test_version_moves_once_on_every_catalog_write(
    catalog: SqlCatalogSource,
    tenants: SqlTenantRepository,
    keys: SqlApiKeyRepository,
    providers: SqlProviderRepository,
    routes: SqlRouteRepository,
) -> None:
    tenant, provider, route = make.tenant(), make.provider(), make.route()
    key = make.api_key(tenant.id)
    writes: list[Callable[[], Awaitable[object]]] = [
        lambda: tenants.add(tenant),
        lambda: tenants.update(msgspec.structs.replace(tenant, enabled=False)),
        lambda: keys.add(key),
        lambda: keys.revoke(tenant.id, key.id, make.T0),
        lambda: providers.add(provider),
        lambda: providers.update(msgspec.structs.replace(provider, priority=9)),
        lambda: routes.add(route),
        lambda: routes.update(msgspec.structs.replace(route, description="changed")),
        lambda: routes.delete(route.id),
        lambda: providers.delete(provider.id),
        lambda: tenants.delete(tenant.id),
    ]
    for write in writes:
        before = int(await catalog.version())
        await write()
        assert int(await catalog.version()) == before + 1


async def test_version_stays_when_a_write_fails(
    catalog: SqlCatalogSource, tenants: SqlTenantRepository, providers: SqlProviderRepository
) -> None:
    await tenants.add(make.tenant("acme"))
    before = await catalog.version()
    failing: list[Callable[[], Awaitable[object]]] = [
        lambda: tenants.add(make.tenant("acme")),
        lambda: tenants.update(make.tenant(id="missing")),
        lambda: providers.delete("missing"),
    ]
    for write in failing:
        with pytest.raises(GatewayError):
            await write()

    assert await catalog.version() == before


async def test_load_reads_whole_catalog_with_active_keys_only(
    catalog: SqlCatalogSource,
    tenants: SqlTenantRepository,
    keys: SqlApiKeyRepository,
    providers: SqlProviderRepository,
    routes: SqlRouteRepository,
) -> None:
    enabled, disabled = (
        await tenants.add(make.tenant("on")),
        await tenants.add(make.tenant("off", enabled=False)),
    )
    active = await keys.add(make.api_key(enabled.id))
    of_disabled = await keys.add(make.api_key(disabled.id))
    revoked = await keys.add(make.api_key(enabled.id))
    await keys.revoke(enabled.id, revoked.id, make.T0 + timedelta(days=1))
    openai = await providers.add(make.provider("openai", api_key="sk-openai-secret"))
    mock = await providers.add(make.provider("mock", api_key=None, enabled=False))
    route = await routes.add(make.route("smart"))

    snapshot = await catalog.load()

    assert snapshot.providers == {"openai": openai, "mock": mock}
    assert snapshot.providers["openai"].api_key == "sk-openai-secret"
    assert snapshot.routes == {"smart": route}
    assert snapshot.tenants == {enabled.id: enabled, disabled.id: disabled}
    assert snapshot.keys_by_hash == {active.key_hash: active, of_disabled.key_hash: of_disabled}
    assert snapshot.version == await catalog.version()


async def test_load_is_empty_when_catalog_empty(catalog: SqlCatalogSource) -> None:
    snapshot = await catalog.load()

    assert (snapshot.providers, snapshot.routes, snapshot.tenants, snapshot.keys_by_hash) == ({}, {}, {}, {})
    assert snapshot.version.isdigit()
