"""`LLMGW_METRICS_KEY` closes `/metrics` to anyone without it."""

import httpx
import pytest

from entrypoints.http.app import create_app
from entrypoints.ioc.container import make_container
from tests.e2e.conftest import serve, settings_for

pytestmark = pytest.mark.integration

METRICS_KEY = "metrics-" + "m" * 24


async def test_metrics_need_the_metrics_key_when_one_is_set(postgres_url: str, redis_url: str) -> None:
    settings = settings_for(postgres_url, redis_url, metrics_key=METRICS_KEY)
    async for url in serve(create_app(make_container(settings), settings)):
        async with httpx.AsyncClient(base_url=url) as client:
            missing = await client.get("/metrics")
            wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
            right = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_KEY}"})
    assert missing.status_code == wrong.status_code == 401
    assert wrong.json()["error"]["type"] == "authentication_error"
    assert right.status_code == 200 and "llmgw_" in right.text
