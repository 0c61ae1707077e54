"""`/api/v1/admin/routes`: model aliases and their ordered fallback targets."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from application.admin.routes import ManageRoutes
from entrypoints.http.admin_auth import admin_guard
from entrypoints.http.schemas.admin import RouteIn, RouteOut, route_out, targets_from


class RoutesController(Controller):
    path = "/api/v1/admin/routes"
    tags = ["Admin: routes"]
    guards = [admin_guard]

    @post(operation_id="CreateRoute")
    @inject
    async def create(self, data: JSONBody[RouteIn], *, routes: FromDishka[ManageRoutes]) -> RouteOut:
        return route_out(await routes.create(data.alias, targets_from(data), data.description))

    @get(operation_id="ListRoutes")
    @inject
    async def list_all(self, *, routes: FromDishka[ManageRoutes]) -> list[RouteOut]:
        return [route_out(r) for r in await routes.list()]

    @get("/{route_id:str}", operation_id="GetRoute")
    @inject
    async def get_one(self, route_id: FromPath[str], *, routes: FromDishka[ManageRoutes]) -> RouteOut:
        return route_out(await routes.get(route_id))

    @put("/{route_id:str}", operation_id="ReplaceRoute")
    @inject
    async def replace(
        self, route_id: FromPath[str], data: JSONBody[RouteIn], *, routes: FromDishka[ManageRoutes]
    ) -> RouteOut:
        return route_out(await routes.update(route_id, data.alias, targets_from(data), data.description))

    @delete("/{route_id:str}", operation_id="DeleteRoute")
    @inject
    async def remove(self, route_id: FromPath[str], *, routes: FromDishka[ManageRoutes]) -> None:
        await routes.delete(route_id)
