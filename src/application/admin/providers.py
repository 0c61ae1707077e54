"""Vendor accounts. Keys go to the repository, which keeps them encrypted."""

from __future__ import annotations

import msgspec

from application.catalog import LiveCatalog
from application.ports.admin import ProviderRepository, RouteRepository
from application.ports.llm import LlmProviderFactory
from application.ports.network import HostResolver
from application.ports.overrides import OverrideRepository
from application.ports.system import Clock, IdFactory
from domain.catalog import Provider
from domain.errors import ConflictError, InvalidRequestError
from domain.upstream import UpstreamAllowList, check_upstream, upstream_host


class ManageProviders:
    def __init__(
        self,
        providers: ProviderRepository,
        routes: RouteRepository,
        overrides: OverrideRepository,
        factory: LlmProviderFactory,
        catalog: LiveCatalog,
        ids: IdFactory,
        clock: Clock,
        resolver: HostResolver,
        allow_list: UpstreamAllowList,
    ) -> None:
        self._providers, self._routes, self._factory = providers, routes, factory
        self._overrides = overrides
        self._catalog, self._ids, self._clock = catalog, ids, clock
        self._resolver, self._allow_list = resolver, allow_list

    async def create(self, provider: Provider) -> Provider:
        provider = msgspec.structs.replace(provider, id=self._ids.new_id(), updated_at=self._clock.now())
        await self._validate(provider)
        created = await self._providers.add(provider)
        await self._catalog.refresh()
        return created

    async def list(self) -> list[Provider]:
        return await self._providers.list()

    async def get(self, provider_id: str) -> Provider:
        return await self._providers.get(provider_id)

    async def update(self, provider_id: str, **changes: object) -> Provider:
        current = await self._providers.get(provider_id)
        provider = msgspec.structs.replace(current, **changes, updated_at=self._clock.now())
        await self._validate(provider)
        if provider.name != current.name:
            await self._refuse_if_routed(current.name, "renamed")
        updated = await self._providers.update(provider)
        await self._catalog.refresh()
        return updated

    async def delete(self, provider_id: str) -> None:
        provider = await self._providers.get(provider_id)
        await self._refuse_if_routed(provider.name, "deleted")
        await self._providers.delete(provider_id)
        await self._catalog.refresh()

    async def _validate(self, provider: Provider) -> None:
        if not provider.name.strip() or "/" in provider.name:
            raise InvalidRequestError("name must be non-empty and contain no '/'", param="name")
        if provider.timeout_s <= 0 or provider.timeout_s > 600:
            raise InvalidRequestError("timeout_s must be in (0, 600]", param="timeout_s")
        if provider.base_url:
            host = upstream_host(provider.base_url)
            check_upstream(host, await self._resolver.resolve(host), self._allow_list)
        adapter = self._factory.create(provider)  # refuses kinds and settings it cannot serve
        await adapter.aclose()

    async def _refuse_if_routed(self, name: str, action: str) -> None:
        routes = [r.alias for r in await self._routes.list() if any(t.provider == name for t in r.targets)]
        if routes:
            raise ConflictError(f"Provider '{name}' cannot be {action}: routes {', '.join(sorted(routes))} use it")
        pinned = [o.id for o in await self._overrides.list() if o.target is not None and o.target.provider == name]
        if pinned:
            raise ConflictError(f"Provider '{name}' cannot be {action}: overrides {', '.join(sorted(pinned))} pin it")
