"""Customer overrides through the admin API and the OpenAI-compatible one; the dry run; weighted splits."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.e2e.conftest import Gateway, unique
from tests.e2e.test_routing import usage_rows

pytestmark = pytest.mark.integration

USER = [{"role": "user", "content": "hi"}]


async def mock_provider(gateway: Gateway, *models: str) -> str:
    name = unique("mock")
    await gateway.provider(name=name, kind="mock", models=list(models or ("mock-1",)))
    return name


async def test_override_crud_and_validation(gateway: Gateway) -> None:
    provider = await mock_provider(gateway, "mock-1", "mock-2")
    alias = unique("alias")
    route = await gateway.route(alias, (provider, "mock-1"))
    customer = unique("cust")
    admin = gateway.admin

    created = await admin.post("/api/v1/admin/overrides", json={"customer_id": customer, "alias": alias})
    assert created.status_code == 201, created.text
    oid = created.json()["id"]
    assert created.json() == {
        "id": oid, "customer_id": customer, "service": None, "model": None, "alias": alias, "target": None,
        "description": None,
    }  # fmt: skip
    replaced = await admin.put(
        f"/api/v1/admin/overrides/{oid}",
        json={"customer_id": customer, "service": "billing", "target": {"provider": provider, "model": "mock-2"}},
    )
    assert replaced.status_code == 200 and replaced.json()["target"] == {"provider": provider, "model": "mock-2"}
    assert (await admin.get(f"/api/v1/admin/overrides/{oid}")).json() == replaced.json()
    assert [o["id"] for o in (await admin.get("/api/v1/admin/overrides", params={"customer_id": customer})).json()] == [
        oid
    ]
    again = await admin.post(
        "/api/v1/admin/overrides", json={"customer_id": customer, "service": "billing", "alias": alias}
    )
    assert again.status_code == 409
    await admin.post("/api/v1/admin/overrides", json={"customer_id": customer, "alias": alias})
    route_url = f"/api/v1/admin/routes/{route['id']}"
    renamed = await admin.put(
        route_url, json={"alias": unique("other"), "targets": [{"provider": provider, "model": "mock-1"}]}
    )
    assert (await admin.delete(route_url)).status_code == renamed.status_code == 409
    assert (await admin.delete(f"/api/v1/admin/overrides/{oid}")).status_code == 204
    assert (await admin.get(f"/api/v1/admin/overrides/{oid}")).status_code == 404


Body = Callable[[str, str], dict[str, object]]  # (provider, alias) -> override body


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (lambda p, a: {"alias": "no-such-alias"}, "alias"),
        (lambda p, a: {"target": {"provider": "no-such-provider", "model": "m"}}, "target.provider"),
        (lambda p, a: {"target": {"provider": p, "model": "not-listed"}}, "target.model"),
        (lambda p, a: {}, "alias"),
        (lambda p, a: {"alias": a, "target": {"provider": p, "model": "mock-1"}}, "alias"),
        (lambda p, a: {"customer_id": "  ", "alias": a}, "customer_id"),
    ],
)
async def test_override_target_must_exist(gateway: Gateway, body: Body, param: str) -> None:
    provider = await mock_provider(gateway)
    alias = unique("alias")
    await gateway.route(alias, (provider, "mock-1"))
    resp = await gateway.admin.post(
        "/api/v1/admin/overrides", json={"customer_id": unique("cust"), **body(provider, alias)}
    )
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["param"] == param


async def test_customer_overrides_route_chat_and_are_recorded(gateway: Gateway, postgres_url: str) -> None:
    default, special = await mock_provider(gateway), await mock_provider(gateway)
    alias, special_alias = unique("alias"), unique("alias")
    await gateway.route(alias, (default, "mock-1"))
    await gateway.route(special_alias, (special, "mock-1"))
    tenant_name = unique("svc")
    tenant_id, key = await gateway.tenant(tenant_name)
    customer = unique("cust")
    everywhere = await gateway.admin.post(
        "/api/v1/admin/overrides", json={"customer_id": customer, "alias": special_alias}
    )
    here = await gateway.admin.post(
        "/api/v1/admin/overrides",
        json={"customer_id": customer, "service": tenant_name, "target": {"provider": default, "model": "mock-1"}},
    )
    client = gateway.openai(key)

    plain = await client.chat.completions.with_raw_response.create(model=alias, messages=USER)
    assert (plain.headers["x-gateway-route"], plain.headers["x-gateway-provider"]) == (f"route:{alias}", default)
    rid = unique("req")
    by_user = await client.chat.completions.with_raw_response.create(
        model=alias, messages=USER, user=customer, extra_headers={"X-Request-Id": rid}
    )
    assert by_user.headers["x-gateway-route"] == f"override:customer+service:{here.json()['id']}"
    (row,) = await usage_rows(postgres_url, rid, 1)
    assert (row["tenant_id"], row["service"], row["customer_id"]) == (tenant_id, tenant_name, customer)
    assert row["route_rule"] == by_user.headers["x-gateway-route"]

    await gateway.admin.delete(f"/api/v1/admin/overrides/{here.json()['id']}")
    by_header = await client.chat.completions.with_raw_response.create(
        model=alias, messages=USER, extra_headers={"X-Customer-Id": customer}
    )
    assert by_header.headers["x-gateway-route"] == f"override:customer:{everywhere.json()['id']}"
    assert by_header.headers["x-gateway-provider"] == special


async def test_resolve_dry_run_and_weighted_split(gateway: Gateway) -> None:
    a, b = await mock_provider(gateway), await mock_provider(gateway)
    alias = unique("ab")
    resp = await gateway.admin.post(
        "/api/v1/admin/routes",
        json={
            "alias": alias,
            "targets": [
                {"provider": a, "model": "mock-1", "weight": 50},
                {"provider": b, "model": "mock-1", "weight": 50},
            ],
        },
    )
    assert resp.status_code == 201 and [t["weight"] for t in resp.json()["targets"]] == [50, 50]
    firsts = set()
    for i in range(12):
        answer = await gateway.admin.post(
            "/api/v1/admin/routes/resolve", json={"model": alias, "customer_id": f"c{i}", "service": "x"}
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["rule"] == f"route:{alias}" and len(body["targets"]) == 2
        assert body["targets"][0]["cooling_until"] is None
        firsts.add(body["targets"][0]["provider"])
    assert firsts == {a, b}
    missing = await gateway.admin.post("/api/v1/admin/routes/resolve", json={"model": "no-such-model"})
    assert missing.status_code == 404
    async with httpx.AsyncClient(base_url=gateway.url) as anonymous:
        assert (await anonymous.post("/api/v1/admin/routes/resolve", json={})).status_code == 401
