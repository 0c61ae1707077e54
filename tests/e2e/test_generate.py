"""`POST /api/v1/generate`, the service API, with a service key."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.e2e.conftest import Gateway, unique
from tests.e2e.test_routing import usage_rows
from tests.e2e.test_routing_overrides import mock_provider

pytestmark = pytest.mark.integration


async def test_generate_answers_with_content_usage_and_who_served_it(gateway: Gateway, postgres_url: str) -> None:
    provider = await mock_provider(gateway)
    alias = unique("gen")
    await gateway.route(alias, (provider, "mock-1"))
    price = {"provider": provider, "model": "mock-1", "input_per_mtok": "1.5", "output_per_mtok": "4"}
    assert (await gateway.admin.put("/api/v1/admin/prices", json=price)).status_code == 200
    _, key = await gateway.tenant()
    async with httpx.AsyncClient(base_url=gateway.url, headers={"X-Service-Key": key}) as client:
        resp = await client.post(
            "/api/v1/generate",
            json={"service": "billing", "customer_id": "cust-1", "prompt": "Say hi", "system": "Be brief",
                  "model": alias, "max_tokens": 20, "temperature": 0.1, "cache": False},
        )  # fmt: skip
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["content"] and (body["provider"], body["model"]) == (provider, "mock-1")
    assert body["usage"]["input_tokens"] > 0 and body["usage"]["total_tokens"] > body["usage"]["input_tokens"]
    usage = body["usage"]
    expected = (Decimal(usage["input_tokens"]) * Decimal("1.5") + Decimal(usage["output_tokens"]) * 4) / 10**6
    assert Decimal(body["cost_usd"]) == expected and body["cached"] is False and body["latency_ms"] >= 0
    assert body["request_id"] == resp.headers["x-request-id"]
    assert resp.headers["x-gateway-route"] == f"route:{alias}"
    (row,) = await usage_rows(postgres_url, body["request_id"], 1)
    assert (row["service"], row["customer_id"], row["route_rule"]) == ("billing", "cust-1", f"route:{alias}")


async def test_generate_without_a_model_follows_the_override(gateway: Gateway) -> None:
    provider = await mock_provider(gateway)
    customer = unique("cust")
    created = await gateway.admin.post(
        "/api/v1/admin/overrides",
        json={"customer_id": customer, "service": "search", "target": {"provider": provider, "model": "mock-1"}},
    )
    _, key = await gateway.tenant()
    messages = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "a"},
        {"role": "user", "content": "q2"},
    ]
    async with httpx.AsyncClient(base_url=gateway.url, headers={"X-Service-Key": key}) as client:
        ok = await client.post(
            "/api/v1/generate", json={"service": "search", "customer_id": customer, "messages": messages}
        )
        elsewhere = await client.post(
            "/api/v1/generate", json={"service": "other", "customer_id": customer, "prompt": "x"}
        )
    assert ok.status_code == 200, ok.text
    assert ok.json()["provider"] == provider
    assert ok.headers["x-gateway-route"] == f"override:customer+service:{created.json()['id']}"
    assert elsewhere.status_code == 400 and elsewhere.json()["error"]["param"] == "model"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"service": "s", "model": "m"}, 400),  # neither prompt nor messages
        ({"service": "s", "prompt": "x", "messages": [{"role": "user", "content": "y"}], "model": "m"}, 400),
        ({"prompt": "x", "model": "m"}, 400),  # no service
        ({"service": "s", "prompt": "x", "model": "no-such-model"}, 404),
    ],
)
async def test_generate_refusals_are_openai_envelopes(gateway: Gateway, body: dict[str, object], status: int) -> None:
    _, key = await gateway.tenant()
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        resp = await client.post("/api/v1/generate", json=body, headers={"Authorization": f"Bearer {key}"})
    assert resp.status_code == status, resp.text
    assert set(resp.json()["error"]) >= {"message", "type", "code"}


async def test_generate_needs_a_tenant_key(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        for headers in ({}, {"X-Service-Key": "lgw-not-a-key"}):
            resp = await client.post("/api/v1/generate", json={"service": "s", "prompt": "x"}, headers=headers)
            assert resp.status_code == 401 and resp.json()["error"]["code"] == "invalid_api_key"
