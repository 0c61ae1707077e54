"""Start-up seeding: the demo set for newcomers, and vendors whose keys are in the environment."""

from __future__ import annotations

from collections.abc import Mapping

from application.admin.providers import ManageProviders
from application.admin.routes import ManageRoutes
from application.admin.tenants import ManageTenants
from domain.catalog import Provider, ProviderKind, Target

DEMO_PROVIDER, DEMO_MODEL, DEMO_ALIAS, DEMO_TENANT = "mock", "mock-1", "demo", "demo"

# Models registered with a vendor found in the environment; edit them through the admin API.
DEFAULT_MODELS: Mapping[ProviderKind, tuple[str, ...]] = {
    ProviderKind.OPENAI: ("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o4-mini"),
    ProviderKind.ANTHROPIC: ("claude-opus-4-1", "claude-sonnet-4-5", "claude-haiku-4-5"),
    ProviderKind.GEMINI: ("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"),
    ProviderKind.MISTRAL: ("mistral-large-latest", "mistral-medium-latest", "mistral-small-latest"),
    ProviderKind.TOGETHER: (
        "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
    ),
}


class BootstrapCatalog:
    def __init__(self, tenants: ManageTenants, providers: ManageProviders, routes: ManageRoutes) -> None:
        self._tenants, self._providers, self._routes = tenants, providers, routes

    async def seed_demo(self) -> str | None:
        """On an empty catalog: the mock provider, a `demo` alias and a `demo` tenant.
        Returns the demo tenant's key, or None when the catalog was not empty."""
        if await self._tenants.list() or await self._providers.list():
            return None
        await self._providers.create(Provider(id="", name=DEMO_PROVIDER, kind=ProviderKind.MOCK, models=(DEMO_MODEL,)))
        await self._routes.create(
            DEMO_ALIAS, (Target(provider=DEMO_PROVIDER, model=DEMO_MODEL),), "Demo alias on the mock vendor"
        )
        _, issued = await self._tenants.create(DEMO_TENANT)
        return issued.key

    async def register_vendor_keys(self, keys: Mapping[ProviderKind, str]) -> list[str]:
        """One provider per vendor key found, named after the vendor. An existing provider of that
        name gets the key from the environment if it differs. Returns the names touched."""
        existing = {p.name: p for p in await self._providers.list()}
        touched: list[str] = []
        for kind, key in keys.items():
            current = existing.get(kind.value)
            if current is None:
                models = DEFAULT_MODELS.get(kind, ())
                await self._providers.create(Provider(id="", name=kind.value, kind=kind, api_key=key, models=models))
            elif current.api_key != key:
                await self._providers.update(current.id, api_key=key)
            else:
                continue
            touched.append(kind.value)
        return touched
