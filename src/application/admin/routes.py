"""Model aliases and their ordered fallback targets."""

from __future__ import annotations

from application.catalog import LiveCatalog
from application.ports.admin import ProviderRepository, RouteRepository
from application.ports.system import IdFactory
from domain.catalog import Route, Target
from domain.errors import InvalidRequestError


class ManageRoutes:
    def __init__(
        self,
        routes: RouteRepository,
        providers: ProviderRepository,
        catalog: LiveCatalog,
        ids: IdFactory,
    ) -> None:
        self._routes, self._providers, self._catalog, self._ids = routes, providers, catalog, ids

    async def create(self, alias: str, targets: tuple[Target, ...], description: str | None) -> Route:
        route = await self._validated(self._ids.new_id(), alias, targets, description)
        created = await self._routes.add(route)
        await self._catalog.refresh()
        return created

    async def list(self) -> list[Route]:
        return await self._routes.list()

    async def get(self, route_id: str) -> Route:
        return await self._routes.get(route_id)

    async def update(self, route_id: str, alias: str, targets: tuple[Target, ...], description: str | None) -> Route:
        await self._routes.get(route_id)
        updated = await self._routes.update(await self._validated(route_id, alias, targets, description))
        await self._catalog.refresh()
        return updated

    async def delete(self, route_id: str) -> None:
        await self._routes.delete(route_id)
        await self._catalog.refresh()

    async def _validated(
        self, route_id: str, alias: str, targets: tuple[Target, ...], description: str | None
    ) -> Route:
        alias = alias.strip()
        if not alias or any(c.isspace() for c in alias):
            raise InvalidRequestError("alias must be non-empty and contain no spaces", param="alias")
        if not targets:
            raise InvalidRequestError("a route needs at least one target", param="targets")
        known = {p.name for p in await self._providers.list()}
        for i, target in enumerate(targets):
            if target.provider not in known:
                raise InvalidRequestError(f"Unknown provider '{target.provider}'", param=f"targets[{i}].provider")
            if not target.model.strip():
                raise InvalidRequestError("model must not be empty", param=f"targets[{i}].model")
        return Route(id=route_id, alias=alias, targets=targets, description=description)
