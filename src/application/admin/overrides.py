"""Customer routing overrides: what an admin sets, checked against the routes and providers that exist."""

from __future__ import annotations

from dataclasses import dataclass

from application.catalog import LiveCatalog
from application.ports.admin import ProviderRepository, RouteRepository
from application.ports.overrides import OverrideRepository
from application.ports.system import IdFactory
from domain.catalog import Override, Target
from domain.errors import InvalidRequestError


@dataclass(frozen=True, slots=True, kw_only=True)
class OverrideSpec:
    customer_id: str
    service: str | None = None
    model: str | None = None
    alias: str | None = None
    target: Target | None = None
    description: str | None = None


class ManageOverrides:
    def __init__(
        self,
        overrides: OverrideRepository,
        routes: RouteRepository,
        providers: ProviderRepository,
        catalog: LiveCatalog,
        ids: IdFactory,
    ) -> None:
        self._overrides, self._routes, self._providers = overrides, routes, providers
        self._catalog, self._ids = catalog, ids

    async def create(self, spec: OverrideSpec) -> Override:
        created = await self._overrides.add(await self._validated(self._ids.new_id(), spec))
        await self._catalog.refresh()
        return created

    async def list(self, customer_id: str | None = None) -> list[Override]:
        return await self._overrides.list(customer_id)

    async def get(self, override_id: str) -> Override:
        return await self._overrides.get(override_id)

    async def update(self, override_id: str, spec: OverrideSpec) -> Override:
        await self._overrides.get(override_id)
        updated = await self._overrides.update(await self._validated(override_id, spec))
        await self._catalog.refresh()
        return updated

    async def delete(self, override_id: str) -> None:
        await self._overrides.delete(override_id)
        await self._catalog.refresh()

    async def _validated(self, override_id: str, spec: OverrideSpec) -> Override:
        """The destination must exist: an alias with a route, or a provider that serves the model."""
        customer_id = spec.customer_id.strip()
        if not customer_id:
            raise InvalidRequestError("customer_id must not be empty", param="customer_id")
        if (spec.alias is None) == (spec.target is None):
            raise InvalidRequestError("give exactly one of alias or target", param="alias")
        if spec.alias is not None and spec.alias not in {r.alias for r in await self._routes.list()}:
            raise InvalidRequestError(f"Unknown alias '{spec.alias}'", param="alias")
        if spec.target is not None:
            provider = await self._providers.get_by_name(spec.target.provider)
            if provider is None:
                raise InvalidRequestError(f"Unknown provider '{spec.target.provider}'", param="target.provider")
            if not provider.serves(spec.target.model):
                raise InvalidRequestError(
                    f"Provider '{provider.name}' does not list model '{spec.target.model}'", param="target.model"
                )
        return Override(
            id=override_id,
            customer_id=customer_id,
            service=spec.service or None,
            model=spec.model or None,
            alias=spec.alias,
            target=spec.target,
            description=spec.description,
        )
