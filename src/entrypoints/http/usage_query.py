"""The query string of the analytics endpoints: filters, and JSON or CSV."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Request, Response
from litestar.params import QueryParameter

from domain.usage_report import UsageFilter

Text = Annotated[str | None, QueryParameter(max_length=255)]
CSV = "text/csv"


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)  # a time without an offset is UTC


def usage_filter(
    start: Annotated[datetime | None, QueryParameter(name="from", description="ISO time, inclusive (by hour)")] = None,
    end: Annotated[datetime | None, QueryParameter(name="to", description="ISO time, exclusive (by hour)")] = None,
    tenant: Text = None,
    service: Text = None,
    customer: Text = None,
    provider: Text = None,
    model: Text = None,
) -> UsageFilter:
    return UsageFilter(
        start=_utc(start),
        end=_utc(end),
        tenant_id=tenant,
        service=service,
        customer_id=customer,
        provider=provider,
        model=model,
    )


def wants_csv(request: Request[Any, Any, Any]) -> bool:
    """`?format=csv`, or an Accept header that asks for text/csv."""
    if request.query_params.get("format") == "csv":
        return True
    return CSV in request.headers.get("accept", "")


def csv_response(body: str, name: str) -> Response[str]:
    return Response(body, media_type=CSV, headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
