"""Health, and the usage log written off the request path."""

import asyncio

import asyncpg
import httpx
import pytest

from tests.e2e.conftest import Gateway

pytestmark = pytest.mark.integration


async def test_health(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        live = await client.get("/health/live")
        ready = await client.get("/health/ready")
    assert live.json() == {"status": "ok", "components": {}}
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "components": {"database": "ok", "redis": "ok", "catalog": "ok"}}


async def test_every_request_leaves_one_usage_record(gateway: Gateway, mock_route: str, postgres_url: str) -> None:
    tenant_id, key = await gateway.tenant()
    ids = []
    async with httpx.AsyncClient(base_url=gateway.url, headers={"Authorization": f"Bearer {key}"}) as client:
        for i in range(5):
            resp = await client.post(
                "/v1/chat/completions",
                headers={"X-Request-Id": f"usage-{tenant_id}-{i}"},
                json={"model": mock_route, "messages": [{"role": "user", "content": "count me"}]},
            )
            ids.append(resp.headers["x-request-id"])
        missing = await client.post(
            "/v1/chat/completions", json={"model": "nope", "messages": [{"role": "user", "content": "x"}]}
        )
    assert missing.status_code == 404
    conn = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for _ in range(50):
            rows = await conn.fetch("SELECT * FROM usage_records WHERE tenant_id = $1", tenant_id)
            if len(rows) == 6:
                break
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    assert sorted(r["request_id"] for r in rows if r["status"] == 200) == sorted(ids)
    ok = next(r for r in rows if r["status"] == 200)
    assert ok["input_tokens"] > 0 and ok["output_tokens"] > 0 and ok["provider"] and ok["model"] == "mock-1"
    assert any(r["status"] == 404 and r["provider"] is None for r in rows)
