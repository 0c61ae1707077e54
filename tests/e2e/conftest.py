"""The real gateway (uvicorn, Litestar, dishka, SQL, Redis) on a free port, the real openai SDK as
its client, and a fake OpenAI vendor behind it."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest_asyncio
import uvicorn
from openai import AsyncOpenAI

from entrypoints.http.app import create_app
from entrypoints.ioc.container import make_container
from entrypoints.settings import Settings
from tests.fakes.fake_openai import FakeOpenAI

ADMIN_KEY = "admin-" + "k" * 26
SECRET_KEY = "secret-" + "s" * 25
VENDOR_KEY = "sk-vendor-canary-0123456789abcdef"


@dataclass
class Gateway:
    url: str
    admin: httpx.AsyncClient
    settings: Settings

    def openai(self, key: str, **kwargs: object) -> AsyncOpenAI:
        return AsyncOpenAI(base_url=f"{self.url}/v1", api_key=key, max_retries=0, **kwargs)  # type: ignore[arg-type]

    async def tenant(self, name: str | None = None, **body: object) -> tuple[str, str]:
        """A fresh tenant: (tenant id, api key)."""
        resp = await self.admin.post("/api/v1/admin/tenants", json={"name": name or unique("tenant"), **body})
        assert resp.status_code == 201, resp.text
        data = resp.json()
        return data["tenant"]["id"], data["api_key"]["key"]

    async def provider(self, **body: object) -> dict[str, object]:
        resp = await self.admin.post("/api/v1/admin/providers", json=body)
        assert resp.status_code == 201, resp.text
        return resp.json()

    async def route(self, alias: str, *targets: tuple[str, str]) -> dict[str, object]:
        resp = await self.admin.post(
            "/api/v1/admin/routes",
            json={"alias": alias, "targets": [{"provider": p, "model": m} for p, m in targets]},
        )
        assert resp.status_code == 201, resp.text
        return resp.json()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def serve(app: object) -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning"))  # type: ignore[arg-type]
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def settings_for(database_url: str, redis_url: str | None, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "redis_url": redis_url,
        "admin_key": ADMIN_KEY,
        "secret_key": SECRET_KEY,
        "catalog_refresh_s": 0.2,
        "usage_flush_interval_s": 0.05,
        "max_body_bytes": 256 * 1024,
        "allowed_upstream_hosts": "127.0.0.1",  # the fake vendors listen on loopback
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def gateway(postgres_url: str, redis_url: str, redis_prefix: str) -> AsyncIterator[Gateway]:
    settings = settings_for(postgres_url, redis_url, redis_prefix=f"{redis_prefix}gw:")
    app = create_app(make_container(settings), settings)
    async for url in serve(app):
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10) as admin:
            yield Gateway(url=url, admin=admin, settings=settings)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(required_api_key=VENDOR_KEY) as fake:
        yield fake


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def openai_route(gateway: Gateway, fake_openai: FakeOpenAI) -> str:
    """An alias `gpt-e2e` served by a provider pointing at the fake vendor."""
    name = unique("openai")
    await gateway.provider(
        name=name, kind="openai", base_url=fake_openai.url, api_key=VENDOR_KEY, models=["gpt-4o-mini"], timeout_s=5
    )
    await gateway.route("gpt-e2e", (name, "gpt-4o-mini"))
    return "gpt-e2e"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def mock_route(gateway: Gateway) -> str:
    name = unique("mock")
    await gateway.provider(name=name, kind="mock", models=["mock-1"])
    await gateway.route("mock-e2e", (name, "mock-1"))
    return "mock-e2e"


@pytest_asyncio.fixture(loop_scope="session")
async def fake(fake_openai: FakeOpenAI) -> AsyncIterator[FakeOpenAI]:
    fake_openai.reset()
    yield fake_openai
    fake_openai.reset()
