"""Tenants and their API keys. A key is shown once, when issued; only its hash is kept."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from application.catalog import LiveCatalog
from application.ports.admin import ApiKeyRepository, TenantRepository
from application.ports.system import Clock, IdFactory
from domain.catalog import ApiKeyRecord, Tenant
from domain.errors import InvalidRequestError, NotFoundError
from domain.keys import hash_key, shown_prefix


@dataclass(frozen=True, slots=True)
class IssuedKey:
    record: ApiKeyRecord
    key: str  # the plaintext, returned this once


class ManageTenants:
    def __init__(
        self,
        tenants: TenantRepository,
        keys: ApiKeyRepository,
        catalog: LiveCatalog,
        ids: IdFactory,
        clock: Clock,
    ) -> None:
        self._tenants, self._keys, self._catalog = tenants, keys, catalog
        self._ids, self._clock = ids, clock

    async def create(
        self, name: str, *, allowed_models: tuple[str, ...] = (), enabled: bool = True
    ) -> tuple[Tenant, IssuedKey]:
        """A new tenant with its first key."""
        name = name.strip()
        if not name:
            raise InvalidRequestError("name must not be empty", param="name")
        tenant = await self._tenants.add(
            Tenant(id=self._ids.new_id(), name=name, enabled=enabled, allowed_models=allowed_models)
        )
        issued = await self._issue(tenant.id, "default")
        await self._catalog.refresh()
        return tenant, issued

    async def list(self) -> list[Tenant]:
        return await self._tenants.list()

    async def get(self, tenant_id: str) -> Tenant:
        return await self._tenants.get(tenant_id)

    async def update(self, tenant_id: str, **changes: object) -> Tenant:
        tenant = msgspec.structs.replace(await self._tenants.get(tenant_id), **changes)
        if not tenant.name.strip():
            raise InvalidRequestError("name must not be empty", param="name")
        tenant = await self._tenants.update(tenant)
        await self._catalog.refresh()
        return tenant

    async def delete(self, tenant_id: str) -> None:
        await self._tenants.delete(tenant_id)
        await self._catalog.refresh()

    async def list_keys(self, tenant_id: str) -> list[ApiKeyRecord]:
        await self._tenants.get(tenant_id)
        return await self._keys.list_for_tenant(tenant_id)

    async def issue_key(self, tenant_id: str, name: str | None = None) -> IssuedKey:
        await self._tenants.get(tenant_id)
        issued = await self._issue(tenant_id, name)
        await self._catalog.refresh()
        return issued

    async def revoke_key(self, tenant_id: str, key_id: str) -> ApiKeyRecord:
        record = await self._keys.revoke(tenant_id, key_id, self._clock.now())
        await self._catalog.refresh()
        return record

    async def rotate_key(self, tenant_id: str, key_id: str) -> IssuedKey:
        """A new key under the same name; the old one stops working at once."""
        old = next((k for k in await self.list_keys(tenant_id) if k.id == key_id), None)
        if old is None:
            raise NotFoundError(f"Key '{key_id}' not found for tenant '{tenant_id}'")
        issued = await self._issue(tenant_id, old.name)
        await self._keys.revoke(tenant_id, key_id, self._clock.now())
        await self._catalog.refresh()
        return issued

    async def _issue(self, tenant_id: str, name: str | None) -> IssuedKey:
        key = self._ids.new_api_key()
        record = ApiKeyRecord(
            id=self._ids.new_id(),
            tenant_id=tenant_id,
            key_hash=hash_key(key),
            prefix=shown_prefix(key),
            name=name,
            created_at=self._clock.now(),
        )
        return IssuedKey(record=await self._keys.add(record), key=key)
