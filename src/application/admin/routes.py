"""Model aliases and their ordered fallback targets."""

from __future__ import annotations

from application.catalog import LiveCatalog
from application.ports.admin import ProviderRepository, RouteRepository
from application.ports.overrides import OverrideRepository
from application.ports.system import IdFactory
from domain.catalog import Route, Target
from domain.errors import ConflictError, InvalidRequestError


class ManageRoutes:
    """An alias a customer override sends traffic to can be neither deleted nor renamed (409)."""

    def __init__(
        self,
        routes: RouteRepository,
        providers: ProviderRepository,
        overrides: OverrideRepository,
        catalog: LiveCatalog,
        ids: IdFactory,
    ) -> None:
        self._routes, self._providers, self._overrides = routes, providers, overrides
        self._catalog, self._ids = catalog, ids

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
        current = await self._routes.get(route_id)
        if alias.strip() != current.alias:
            await self._refuse_if_overridden(current.alias, "renamed")
        updated = await self._routes.update(await self._validated(route_id, alias, targets, description))
        await self._catalog.refresh()
        return updated

    async def delete(self, route_id: str) -> None:
        await self._refuse_if_overridden((await self._routes.get(route_id)).alias, "deleted")
        await self._routes.delete(route_id)
        await self._catalog.refresh()

    async def _refuse_if_overridden(self, alias: str, change: str) -> None:
        users = [o.id for o in await self._overrides.list() if o.alias == alias]
        if users:
            raise ConflictError(f"Route '{alias}' is used by overrides {', '.join(users)} and cannot be {change}")

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
