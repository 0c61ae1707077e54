"""Routing through HTTP with the real openai SDK: fallback on each vendor failure, cool-downs,
streams that never reach a second vendor once they started, and the usage left by each attempt."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import openai
import pytest
import pytest_asyncio

from entrypoints.http.app import create_app
from entrypoints.ioc.container import make_container
from tests.e2e.conftest import ADMIN_KEY, VENDOR_KEY, Gateway, serve, settings_for, unique
from tests.fakes.fake_openai import FakeOpenAI, FakeUsage, Reply, closed_port_url

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

COOLDOWN_S = 0.5
USER = [{"role": "user", "content": "hi"}]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def gw(postgres_url: str, redis_url: str, redis_prefix: str) -> AsyncIterator[Gateway]:
    """A gateway of its own, with short cool-downs sharing state through Redis."""
    settings = settings_for(
        postgres_url, redis_url, cooldown_failures=2, cooldown_s=COOLDOWN_S, redis_prefix=f"{redis_prefix}routing:"
    )
    async for url in serve(create_app(make_container(settings), settings)):
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10) as admin:
            yield Gateway(url=url, admin=admin, settings=settings)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def vendors() -> AsyncIterator[tuple[FakeOpenAI, FakeOpenAI]]:
    async with FakeOpenAI(required_api_key=VENDOR_KEY) as first, FakeOpenAI(required_api_key=VENDOR_KEY) as second:
        yield first, second


@pytest_asyncio.fixture(loop_scope="session")
async def pair(vendors: tuple[FakeOpenAI, FakeOpenAI]) -> AsyncIterator[tuple[FakeOpenAI, FakeOpenAI]]:
    for fake in vendors:
        fake.reset()
    yield vendors
    for fake in vendors:
        fake.reset()


async def provider(gw: Gateway, base_url: str, **extra: object) -> str:
    name = unique("vendor")
    body = {"kind": "openai", "base_url": base_url, "api_key": VENDOR_KEY, "models": ["gpt-4o-mini"], "timeout_s": 5}
    await gw.provider(name=name, **{**body, **extra})
    return name


async def chain(gw: Gateway, first_url: str, second_url: str, **first_extra: object) -> tuple[str, str, str]:
    """A fresh alias over two fresh providers: (alias, first, second)."""
    first, second = await provider(gw, first_url, **first_extra), await provider(gw, second_url)
    alias = unique("chain")
    await gw.route(alias, (first, "gpt-4o-mini"), (second, "gpt-4o-mini"))
    return alias, first, second


async def usage_rows(postgres_url: str, request_id: str, expected: int) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for _ in range(100):
            rows = await conn.fetch("SELECT * FROM usage_records WHERE request_id = $1 ORDER BY attempt", request_id)
            if len(rows) >= expected:
                return list(rows)
            await asyncio.sleep(0.05)
        raise AssertionError(f"{len(rows)} usage rows for {request_id}, expected {expected}")
    finally:
        await conn.close()


async def complete(gw: Gateway, key: str, model: str, **kwargs: Any) -> Any:
    return await gw.openai(key).chat.completions.with_raw_response.create(model=model, messages=USER, **kwargs)


@pytest.mark.parametrize(
    "failure",
    [
        Reply(status=500, error_message="upstream exploded"),
        Reply(status=429, error_message="slow down", retry_after="1"),
        Reply(status=503, error_message="overloaded"),
        Reply(latency_s=2.0),  # slower than the provider's 0.5 s timeout
    ],
    ids=["500", "429-retry-after", "503", "timeout"],
)
async def test_the_next_target_answers_and_only_it_is_charged(
    gw: Gateway, pair: tuple[FakeOpenAI, FakeOpenAI], postgres_url: str, failure: Reply
) -> None:
    first_fake, second_fake = pair
    alias, first, second = await chain(gw, first_fake.url, second_fake.url, timeout_s=0.5)
    _, key = await gw.tenant()
    first_fake.script(failure)
    second_fake.script(Reply(text="from the second", usage=FakeUsage(prompt_tokens=7, completion_tokens=3)))
    rid = unique("req")
    raw = await complete(gw, key, alias, extra_headers={"X-Request-Id": rid})
    assert raw.parse().choices[0].message.content == "from the second"
    assert (raw.headers["x-gateway-provider"], raw.headers["x-gateway-attempts"]) == (second, "2")
    assert raw.headers["x-gateway-route"] == f"route:{alias}"
    failed, served = await usage_rows(postgres_url, rid, 2)
    assert (failed["provider"], failed["output_tokens"], failed["status"] >= 400) == (first, 0, True)
    assert (served["provider"], served["output_tokens"], served["status"]) == (second, 3, 200)


async def test_connection_refused_moves_on(gw: Gateway, pair: tuple[FakeOpenAI, FakeOpenAI]) -> None:
    alias, _, second = await chain(gw, closed_port_url(), pair[1].url)
    _, key = await gw.tenant()
    raw = await complete(gw, key, alias)
    assert (raw.headers["x-gateway-provider"], raw.headers["x-gateway-attempts"]) == (second, "2")


async def test_a_bad_request_is_not_retried(
    gw: Gateway, pair: tuple[FakeOpenAI, FakeOpenAI], postgres_url: str
) -> None:
    first_fake, second_fake = pair
    alias, first, _ = await chain(gw, first_fake.url, second_fake.url)
    _, key = await gw.tenant()
    first_fake.fail_next(400, message="Invalid 'messages': bad shape.", param="messages")
    rid = unique("req")
    with pytest.raises(openai.BadRequestError) as info:
        await complete(gw, key, alias, extra_headers={"X-Request-Id": rid})
    assert "bad shape" in info.value.message
    assert second_fake.requests == []
    (row,) = await usage_rows(postgres_url, rid, 1)
    assert (row["provider"], row["status"], row["error_kind"]) == (first, 400, "bad_request")


async def test_a_stream_falls_back_before_its_first_byte(gw: Gateway, pair: tuple[FakeOpenAI, FakeOpenAI]) -> None:
    first_fake, second_fake = pair
    alias, _, second = await chain(gw, first_fake.url, second_fake.url)
    _, key = await gw.tenant()
    first_fake.fail_next(500)
    second_fake.script(Reply(text="streamed by the second"))
    raw = await gw.openai(key).chat.completions.with_raw_response.create(model=alias, messages=USER, stream=True)
    assert (raw.headers["x-gateway-provider"], raw.headers["x-gateway-attempts"]) == (second, "2")
    text = "".join([c.choices[0].delta.content or "" async for c in raw.parse() if c.choices])
    assert text == "streamed by the second"


async def test_a_stream_cut_midway_ends_with_an_error_and_never_reaches_the_second_vendor(
    gw: Gateway, pair: tuple[FakeOpenAI, FakeOpenAI], postgres_url: str
) -> None:
    first_fake, second_fake = pair
    alias, first, _ = await chain(gw, first_fake.url, second_fake.url)
    _, key = await gw.tenant()
    first_fake.script(Reply(text="one two three four five six seven eight", cut_after=3))
    rid = unique("req")
    stream = await gw.openai(key).chat.completions.create(
        model=alias, messages=USER, stream=True, extra_headers={"X-Request-Id": rid}
    )
    received = []
    with pytest.raises(openai.APIError):
        async for chunk in stream:
            received.append(chunk)
    assert any(c.choices and c.choices[0].delta.content for c in received)  # part of the answer came
    assert second_fake.requests == []
    (row,) = await usage_rows(postgres_url, rid, 1)
    assert (row["provider"], row["status"], row["error_kind"]) == (first, 502, "connection")


async def test_cool_down_skips_a_dead_provider_and_recovers_it(
    gw: Gateway, pair: tuple[FakeOpenAI, FakeOpenAI]
) -> None:
    first_fake, second_fake = pair
    alias, first, second = await chain(gw, first_fake.url, second_fake.url)
    _, key = await gw.tenant()
    first_fake.default = Reply(status=500, error_message="down")
    for _ in range(2):  # the threshold: two failures
        assert (await complete(gw, key, alias)).headers["x-gateway-attempts"] == "2"
    assert len(first_fake.requests) == 2
    skipped = await complete(gw, key, alias)
    assert (skipped.headers["x-gateway-provider"], skipped.headers["x-gateway-attempts"]) == (second, "1")
    assert len(first_fake.requests) == 2  # not even tried
    health = {h["provider"]: h for h in (await gw.admin.get("/api/v1/admin/providers/health")).json()}
    assert (
        health[first]["cooling"] and health[first]["recent_failures"] == 2 and health[first]["last_error"] == "server"
    )
    assert health[second]["success_rate"] == 1.0 and health[second]["avg_latency_ms"] > 0

    first_fake.default = Reply(text="back")
    await asyncio.sleep(COOLDOWN_S + 0.1)
    probed = await complete(gw, key, alias)
    assert (probed.headers["x-gateway-provider"], probed.headers["x-gateway-attempts"]) == (first, "1")
    health = {h["provider"]: h for h in (await gw.admin.get("/api/v1/admin/providers/health")).json()}
    assert not health[first]["cooling"] and health[first]["recent_failures"] == 0


async def test_a_refused_vendor_key_moves_on_and_is_reported(gw: Gateway, pair: tuple[FakeOpenAI, FakeOpenAI]) -> None:
    alias, first, second = await chain(gw, pair[0].url, pair[1].url, api_key="sk-wrong-key-0000")
    _, key = await gw.tenant()
    assert (await complete(gw, key, alias)).headers["x-gateway-provider"] == second
    health = {h["provider"]: h for h in (await gw.admin.get("/api/v1/admin/providers/health")).json()}
    assert health[first]["key_bad"] and health[first]["cooling"]
    assert "sk-wrong" not in (await gw.admin.get("/api/v1/admin/providers/health")).text
