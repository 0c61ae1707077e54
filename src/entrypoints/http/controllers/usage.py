"""`GET /api/v1/usage`: a tenant reads its own usage (its key decides which; never another's)."""

from __future__ import annotations

from typing import Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

from application.analytics.report_usage import ReportUsage
from domain.catalog import Tenant
from domain.usage_report import Dimension, UsageFilter
from entrypoints.http.schemas.usage import TenantUsageOut, group_out, stats_out, to_csv
from entrypoints.http.usage_query import csv_response, usage_filter, wants_csv


class TenantUsageController(Controller):
    path = "/api/v1/usage"
    tags = ["Usage"]
    dependencies = {"requested": Provide(usage_filter, sync_to_thread=False)}

    @get(operation_id="OwnUsage", summary="This key's tenant: summary and cost by model")
    @inject
    async def own_usage(
        self,
        request: Request[Any, Any, Any],
        requested: NamedDependency[UsageFilter],
        *,
        tenant: FromDishka[Tenant],
        report: FromDishka[ReportUsage],
    ) -> Any:
        where = msgspec.structs.replace(requested, tenant_id=tenant.id)  # a `tenant` query is overridden
        by_model = [group_out(g) for g in await report.breakdown(where, Dimension.MODEL)]
        if wants_csv(request):
            return csv_response(to_csv("model", [(g.key, g.stats) for g in by_model]), "usage-by-model")
        return Response(TenantUsageOut(summary=stats_out(await report.summary(where)), by_model=by_model))
