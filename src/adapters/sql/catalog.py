"""The catalog as one snapshot, and the cheap version token the refresher polls."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.mappers import (
    api_key_from_row,
    override_from_row,
    provider_from_row,
    route_from_row,
    tenant_from_row,
)
from adapters.sql.models import ApiKeyRow, OverrideRow, ProviderRow, RouteRow, TenantRow
from adapters.sql.revision import read_revision
from application.ports.catalog import CatalogSnapshot, CatalogSource
from application.ports.system import SecretBox
from domain.catalog import Override


class SqlCatalogSource(CatalogSource):
    def __init__(self, sessions: async_sessionmaker[AsyncSession], box: SecretBox) -> None:
        self._sessions = sessions
        self._box = box

    async def version(self) -> str:
        async with self._sessions() as session:
            return await read_revision(session)

    async def load(self) -> CatalogSnapshot:
        """Reads the revision before the tables: a write landing mid-load makes the snapshot's version
        older than its data, so the next `version()` differs and the refresher loads again.
        On Postgres the whole load also runs in one REPEATABLE READ snapshot."""
        async with self._sessions() as session:
            if session.get_bind().dialect.name == "postgresql":
                await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            version = await read_revision(session)
            providers = [provider_from_row(row, self._box) for row in await session.scalars(select(ProviderRow))]
            routes = [route_from_row(row) for row in await session.scalars(select(RouteRow))]
            tenants = [tenant_from_row(row) for row in await session.scalars(select(TenantRow))]
            keys = await session.scalars(select(ApiKeyRow).where(ApiKeyRow.revoked_at.is_(None)))
            overrides = await session.scalars(select(OverrideRow).order_by(OverrideRow.customer_id, OverrideRow.id))
            return CatalogSnapshot(
                providers={p.name: p for p in providers},
                routes={r.alias: r for r in routes},
                tenants={t.id: t for t in tenants},
                keys_by_hash={k.key_hash: k for k in map(api_key_from_row, keys)},
                overrides=_by_customer(map(override_from_row, overrides)),
                version=version,
            )


def _by_customer(overrides: Iterable[Override]) -> dict[str, tuple[Override, ...]]:
    grouped: dict[str, list[Override]] = {}
    for override in overrides:
        grouped.setdefault(override.customer_id, []).append(override)
    return {customer: tuple(found) for customer, found in grouped.items()}
