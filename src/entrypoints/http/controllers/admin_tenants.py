"""`/api/v1/admin/tenants`: tenants and their keys."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from application.admin.tenants import IssuedKey, ManageTenants
from entrypoints.http.admin_auth import admin_guard
from entrypoints.http.schemas.admin import (
    IssuedKeyOut,
    KeyIn,
    KeyOut,
    TenantCreated,
    TenantIn,
    TenantOut,
    TenantPatch,
    changes,
    key_out,
    tenant_out,
)


def _issued(issued: IssuedKey) -> IssuedKeyOut:
    return IssuedKeyOut(key=issued.key, key_info=key_out(issued.record))


class TenantsController(Controller):
    path = "/api/v1/admin/tenants"
    tags = ["Admin: tenants"]
    guards = [admin_guard]

    @post(operation_id="CreateTenant", summary="Create a tenant with its first API key (shown once)")
    @inject
    async def create(self, data: JSONBody[TenantIn], *, tenants: FromDishka[ManageTenants]) -> TenantCreated:
        tenant, issued = await tenants.create(
            data.name, allowed_models=tuple(data.allowed_models), enabled=data.enabled
        )
        return TenantCreated(tenant=tenant_out(tenant), api_key=_issued(issued))

    @get(operation_id="ListTenants")
    @inject
    async def list_all(self, *, tenants: FromDishka[ManageTenants]) -> list[TenantOut]:
        return [tenant_out(t) for t in await tenants.list()]

    @get("/{tenant_id:str}", operation_id="GetTenant")
    @inject
    async def get_one(self, tenant_id: FromPath[str], *, tenants: FromDishka[ManageTenants]) -> TenantOut:
        return tenant_out(await tenants.get(tenant_id))

    @patch("/{tenant_id:str}", operation_id="UpdateTenant", summary="Rename, enable/disable, limit models")
    @inject
    async def update(
        self, tenant_id: FromPath[str], data: JSONBody[TenantPatch], *, tenants: FromDishka[ManageTenants]
    ) -> TenantOut:
        return tenant_out(await tenants.update(tenant_id, **changes(data)))

    @delete("/{tenant_id:str}", operation_id="DeleteTenant", summary="Delete a tenant and its keys")
    @inject
    async def remove(self, tenant_id: FromPath[str], *, tenants: FromDishka[ManageTenants]) -> None:
        await tenants.delete(tenant_id)

    @get("/{tenant_id:str}/keys", operation_id="ListTenantKeys")
    @inject
    async def list_keys(self, tenant_id: FromPath[str], *, tenants: FromDishka[ManageTenants]) -> list[KeyOut]:
        return [key_out(k) for k in await tenants.list_keys(tenant_id)]

    @post("/{tenant_id:str}/keys", operation_id="IssueTenantKey", summary="Issue another key (shown once)")
    @inject
    async def issue_key(
        self, tenant_id: FromPath[str], data: JSONBody[KeyIn | None] = None, *, tenants: FromDishka[ManageTenants]
    ) -> IssuedKeyOut:
        return _issued(await tenants.issue_key(tenant_id, data.name if data else None))

    @post(
        "/{tenant_id:str}/keys/{key_id:str}/rotate",
        operation_id="RotateTenantKey",
        summary="Issue a replacement key and revoke this one at once",
    )
    @inject
    async def rotate_key(
        self, tenant_id: FromPath[str], key_id: FromPath[str], *, tenants: FromDishka[ManageTenants]
    ) -> IssuedKeyOut:
        return _issued(await tenants.rotate_key(tenant_id, key_id))

    @post(
        "/{tenant_id:str}/keys/{key_id:str}/revoke",
        operation_id="RevokeTenantKey",
        status_code=200,
        summary="Revoke a key: it stops working at once",
    )
    @inject
    async def revoke_key(
        self, tenant_id: FromPath[str], key_id: FromPath[str], *, tenants: FromDishka[ManageTenants]
    ) -> KeyOut:
        return key_out(await tenants.revoke_key(tenant_id, key_id))
