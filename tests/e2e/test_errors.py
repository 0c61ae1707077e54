"""Every refusal is OpenAI's error envelope with the right status."""

import httpx
import openai
import pytest

from tests.e2e.conftest import Gateway

pytestmark = pytest.mark.integration

CHAT = "/v1/chat/completions"


def assert_envelope(resp: httpx.Response, status: int, code: str | None = None) -> dict[str, object]:
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert set(error) >= {"message", "type", "code"} and error["message"]
    if code is not None:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer lgw-not-a-real-key"}, 401),
        ({"X-API-Key": "nope"}, 401),
        ({"Authorization": "Basic abc"}, 401),
    ],
)
async def test_bad_or_missing_key_is_401(
    gateway: Gateway, mock_route: str, headers: dict[str, str], status: int
) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        resp = await client.post(
            CHAT, json={"model": mock_route, "messages": [{"role": "user", "content": "x"}]}, headers=headers
        )
    assert_envelope(resp, status, "invalid_api_key")


async def test_x_api_key_and_service_key_headers_are_accepted(gateway: Gateway, mock_route: str) -> None:
    _, key = await gateway.tenant()
    body = {"model": mock_route, "messages": [{"role": "user", "content": "x"}]}
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        for header in ("X-API-Key", "X-Service-Key"):
            assert (await client.post(CHAT, json=body, headers={header: key})).status_code == 200


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"messages": [{"role": "user", "content": "x"}]}, "model"),
        ({"model": "m", "messages": []}, "messages"),
        ({"model": "m", "messages": [{"role": "wizard", "content": "x"}]}, "messages[0].role"),
        ({"model": "m", "messages": [{"role": "user", "content": 5}]}, "messages[0].content"),
        ({"model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": 3}, "temperature"),
        ({"model": "m", "messages": [{"role": "user", "content": "x"}], "n": 2}, "n"),
        ({"model": "m", "messages": [{"role": "tool", "content": "x"}]}, "messages[0].tool_call_id"),
    ],
)
async def test_invalid_body_is_400_naming_the_field(
    gateway: Gateway, mock_route: str, body: dict[str, object], param: str
) -> None:
    _, key = await gateway.tenant()
    if body.get("model") == "m":
        body["model"] = mock_route
    async with httpx.AsyncClient(base_url=gateway.url, headers={"Authorization": f"Bearer {key}"}) as client:
        error = assert_envelope(await client.post(CHAT, json=body), 400)
    assert error["param"] == param, error


async def test_malformed_json_is_400(gateway: Gateway) -> None:
    _, key = await gateway.tenant()
    async with httpx.AsyncClient(base_url=gateway.url, headers={"Authorization": f"Bearer {key}"}) as client:
        resp = await client.post(
            CHAT, content=b'{"model": "x", "messages": [', headers={"Content-Type": "application/json"}
        )
    assert_envelope(resp, 400)


async def test_unknown_model_is_404(gateway: Gateway) -> None:
    _, key = await gateway.tenant()
    with pytest.raises(openai.NotFoundError) as info:
        await gateway.openai(key).chat.completions.create(
            model="no-such-model", messages=[{"role": "user", "content": "x"}]
        )
    assert info.value.body["code"] == "model_not_found"


async def test_oversized_body_is_413_before_parsing(gateway: Gateway) -> None:
    _, key = await gateway.tenant()
    huge = "x" * (gateway.settings.max_body_bytes + 10)
    async with httpx.AsyncClient(base_url=gateway.url, headers={"Authorization": f"Bearer {key}"}) as client:
        resp = await client.post(CHAT, json={"model": "m", "messages": [{"role": "user", "content": huge}]})
    assert_envelope(resp, 413, "request_too_large")


async def test_admin_api_needs_the_admin_key(gateway: Gateway) -> None:
    _, tenant_key = await gateway.tenant()
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        assert_envelope(await client.get("/api/v1/admin/tenants"), 401)
        assert_envelope(
            await client.get("/api/v1/admin/tenants", headers={"Authorization": f"Bearer {tenant_key}"}), 401
        )
        assert_envelope(await client.get("/api/v1/admin/providers", headers={"Authorization": "Bearer wrong"}), 401)
