"""The models a tenant may call: `GET /v1/models`."""

from __future__ import annotations

from application.catalog import LiveCatalog
from domain.catalog import Tenant
from domain.routing import callable_models


class ListModels:
    def __init__(self, catalog: LiveCatalog) -> None:
        self._catalog = catalog

    def execute(self, tenant: Tenant) -> list[str]:
        snapshot = self._catalog.snapshot
        names = callable_models(snapshot.routes, snapshot.providers.values())
        return [n for n in names if tenant.may_use(n)]
