"""`/api/v1/admin/overrides`: per-customer routing overrides."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from application.admin.overrides import ManageOverrides
from entrypoints.http.admin_auth import admin_guard
from entrypoints.http.schemas.routing import OverrideIn, OverrideOut, override_out, override_spec


class OverridesController(Controller):
    path = "/api/v1/admin/overrides"
    tags = ["Admin: routing"]
    guards = [admin_guard]

    @post(operation_id="CreateOverride")
    @inject
    async def create(self, data: JSONBody[OverrideIn], *, overrides: FromDishka[ManageOverrides]) -> OverrideOut:
        return override_out(await overrides.create(override_spec(data)))

    @get(operation_id="ListOverrides")
    @inject
    async def list_all(
        self, customer_id: FromQuery[str | None] = None, *, overrides: FromDishka[ManageOverrides]
    ) -> list[OverrideOut]:
        return [override_out(o) for o in await overrides.list(customer_id)]

    @get("/{override_id:str}", operation_id="GetOverride")
    @inject
    async def get_one(self, override_id: FromPath[str], *, overrides: FromDishka[ManageOverrides]) -> OverrideOut:
        return override_out(await overrides.get(override_id))

    @put("/{override_id:str}", operation_id="ReplaceOverride")
    @inject
    async def replace(
        self, override_id: FromPath[str], data: JSONBody[OverrideIn], *, overrides: FromDishka[ManageOverrides]
    ) -> OverrideOut:
        return override_out(await overrides.update(override_id, override_spec(data)))

    @delete("/{override_id:str}", operation_id="DeleteOverride")
    @inject
    async def remove(self, override_id: FromPath[str], *, overrides: FromDishka[ManageOverrides]) -> None:
        await overrides.delete(override_id)
