from __future__ import annotations

from datetime import timedelta

import pytest
from tests.integration.sql import factories as make

from adapters.sql.api_keys import SqlApiKeyRepository
from adapters.sql.tenants import SqlTenantRepository
from domain.errors import ConflictError, NotFoundError

pytestmark = pytest.mark.integration


async def test_tenant_round_trips_when_added(tenants: SqlTenantRepository) -> None:
    tenant = make.tenant("acme", enabled=False, allowed_models=("smart", "gpt-4o"))

    assert await tenants.add(tenant) == tenant
    assert await tenants.get(tenant.id) == tenant
    assert await tenants.list() == [tenant]


async def test_tenants_list_by_name(tenants: SqlTenantRepository) -> None:
    for name in ("zeta", "alpha", "mid"):
        await tenants.add(make.tenant(name))

    assert [t.name for t in await tenants.list()] == ["alpha", "mid", "zeta"]


async def test_update_replaces_fields_when_tenant_exists(tenants: SqlTenantRepository) -> None:
    tenant = await tenants.add(make.tenant("acme"))
    changed = make.tenant("acme-2", id=tenant.id, enabled=False, allowed_models=("smart",))

    assert await tenants.update(changed) == changed
    assert await tenants.get(tenant.id) == changed


async def test_add_raises_conflict_when_name_or_id_taken(tenants: SqlTenantRepository) -> None:
    first = await tenants.add(make.tenant("acme"))

    with pytest.raises(ConflictError, match="Tenant 'acme' already exists"):
        await tenants.add(make.tenant("acme"))
    with pytest.raises(ConflictError, match="already exists"):
        await tenants.add(make.tenant("other", id=first.id))
    assert await tenants.list() == [first]


async def test_update_raises_conflict_when_renamed_to_taken_name(tenants: SqlTenantRepository) -> None:
    await tenants.add(make.tenant("acme"))
    other = await tenants.add(make.tenant("other"))

    with pytest.raises(ConflictError, match="Tenant 'acme' already exists"):
        await tenants.update(make.tenant("acme", id=other.id))
    assert await tenants.get(other.id) == other


async def test_methods_raise_not_found_when_tenant_missing(tenants: SqlTenantRepository) -> None:
    with pytest.raises(NotFoundError, match="Tenant 'nope' not found"):
        await tenants.get("nope")
    with pytest.raises(NotFoundError, match="Tenant 'nope' not found"):
        await tenants.update(make.tenant("x", id="nope"))
    with pytest.raises(NotFoundError, match="Tenant 'nope' not found"):
        await tenants.delete("nope")


async def test_delete_removes_tenant_and_its_keys(tenants: SqlTenantRepository, keys: SqlApiKeyRepository) -> None:
    doomed, kept = await tenants.add(make.tenant("doomed")), await tenants.add(make.tenant("kept"))
    await keys.add(make.api_key(doomed.id))
    kept_key = await keys.add(make.api_key(kept.id))

    await tenants.delete(doomed.id)

    assert await tenants.list() == [kept]
    assert await keys.list_for_tenant(doomed.id) == []
    assert await keys.list_for_tenant(kept.id) == [kept_key]


async def test_keys_round_trip_oldest_first(tenants: SqlTenantRepository, keys: SqlApiKeyRepository) -> None:
    tenant = await tenants.add(make.tenant())
    newer = make.api_key(tenant.id, created_at=make.T0 + timedelta(hours=1), name=None)
    older = make.api_key(tenant.id)

    assert await keys.add(newer) == newer
    assert await keys.add(older) == older
    assert await keys.list_for_tenant(tenant.id) == [older, newer]


async def test_key_add_raises_not_found_when_tenant_missing(keys: SqlApiKeyRepository) -> None:
    with pytest.raises(NotFoundError, match="Tenant 'ghost' not found"):
        await keys.add(make.api_key("ghost"))


async def test_key_add_raises_conflict_when_hash_exists(
    tenants: SqlTenantRepository, keys: SqlApiKeyRepository
) -> None:
    tenant = await tenants.add(make.tenant())
    await keys.add(make.api_key(tenant.id, secret="lgw-same"))

    with pytest.raises(ConflictError):
        await keys.add(make.api_key(tenant.id, secret="lgw-same"))


async def test_revoke_keeps_first_time_when_repeated(tenants: SqlTenantRepository, keys: SqlApiKeyRepository) -> None:
    tenant = await tenants.add(make.tenant())
    key = await keys.add(make.api_key(tenant.id))
    first, later = make.T0 + timedelta(days=1), make.T0 + timedelta(days=2)

    revoked = await keys.revoke(tenant.id, key.id, first)
    again = await keys.revoke(tenant.id, key.id, later)

    assert revoked.revoked_at == first
    assert not revoked.active
    assert again == revoked
    assert await keys.list_for_tenant(tenant.id) == [revoked]


async def test_revoke_raises_not_found_when_key_of_other_tenant(
    tenants: SqlTenantRepository, keys: SqlApiKeyRepository
) -> None:
    owner, other = await tenants.add(make.tenant("owner")), await tenants.add(make.tenant("other"))
    key = await keys.add(make.api_key(owner.id))

    with pytest.raises(NotFoundError, match=f"API key '{key.id}' not found"):
        await keys.revoke(other.id, key.id, make.T0)
    assert (await keys.list_for_tenant(owner.id))[0].active
