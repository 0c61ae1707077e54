"""Model aliases and their ordered targets (a JSON list of {provider, model})."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.errors import ConstraintErrors, translate_integrity
from adapters.sql.mappers import route_from_row, route_values
from adapters.sql.models import UQ_ROUTES_ALIAS, RouteRow
from adapters.sql.revision import bump_revision
from adapters.sql.statements import delete_by_id, update_by_id
from application.ports.admin import RouteRepository
from domain.catalog import Route
from domain.errors import ConflictError, NotFoundError


def _not_found(route_id: str) -> NotFoundError:
    return NotFoundError(f"Route '{route_id}' not found")


def _conflicts(route: Route) -> ConstraintErrors:
    return {
        UQ_ROUTES_ALIAS: lambda: ConflictError(f"Route '{route.alias}' already exists", param="alias"),
        "pk_routes": lambda: ConflictError(f"Route id '{route.id}' already exists", param="id"),
    }


class SqlRouteRepository(RouteRepository):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, route: Route) -> Route:
        with translate_integrity(_conflicts(route)):
            async with self._sessions.begin() as session:
                session.add(RouteRow(id=route.id, **route_values(route)))
                await session.flush()
                await bump_revision(session)
        return route

    async def get(self, route_id: str) -> Route:
        async with self._sessions() as session:
            row = await session.get(RouteRow, route_id)
            if row is None:
                raise _not_found(route_id)
            return route_from_row(row)

    async def list(self) -> list[Route]:
        async with self._sessions() as session:
            return [route_from_row(row) for row in await session.scalars(select(RouteRow).order_by(RouteRow.alias))]

    async def update(self, route: Route) -> Route:
        with translate_integrity(_conflicts(route)):
            async with self._sessions.begin() as session:
                if not await update_by_id(session, RouteRow, route.id, route_values(route)):
                    raise _not_found(route.id)
                await bump_revision(session)
        return route

    async def delete(self, route_id: str) -> None:
        async with self._sessions.begin() as session:
            if not await delete_by_id(session, RouteRow, route_id):
                raise _not_found(route_id)
            await bump_revision(session)
