"""Admin views of routing: the dry run and each provider's health."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post
from litestar.params import JSONBody

from application.admin.resolve_route import ResolveRoute
from application.provider_health import ReportProviderHealth
from entrypoints.http.admin_auth import admin_guard
from entrypoints.http.schemas.routing import (
    ProviderHealthOut,
    ResolveIn,
    ResolveOut,
    provider_health_out,
    resolve_out,
)


class RoutingAdminController(Controller):
    path = "/api/v1/admin"
    tags = ["Admin: routing"]
    guards = [admin_guard]

    @post(
        "/routes/resolve",
        operation_id="ResolveRoute",
        status_code=200,
        summary="Dry run: the rule that wins and the targets in trying order",
    )
    @inject
    async def resolve(self, data: JSONBody[ResolveIn], *, resolve: FromDishka[ResolveRoute]) -> ResolveOut:
        return resolve_out(await resolve.execute(model=data.model, customer_id=data.customer_id, service=data.service))

    @get(
        "/providers/health",
        operation_id="ProviderHealth",
        summary="Each provider's recent success rate and latency (this instance) and cool-down state (shared)",
    )
    @inject
    async def provider_health(self, *, report: FromDishka[ReportProviderHealth]) -> list[ProviderHealthOut]:
        return [provider_health_out(r) for r in await report.execute()]
