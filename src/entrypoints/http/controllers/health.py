"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get

from application.health import CheckReadiness


class HealthOut(msgspec.Struct):
    status: str
    components: dict[str, str] = msgspec.field(default_factory=dict)


class HealthController(Controller):
    path = "/health"
    tags = ["Operations"]

    @get("/live", operation_id="Live", summary="The process answers")
    async def live(self) -> HealthOut:
        return HealthOut(status="ok")

    @get("/ready", operation_id="Ready", summary="May take traffic: 200 ok/degraded, 503 unavailable")
    @inject
    async def ready(self, *, readiness: FromDishka[CheckReadiness]) -> Response[HealthOut]:
        result = await readiness.execute()
        return Response(
            HealthOut(status=result.status, components=result.components),
            status_code=200 if result.serving else 503,
        )
