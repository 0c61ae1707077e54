"""Metric labels from a usage record, bounded by the catalog: never a raw string a client sent."""

from __future__ import annotations

from application.catalog import LiveCatalog
from application.ports.metrics import UsageLabels
from domain.usage import UsageRecord

NONE = "none"  # the record has no such field (no vendor was called, no tenant authenticated)
OTHER = "other"  # a value the catalog does not know (a deleted tenant, a model no route names)


class UsageLabeller:
    def __init__(self, catalog: LiveCatalog) -> None:
        self._catalog = catalog

    def labels(self, record: UsageRecord) -> UsageLabels:
        snapshot = self._catalog.snapshot
        tenant = snapshot.tenants.get(record.tenant_id) if record.tenant_id else None
        provider = snapshot.providers.get(record.provider) if record.provider else None
        return UsageLabels(
            tenant=tenant.name if tenant else (OTHER if record.tenant_id else NONE),
            provider=provider.name if provider else (OTHER if record.provider else NONE),
            model=self._model(record) if provider else (OTHER if record.model else NONE),
        )

    def _model(self, record: UsageRecord) -> str:
        if record.model is None:
            return NONE
        snapshot = self._catalog.snapshot
        provider = snapshot.providers[record.provider or ""]
        if provider.serves(record.model):
            return record.model
        routed = any(
            t.provider == provider.name and t.model == record.model
            for route in snapshot.routes.values()
            for t in route.targets
        )
        return record.model if routed else OTHER
