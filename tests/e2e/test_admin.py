"""Tenants, keys, providers and routes through the admin API."""

import asyncpg
import httpx
import openai
import pytest

from tests.e2e.conftest import VENDOR_KEY, Gateway, unique

pytestmark = pytest.mark.integration


async def test_revoked_key_is_locked_out_and_rotation_replaces_it(gateway: Gateway, mock_route: str) -> None:
    tenant_id, key = await gateway.tenant()
    messages = [{"role": "user", "content": "hi"}]
    await gateway.openai(key).chat.completions.create(model=mock_route, messages=messages)
    (info,) = (await gateway.admin.get(f"/api/v1/admin/tenants/{tenant_id}/keys")).json()
    assert "key" not in info and info["active"] and key.startswith(info["prefix"])

    rotated = await gateway.admin.post(f"/api/v1/admin/tenants/{tenant_id}/keys/{info['id']}/rotate")
    assert rotated.status_code == 201
    new_key = rotated.json()["key"]
    with pytest.raises(openai.AuthenticationError):
        await gateway.openai(key).chat.completions.create(model=mock_route, messages=messages)
    await gateway.openai(new_key).chat.completions.create(model=mock_route, messages=messages)

    new_id = rotated.json()["key_info"]["id"]
    revoked = await gateway.admin.post(f"/api/v1/admin/tenants/{tenant_id}/keys/{new_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    with pytest.raises(openai.AuthenticationError):
        await gateway.openai(new_key).chat.completions.create(model=mock_route, messages=messages)


async def test_disabled_or_deleted_tenant_is_locked_out(gateway: Gateway, mock_route: str) -> None:
    tenant_id, key = await gateway.tenant()
    assert (await gateway.admin.patch(f"/api/v1/admin/tenants/{tenant_id}", json={"enabled": False})).status_code == 200
    with pytest.raises(openai.AuthenticationError):
        await gateway.openai(key).chat.completions.create(model=mock_route, messages=[{"role": "user", "content": "x"}])
    assert (await gateway.admin.delete(f"/api/v1/admin/tenants/{tenant_id}")).status_code == 204
    assert (await gateway.admin.get(f"/api/v1/admin/tenants/{tenant_id}")).status_code == 404


async def test_tenant_crud_and_conflicts(gateway: Gateway) -> None:
    name = unique("crud")
    tenant_id, _ = await gateway.tenant(name)
    dup = await gateway.admin.post("/api/v1/admin/tenants", json={"name": name})
    assert dup.status_code == 409 and dup.json()["error"]["type"] == "invalid_request_error"
    listed = (await gateway.admin.get("/api/v1/admin/tenants")).json()
    assert any(t["id"] == tenant_id for t in listed)
    bad = await gateway.admin.post("/api/v1/admin/tenants", json={"name": "x", "colour": "red"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "colour"


async def test_provider_key_is_write_only_masked_and_encrypted_at_rest(gateway: Gateway, postgres_url: str) -> None:
    name = unique("secret")
    created = await gateway.provider(
        name=name, kind="openai", base_url="https://api.openai.com/v1", api_key=VENDOR_KEY, models=["gpt-4o"]
    )
    assert created["api_key"] == "****" + VENDOR_KEY[-4:]
    for resp in [
        await gateway.admin.get("/api/v1/admin/providers"),
        await gateway.admin.get(f"/api/v1/admin/providers/{created['id']}"),
    ]:
        assert VENDOR_KEY not in resp.text
    conn = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        row = await conn.fetchrow("SELECT * FROM providers WHERE name = $1", name)
    finally:
        await conn.close()
    assert row is not None and VENDOR_KEY not in str(dict(row))
    patched = await gateway.admin.patch(f"/api/v1/admin/providers/{created['id']}", json={"priority": 3})
    assert patched.json()["api_key"] == created["api_key"] and patched.json()["priority"] == 3


async def test_provider_validation(gateway: Gateway) -> None:
    bad_kind = await gateway.admin.post("/api/v1/admin/providers", json={"name": "x", "kind": "skynet"})
    assert bad_kind.status_code == 400 and bad_kind.json()["error"]["param"] == "kind"
    no_url = await gateway.admin.post("/api/v1/admin/providers", json={"name": unique("c"), "kind": "custom"})
    assert no_url.status_code == 400


async def test_routes_validate_their_targets_and_block_provider_deletion(gateway: Gateway) -> None:
    provider = await gateway.provider(name=unique("m"), kind="mock", models=["mock-1"])
    unknown = await gateway.admin.post(
        "/api/v1/admin/routes", json={"alias": unique("a"), "targets": [{"provider": "ghost", "model": "m"}]}
    )
    assert unknown.status_code == 400 and unknown.json()["error"]["param"] == "targets[0].provider"
    route = await gateway.route(unique("alias"), (str(provider["name"]), "mock-1"))
    blocked = await gateway.admin.delete(f"/api/v1/admin/providers/{provider['id']}")
    assert blocked.status_code == 409
    assert (await gateway.admin.delete(f"/api/v1/admin/routes/{route['id']}")).status_code == 204
    pin = {"customer_id": unique("cust"), "target": {"provider": provider["name"], "model": "mock-1"}}
    override = await gateway.admin.post("/api/v1/admin/overrides", json=pin)
    assert override.status_code == 201, override.text
    pinned = await gateway.admin.delete(f"/api/v1/admin/providers/{provider['id']}")
    assert pinned.status_code == 409 and "overrides" in pinned.json()["error"]["message"]
    assert (await gateway.admin.delete(f"/api/v1/admin/overrides/{override.json()['id']}")).status_code == 204
    assert (await gateway.admin.delete(f"/api/v1/admin/providers/{provider['id']}")).status_code == 204


async def test_openapi_schema_documents_the_admin_api(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        schema = (await client.get("/schema/openapi.json")).json()
    for path in (
        "/v1/chat/completions",
        "/v1/models",
        "/api/v1/admin/tenants",
        "/api/v1/admin/providers",
        "/api/v1/admin/routes",
        "/health/ready",
    ):
        assert path in schema["paths"], path


@pytest.mark.parametrize(
    ("base_url", "fragment"),
    [("http://169.254.169.254/latest", "metadata"), ("http://10.0.0.8:8000/v1", "LLMGW_ALLOWED_UPSTREAM_HOSTS"),
     ("http://localhost:11434/v1", "LLMGW_ALLOWED_UPSTREAM_HOSTS"), ("gopher://x", "http")],
)
async def test_provider_base_url_may_not_reach_internal_addresses(
    gateway: Gateway, base_url: str, fragment: str
) -> None:
    resp = await gateway.admin.post("/api/v1/admin/providers", json={"name": unique("ssrf"), "kind": "custom",
                                                                     "base_url": base_url, "models": ["m"]})
    assert resp.status_code == 400 and resp.json()["error"]["param"] == "base_url"
    assert fragment in resp.json()["error"]["message"]


async def test_provider_test_reports_ok_latency_or_the_classified_error(gateway: Gateway, fake_openai: object) -> None:
    from tests.fakes.fake_openai import FakeOpenAI

    assert isinstance(fake_openai, FakeOpenAI)
    fake_openai.reset()
    good = await gateway.provider(name=unique("probe"), kind="openai", base_url=fake_openai.url, api_key=VENDOR_KEY,
                                  models=["gpt-4o-mini"])
    resp = await gateway.admin.post(f"/api/v1/admin/providers/{good['id']}/test")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["ok"] is True and body["model"] == "gpt-4o-mini" and body["latency_ms"] >= 0
    assert fake_openai.last_request.json["max_completion_tokens"] == 1

    bad = await gateway.provider(name=unique("badkey"), kind="openai", base_url=fake_openai.url,
                                 api_key="sk-wrong-key-0123456789", models=["gpt-4o-mini"])
    body = (await gateway.admin.post(f"/api/v1/admin/providers/{bad['id']}/test")).json()
    assert (body["ok"], body["error_kind"], body["status"]) == (False, "auth", 502)
    assert "sk-wrong-key-0123456789" not in str(body)
