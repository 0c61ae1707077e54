"""`GET /metrics`: Prometheus' text format."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get

from application.ports.metrics import MetricsExporter
from entrypoints.http.admin_auth import metrics_guard


class MetricsController(Controller):
    path = "/metrics"
    tags = ["Operations"]
    guards = [metrics_guard]

    @get(operation_id="Metrics", summary="Prometheus metrics", include_in_schema=False)
    @inject
    async def metrics(self, *, exporter: FromDishka[MetricsExporter]) -> Response[bytes]:
        body, content_type = exporter.render()
        return Response(body, media_type=content_type)
