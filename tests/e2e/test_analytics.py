"""Analytics over HTTP: admin breakdowns and CSV, and a tenant reading its own usage only."""

import asyncio
import csv
import io
from decimal import Decimal

import httpx
import pytest

from tests.e2e.conftest import Gateway, unique

pytestmark = pytest.mark.integration


async def chat(gateway: Gateway, key: str, model: str, customer: str, times: int) -> None:
    headers = {"Authorization": f"Bearer {key}", "X-Customer-Id": customer}
    async with httpx.AsyncClient(base_url=gateway.url, headers=headers) as client:
        for _ in range(times):
            resp = await client.post(
                "/v1/chat/completions", json={"model": model, "messages": [{"role": "user", "content": "hi"}]}
            )
            assert resp.status_code in (200, 404)


async def summary_of(gateway: Gateway, tenant_id: str, attempts: int) -> dict[str, object]:
    for _ in range(100):
        body: dict[str, object] = (
            await gateway.admin.get("/api/v1/admin/usage/summary", params={"tenant": tenant_id})
        ).json()
        if body["attempts"] == attempts:
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"usage of {tenant_id} never reached {attempts} attempts")


async def test_a_tenant_reads_its_own_usage_and_never_another_tenants(gateway: Gateway, mock_route: str) -> None:
    mine, my_key = await gateway.tenant()
    theirs, their_key = await gateway.tenant()
    await chat(gateway, my_key, mock_route, "alice", 2)
    await chat(gateway, my_key, "no-such-model", "alice", 1)
    await chat(gateway, their_key, mock_route, "bob", 3)
    await summary_of(gateway, mine, 3)
    await summary_of(gateway, theirs, 3)

    async with httpx.AsyncClient(base_url=gateway.url, headers={"Authorization": f"Bearer {my_key}"}) as client:
        own = (await client.get("/api/v1/usage")).json()
        asking_for_theirs = (await client.get("/api/v1/usage", params={"tenant": theirs})).json()
        as_csv = await client.get("/api/v1/usage", headers={"Accept": "text/csv"})
        anonymous = await client.get("/api/v1/usage", headers={"Authorization": ""})

    assert own == asking_for_theirs  # the key decides the tenant; the query cannot widen it
    assert (own["summary"]["requests"], own["summary"]["errors"]) == (3, 1)
    assert own["summary"]["error_rate"] == pytest.approx(1 / 3)
    assert [(g["key"], g["stats"]["attempts"]) for g in own["by_model"]] == [("mock-1", 2), (None, 1)]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert sorted((r["model"], r["attempts"]) for r in rows) == [("", "1"), ("mock-1", "2")]
    assert anonymous.status_code == 401 and anonymous.json()["error"]["type"] == "authentication_error"


async def test_admin_breakdowns_filters_and_csv(gateway: Gateway, mock_route: str) -> None:
    tenant_id, key = await gateway.tenant()
    customer = unique("cust")
    await chat(gateway, key, mock_route, customer, 2)
    await chat(gateway, key, mock_route, "=HYPERLINK(1)", 1)
    summary = await summary_of(gateway, tenant_id, 3)
    assert summary["cache_hit_rate"] == 0 and summary["latency_p50_ms"] is not None
    scoped = {"tenant": tenant_id}

    by_customer = (await gateway.admin.get("/api/v1/admin/usage/by-customer", params=scoped)).json()
    by_provider = (await gateway.admin.get("/api/v1/admin/usage/by-provider", params=scoped)).json()
    by_model = (await gateway.admin.get("/api/v1/admin/usage/by-model", params={**scoped, "customer": customer})).json()
    by_service = (await gateway.admin.get("/api/v1/admin/usage/by-service", params=scoped)).json()
    hours = (await gateway.admin.get("/api/v1/admin/usage/timeseries", params={**scoped, "interval": "hour"})).json()
    days = await gateway.admin.get(
        "/api/v1/admin/usage/timeseries", params={**scoped, "interval": "day", "format": "csv"}
    )
    bad = await gateway.admin.get("/api/v1/admin/usage/timeseries", params={"interval": "week"})

    assert sorted((g["key"], g["stats"]["attempts"]) for g in by_customer["groups"]) == [
        ("=HYPERLINK(1)", 1),
        (customer, 2),
    ]
    assert [g["stats"]["attempts"] for g in by_provider["groups"]] == [3]
    assert [(g["key"], g["stats"]["attempts"]) for g in by_model["groups"]] == [("mock-1", 2)]
    assert by_service["groups"][0]["stats"]["attempts"] == 3
    assert sum(b["stats"]["attempts"] for b in hours["buckets"]) == 3 and hours["interval"] == "hour"
    day_rows = list(csv.DictReader(io.StringIO(days.text)))
    assert len(day_rows) == 1 and day_rows[0]["attempts"] == "3" and Decimal(day_rows[0]["cost_usd"]) >= 0
    assert bad.status_code == 400 and bad.json()["error"]["param"]
    export = await gateway.admin.get("/api/v1/admin/usage/by-customer", params={**scoped, "format": "csv"})
    assert "'=HYPERLINK(1)" in export.text  # a spreadsheet would not run it
    async with httpx.AsyncClient(base_url=gateway.url) as anonymous:
        assert (await anonymous.get("/api/v1/admin/usage/summary")).status_code == 401
