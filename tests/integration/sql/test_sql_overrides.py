from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.catalog import SqlCatalogSource
from adapters.sql.models import OverrideRow
from adapters.sql.overrides import SqlOverrideRepository
from adapters.sql.routes import SqlRouteRepository
from domain.catalog import Override, Route, Target
from domain.errors import ConflictError, NotFoundError

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def overrides(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[SqlOverrideRepository]:
    async with sessions.begin() as session:  # the shared Postgres database is not emptied of these
        await session.execute(delete(OverrideRow))
    yield SqlOverrideRepository(sessions)


def override(oid: str, customer: str = "c1", service: str | None = None, model: str | None = None) -> Override:
    target = Target(provider="openai", model="gpt-x") if oid.endswith("t") else None
    return Override(
        id=oid, customer_id=customer, service=service, model=model, alias=None if target else "fast", target=target
    )


async def test_overrides_round_trip_with_alias_or_target(overrides: SqlOverrideRepository) -> None:
    by_alias, by_target = override("o1"), override("o2t", service="billing", model="fast")

    assert await overrides.add(by_alias) == by_alias
    await overrides.add(by_target)
    assert await overrides.get("o2t") == by_target
    assert await overrides.list() == [by_alias, by_target]  # "any" service sorts first


async def test_list_filters_by_customer(overrides: SqlOverrideRepository) -> None:
    mine, theirs = override("o1"), override("o2", customer="c2")
    for o in (mine, theirs):
        await overrides.add(o)

    assert await overrides.list("c2") == [theirs]


@pytest.mark.parametrize(("service", "model"), [(None, None), ("billing", None), (None, "fast"), ("billing", "fast")])
async def test_one_override_per_customer_service_and_model(
    overrides: SqlOverrideRepository, service: str | None, model: str | None
) -> None:
    await overrides.add(override("o1", service=service, model=model))

    with pytest.raises(ConflictError, match="already has an override"):
        await overrides.add(override("o2", service=service, model=model))


async def test_update_and_delete(overrides: SqlOverrideRepository) -> None:
    await overrides.add(override("o1"))
    changed = Override(id="o1", customer_id="c1", service="search", target=Target(provider="openai", model="gpt-x"))

    assert await overrides.update(changed) == changed
    assert await overrides.get("o1") == changed
    await overrides.delete("o1")
    with pytest.raises(NotFoundError):
        await overrides.get("o1")
    with pytest.raises(NotFoundError):
        await overrides.update(changed)
    with pytest.raises(NotFoundError):
        await overrides.delete("o1")


async def test_writes_move_the_catalog_version_and_load_into_the_snapshot(
    overrides: SqlOverrideRepository, routes: SqlRouteRepository, catalog: SqlCatalogSource
) -> None:
    await routes.add(Route(id="r1", alias="fast", targets=(Target(provider="openai", model="m"),)))
    before = await catalog.version()
    first, second, other = override("o1"), override("o2t", service="billing"), override("o3", customer="c2")
    for o in (first, second, other):
        await overrides.add(o)

    snapshot = await catalog.load()
    assert snapshot.version != before
    assert snapshot.overrides == {"c1": (first, second), "c2": (other,)}
