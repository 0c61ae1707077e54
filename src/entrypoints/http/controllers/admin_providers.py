"""`/api/v1/admin/providers`: vendor accounts. Keys are write-only and stored encrypted."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from application.admin.provider_test import TestProvider
from application.admin.providers import ManageProviders
from entrypoints.http.admin_auth import admin_guard
from entrypoints.http.schemas.admin import (
    ProviderIn,
    ProviderOut,
    ProviderPatch,
    changes,
    provider_from,
    provider_out,
)
from entrypoints.http.schemas.provider_test import ProviderTestIn, ProviderTestOut


class ProvidersController(Controller):
    path = "/api/v1/admin/providers"
    tags = ["Admin: providers"]
    guards = [admin_guard]

    @post(operation_id="CreateProvider")
    @inject
    async def create(self, data: JSONBody[ProviderIn], *, providers: FromDishka[ManageProviders]) -> ProviderOut:
        return provider_out(await providers.create(provider_from(data)))

    @get(operation_id="ListProviders")
    @inject
    async def list_all(self, *, providers: FromDishka[ManageProviders]) -> list[ProviderOut]:
        return [provider_out(p) for p in await providers.list()]

    @get("/{provider_id:str}", operation_id="GetProvider")
    @inject
    async def get_one(self, provider_id: FromPath[str], *, providers: FromDishka[ManageProviders]) -> ProviderOut:
        return provider_out(await providers.get(provider_id))

    @patch("/{provider_id:str}", operation_id="UpdateProvider")
    @inject
    async def update(
        self, provider_id: FromPath[str], data: JSONBody[ProviderPatch], *, providers: FromDishka[ManageProviders]
    ) -> ProviderOut:
        return provider_out(await providers.update(provider_id, **changes(data)))

    @delete("/{provider_id:str}", operation_id="DeleteProvider", summary="Refused while a route uses it")
    @inject
    async def remove(self, provider_id: FromPath[str], *, providers: FromDishka[ManageProviders]) -> None:
        await providers.delete(provider_id)

    @post(
        "/{provider_id:str}/test",
        operation_id="TestProvider",
        status_code=200,
        summary="Send a one-token request; report ok, latency or the classified error",
    )
    @inject
    async def test(
        self,
        provider_id: FromPath[str],
        data: JSONBody[ProviderTestIn | None] = None,
        *,
        tester: FromDishka[TestProvider],
    ) -> ProviderTestOut:
        result = await tester.execute(provider_id, data.model if data else None)
        return ProviderTestOut(
            ok=result.ok,
            model=result.model,
            latency_ms=result.latency_ms,
            error_kind=result.error_kind,
            error_message=result.error_message,
            status=result.status,
        )
