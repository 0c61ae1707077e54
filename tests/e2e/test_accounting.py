"""Every dollar accounted for: a mixed run against vendors that report usage, then the usage log and
the analytics checked against the cost computed by hand from what the vendors reported."""

import asyncio
from decimal import Decimal

import asyncpg
import httpx
import pytest

from tests.e2e.conftest import VENDOR_KEY, Gateway, unique
from tests.fakes.fake_openai import FakeOpenAI, FakeUsage, Reply

pytestmark = pytest.mark.integration

MILLION = Decimal(1_000_000)
OPENAI_PRICE = {"input_per_mtok": "0.15", "output_per_mtok": "0.60", "cached_input_per_mtok": "0.075"}
MOCK_PRICE = {"input_per_mtok": "1.25", "output_per_mtok": "10"}


def cost(prompt: int, completion: int, cached: int, price: dict[str, str]) -> Decimal:
    cached_rate = Decimal(price.get("cached_input_per_mtok", price["input_per_mtok"]))
    fresh = (prompt - cached) * Decimal(price["input_per_mtok"])
    return (fresh + cached * cached_rate + completion * Decimal(price["output_per_mtok"])) / MILLION


async def logged(postgres_url: str, tenant_id: str, expected: int) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for _ in range(100):
            rows = await conn.fetch("SELECT * FROM usage_records WHERE tenant_id = $1", tenant_id)
            if len(rows) >= expected:
                return list(rows)
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    raise AssertionError(f"{len(rows)} usage records, expected {expected}")


async def put_price(gateway: Gateway, provider: str, model: str, price: dict[str, str]) -> None:
    resp = await gateway.admin.put("/api/v1/admin/prices", json={"provider": provider, "model": model, **price})
    assert resp.status_code == 200, resp.text


async def test_logged_cost_equals_the_cost_of_what_the_vendors_reported(
    gateway: Gateway, fake: FakeOpenAI, postgres_url: str
) -> None:
    openai_name, mock_name = unique("acct-openai"), unique("acct-mock")
    await gateway.provider(
        name=openai_name, kind="openai", base_url=fake.url, api_key=VENDOR_KEY, models=["gpt-4o-mini"]
    )
    await gateway.provider(name=mock_name, kind="mock", models=["mock-1", "mock-2"])
    alias_openai, alias_mock, alias_fallback, alias_unpriced = (unique("acct") for _ in range(4))
    await gateway.route(alias_openai, (openai_name, "gpt-4o-mini"))
    await gateway.route(alias_mock, (mock_name, "mock-1"))
    await gateway.route(alias_fallback, (mock_name, "mock-fail-server"), (mock_name, "mock-1"))
    await gateway.route(alias_unpriced, (mock_name, "mock-2"))
    await put_price(gateway, openai_name, "gpt-4o-mini", OPENAI_PRICE)
    await put_price(gateway, mock_name, "mock-1", MOCK_PRICE)
    tenant_id, key = await gateway.tenant()
    fake.script(
        Reply(usage=FakeUsage(prompt_tokens=1200, completion_tokens=300, cached_tokens=1024, reasoning_tokens=100)),
        Reply(usage=FakeUsage(prompt_tokens=57, completion_tokens=9)),
        Reply(usage=FakeUsage(prompt_tokens=2048, completion_tokens=1, cached_tokens=2048)),
    )
    expected, request_ids = Decimal(0), []
    client = gateway.openai(key)
    for i, (alias, stream) in enumerate(
        [(alias_openai, False), (alias_openai, True), (alias_openai, False), (alias_mock, False),
         (alias_mock, True), (alias_fallback, False), (alias_unpriced, False)]
    ):  # fmt: skip
        request_id = f"acct-{tenant_id}-{i}"
        request_ids.append(request_id)
        extra = {"extra_headers": {"X-Request-Id": request_id}}
        messages = [{"role": "user", "content": f"question {i} " * (i + 1)}]
        if stream:
            chunks = await client.chat.completions.create(
                model=alias, messages=messages, stream=True, stream_options={"include_usage": True}, **extra
            )
            usage = [c.usage async for c in chunks if c.usage][-1]
        else:
            usage = (await client.chat.completions.create(model=alias, messages=messages, **extra)).usage
        assert usage is not None
        cached = usage.prompt_tokens_details.cached_tokens if usage.prompt_tokens_details else 0
        if alias != alias_unpriced:
            price = OPENAI_PRICE if alias == alias_openai else MOCK_PRICE
            expected += cost(usage.prompt_tokens, usage.completion_tokens, cached or 0, price)

    rows = await logged(postgres_url, tenant_id, expected=8)  # the fallback left two attempts

    keys = [(r["request_id"], r["attempt"]) for r in rows]
    assert len(keys) == len(set(keys)) == 8
    assert {r["request_id"] for r in rows} == set(request_ids)
    assert sum((r["cost_usd"] for r in rows if r["cost_usd"] is not None), Decimal(0)) == expected
    assert [r["model"] for r in rows if r["cost_usd"] is None] == ["mock-2"]
    failed = next(r for r in rows if r["attempt"] == 1 and r["model"] == "mock-fail-server")
    assert failed["cost_usd"] == 0 and failed["status"] >= 500

    summary = await gateway.admin.get("/api/v1/admin/usage/summary", params={"tenant": tenant_id})
    assert summary.status_code == 200, summary.text
    body = summary.json()
    assert Decimal(body["cost_usd"]) == expected
    assert (body["requests"], body["attempts"], body["unknown_cost_records"], body["cost_complete"]) == (7, 8, 1, False)


async def test_prices_are_managed_through_the_admin_api(gateway: Gateway) -> None:
    provider = unique("price-kind")
    await put_price(gateway, provider, "m-1", {"input_per_mtok": "1", "output_per_mtok": "2"})
    numbers = {"input_per_mtok": 3, "output_per_mtok": "4.5", "cached_input_per_mtok": 0.3}
    await put_price(gateway, provider, "m-1", numbers)  # type: ignore[arg-type]

    listed = (await gateway.admin.get("/api/v1/admin/prices")).json()
    prices = {"input_per_mtok": "3", "output_per_mtok": "4.5", "cached_input_per_mtok": "0.3"}
    assert [p for p in listed if p["provider"] == provider] == [{"provider": provider, "model": "m-1", **prices}]
    assert any(p["provider"] == "openai" and p["model"] == "gpt-4o-mini" for p in listed)  # the seeded list

    negative = {"provider": provider, "model": "m-1", "input_per_mtok": "-1", "output_per_mtok": 1}
    bad = await gateway.admin.put("/api/v1/admin/prices", json=negative)
    assert bad.status_code == 400 and bad.json()["error"]["type"] == "invalid_request_error"
    gone = await gateway.admin.delete("/api/v1/admin/prices", params={"provider": provider, "model": "m-1"})
    again = await gateway.admin.delete("/api/v1/admin/prices", params={"provider": provider, "model": "m-1"})
    assert (gone.status_code, again.status_code) == (204, 404)
    async with httpx.AsyncClient(base_url=gateway.url) as anonymous:
        assert (await anonymous.get("/api/v1/admin/prices")).status_code == 401
