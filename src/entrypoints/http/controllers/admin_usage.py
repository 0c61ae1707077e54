"""`/api/v1/admin/usage/…`: usage analytics over every tenant, as JSON or CSV."""

from __future__ import annotations

from typing import Any, Literal

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery

from application.analytics.report_usage import ReportUsage
from domain.usage_report import Dimension, UsageFilter
from entrypoints.http.admin_auth import admin_guard
from entrypoints.http.schemas.usage import (
    BreakdownOut,
    TimeseriesOut,
    UsageStatsOut,
    bucket_out,
    group_out,
    stats_out,
    to_csv,
)
from entrypoints.http.usage_query import csv_response, usage_filter, wants_csv

AnyRequest = Request[Any, Any, Any]
Where = NamedDependency[UsageFilter]  # the query's filters (`usage_filter`)


async def _breakdown(request: AnyRequest, report: ReportUsage, where: Where, by: Dimension) -> Response[Any]:
    groups = [group_out(g) for g in await report.breakdown(where, by)]
    if wants_csv(request):
        return csv_response(to_csv(by.value, [(g.key, g.stats) for g in groups]), f"usage-by-{by.value}")
    return Response(BreakdownOut(group_by=by.value, groups=groups))


class AdminUsageController(Controller):
    path = "/api/v1/admin/usage"
    tags = ["Admin: usage"]
    guards = [admin_guard]
    dependencies = {"where": Provide(usage_filter, sync_to_thread=False)}

    @get("/summary", operation_id="UsageSummary", summary="Requests, tokens, cost, cache and error rates, p50/p95")
    @inject
    async def summary(
        self, request: AnyRequest, where: Where, *, report: FromDishka[ReportUsage]
    ) -> Response[UsageStatsOut] | Response[str]:
        stats = stats_out(await report.summary(where))
        return csv_response(to_csv(None, [(None, stats)]), "usage-summary") if wants_csv(request) else Response(stats)

    @get("/by-provider", operation_id="UsageByProvider")
    @inject
    async def by_provider(self, request: AnyRequest, where: Where, *, report: FromDishka[ReportUsage]) -> Any:
        return await _breakdown(request, report, where, Dimension.PROVIDER)

    @get("/by-service", operation_id="UsageByService")
    @inject
    async def by_service(self, request: AnyRequest, where: Where, *, report: FromDishka[ReportUsage]) -> Any:
        return await _breakdown(request, report, where, Dimension.SERVICE)

    @get("/by-customer", operation_id="UsageByCustomer")
    @inject
    async def by_customer(self, request: AnyRequest, where: Where, *, report: FromDishka[ReportUsage]) -> Any:
        return await _breakdown(request, report, where, Dimension.CUSTOMER)

    @get("/by-model", operation_id="UsageByModel")
    @inject
    async def by_model(self, request: AnyRequest, where: Where, *, report: FromDishka[ReportUsage]) -> Any:
        return await _breakdown(request, report, where, Dimension.MODEL)

    @get("/by-tenant", operation_id="UsageByTenant")
    @inject
    async def by_tenant(self, request: AnyRequest, where: Where, *, report: FromDishka[ReportUsage]) -> Any:
        return await _breakdown(request, report, where, Dimension.TENANT)

    @get("/timeseries", operation_id="UsageTimeseries", summary="Usage per hour or per UTC day")
    @inject
    async def timeseries(
        self,
        request: AnyRequest,
        where: Where,
        interval: FromQuery[Literal["hour", "day"]] = "hour",
        *,
        report: FromDishka[ReportUsage],
    ) -> Any:
        buckets = [bucket_out(b) for b in await report.timeseries(where, interval)]
        if wants_csv(request):
            return csv_response(to_csv("start", [(b.start, b.stats) for b in buckets]), f"usage-{interval}")
        return Response(TimeseriesOut(interval=interval, buckets=buckets))
