from __future__ import annotations

import msgspec
import pytest
from tests.integration.sql import factories as make

from adapters.sql.routes import SqlRouteRepository
from domain.errors import ConflictError, NotFoundError

pytestmark = pytest.mark.integration


async def test_route_round_trips_with_targets_in_order(routes: SqlRouteRepository) -> None:
    route = make.route("smart", ("b", "m2"), ("a", "m1"), ("c", "m3"), description="best first")

    assert await routes.add(route) == route
    assert await routes.get(route.id) == route
    assert await routes.list() == [route]


async def test_routes_list_by_alias(routes: SqlRouteRepository) -> None:
    for alias in ("zeta", "alpha"):
        await routes.add(make.route(alias))

    assert [r.alias for r in await routes.list()] == ["alpha", "zeta"]


async def test_update_replaces_alias_targets_and_description(routes: SqlRouteRepository) -> None:
    route = await routes.add(make.route("smart"))
    changed = make.route("smarter", ("openai", "o4-mini"), id=route.id)

    assert await routes.update(changed) == changed
    assert await routes.get(route.id) == changed


async def test_add_and_update_raise_conflict_when_alias_taken(routes: SqlRouteRepository) -> None:
    await routes.add(make.route("smart"))
    other = await routes.add(make.route("cheap"))

    with pytest.raises(ConflictError, match="Route 'smart' already exists"):
        await routes.add(make.route("smart"))
    with pytest.raises(ConflictError, match="Route 'smart' already exists"):
        await routes.update(msgspec.structs.replace(other, alias="smart"))
    assert await routes.get(other.id) == other


async def test_methods_raise_not_found_when_route_missing(routes: SqlRouteRepository) -> None:
    with pytest.raises(NotFoundError, match="Route 'nope' not found"):
        await routes.get("nope")
    with pytest.raises(NotFoundError, match="Route 'nope' not found"):
        await routes.update(make.route(id="nope"))
    with pytest.raises(NotFoundError, match="Route 'nope' not found"):
        await routes.delete("nope")


async def test_delete_removes_route(routes: SqlRouteRepository) -> None:
    route = await routes.add(make.route())

    await routes.delete(route.id)

    assert await routes.list() == []
