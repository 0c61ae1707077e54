"""The openai SDK, pointed at the gateway, completes and streams through it."""

import asyncio

import httpx
import openai
import pytest

from tests.e2e.conftest import VENDOR_KEY, Gateway
from tests.fakes.fake_openai import FakeOpenAI, FakeToolCall, FakeUsage, Reply

pytestmark = pytest.mark.integration


async def test_sdk_completes_through_the_gateway_to_the_vendor(
    gateway: Gateway, openai_route: str, fake: FakeOpenAI
) -> None:
    _, key = await gateway.tenant()
    fake.script(Reply(text="Paris.", usage=FakeUsage(prompt_tokens=12, completion_tokens=2, cached_tokens=4)))
    raw = await gateway.openai(key).chat.completions.with_raw_response.create(
        model=openai_route,
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Capital of France?"}],
        max_tokens=20,
        temperature=0.2,
    )
    completion = raw.parse()
    assert completion.choices[0].message.content == "Paris."
    assert completion.model == openai_route and completion.object == "chat.completion"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (12, 2)
    assert completion.usage.prompt_tokens_details.cached_tokens == 4
    assert raw.headers["x-gateway-provider"].startswith("openai-")
    assert raw.headers["x-gateway-model"] == "gpt-4o-mini" and raw.headers["x-gateway-attempts"] == "1"
    sent = fake.last_request
    assert sent.header("Authorization") == f"Bearer {VENDOR_KEY}"
    assert sent.json["model"] == "gpt-4o-mini" and sent.json["messages"][0]["role"] == "system"


async def test_sdk_streams_through_the_gateway_with_usage(
    gateway: Gateway, openai_route: str, fake: FakeOpenAI
) -> None:
    _, key = await gateway.tenant()
    fake.script(Reply(text="one two three four", usage=FakeUsage(prompt_tokens=5, completion_tokens=4)))
    stream = await gateway.openai(key).chat.completions.create(
        model=openai_route,
        messages=[{"role": "user", "content": "count"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "one two three four"
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 4


async def test_tool_calls_come_back_in_openai_shape(gateway: Gateway, openai_route: str, fake: FakeOpenAI) -> None:
    _, key = await gateway.tenant()
    fake.script(Reply(text=None, tool_calls=(FakeToolCall(id="call_1", name="weather", arguments='{"city":"Oslo"}'),)))
    tools = [{"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}}]
    completion = await gateway.openai(key).chat.completions.create(
        model=openai_route,
        messages=[{"role": "user", "content": "Weather in Oslo?"}],
        tools=tools,
        tool_choice="auto",
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls[0].function.name == "weather"
    assert fake.last_request.json["tools"][0]["function"]["name"] == "weather"


async def test_mock_vendor_completes_and_streams(gateway: Gateway, mock_route: str) -> None:
    _, key = await gateway.tenant()
    client = gateway.openai(key)
    messages = [{"role": "user", "content": "Hello mock"}]
    first = await client.chat.completions.create(model=mock_route, messages=messages)
    second = await client.chat.completions.create(model=mock_route, messages=messages)
    assert first.choices[0].message.content == second.choices[0].message.content  # deterministic
    assert first.usage.total_tokens > 0
    stream = await client.chat.completions.create(model=mock_route, messages=messages, stream=True)
    streamed = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert streamed == first.choices[0].message.content


async def test_fallback_moves_to_the_next_target_after_a_vendor_outage(
    gateway: Gateway, fake: FakeOpenAI, mock_route: str
) -> None:
    _, key = await gateway.tenant()
    name = f"down-{id(fake)}"
    await gateway.provider(name=name, kind="openai", base_url=fake.url, api_key=VENDOR_KEY, models=["gpt-4o-mini"])
    mock_provider = next(
        p["name"] for p in (await gateway.admin.get("/api/v1/admin/providers")).json() if p["kind"] == "mock"
    )
    await gateway.route("flaky-e2e", (name, "gpt-4o-mini"), (mock_provider, "mock-1"))
    fake.fail_next(500, message="upstream exploded")
    raw = await gateway.openai(key).chat.completions.with_raw_response.create(
        model="flaky-e2e", messages=[{"role": "user", "content": "hi"}]
    )
    assert raw.headers["x-gateway-attempts"] == "2" and raw.headers["x-gateway-provider"] == mock_provider


async def test_vendor_failure_is_a_502_with_the_vendor_message(
    gateway: Gateway, openai_route: str, fake: FakeOpenAI
) -> None:
    _, key = await gateway.tenant()
    fake.fail_next(500, message="The server had an error processing your request.")
    with pytest.raises(openai.InternalServerError) as info:
        await gateway.openai(key).chat.completions.create(
            model=openai_route, messages=[{"role": "user", "content": "x"}]
        )
    assert info.value.status_code == 502
    assert "The server had an error processing your request." in info.value.message


async def test_vendor_rate_limit_is_a_429_with_retry_after(
    gateway: Gateway, openai_route: str, fake: FakeOpenAI
) -> None:
    _, key = await gateway.tenant()
    fake.fail_next(429, message="Rate limit reached", retry_after="7")
    with pytest.raises(openai.RateLimitError) as info:
        await gateway.openai(key).chat.completions.create(
            model=openai_route, messages=[{"role": "user", "content": "x"}]
        )
    assert info.value.response.headers["retry-after"] == "7"
    assert info.value.body["code"] == "rate_limited"


async def test_vendor_bad_request_is_a_400_and_keeps_the_vendor_message(
    gateway: Gateway, openai_route: str, fake: FakeOpenAI
) -> None:
    _, key = await gateway.tenant()
    fake.fail_next(400, message="Invalid value for 'temperature'.")
    with pytest.raises(openai.BadRequestError) as info:
        await gateway.openai(key).chat.completions.create(
            model=openai_route, messages=[{"role": "user", "content": "x"}]
        )
    assert "Invalid value for 'temperature'." in info.value.message
    assert len(fake.requests) == 1  # a bad request is not retried anywhere


async def test_stream_cut_by_the_vendor_ends_with_an_error_event(
    gateway: Gateway, openai_route: str, fake: FakeOpenAI
) -> None:
    _, key = await gateway.tenant()
    fake.script(Reply(text="a b c d e f g h", cut_after=3))
    stream = await gateway.openai(key).chat.completions.create(
        model=openai_route, messages=[{"role": "user", "content": "x"}], stream=True
    )
    received = []
    with pytest.raises(openai.APIError):
        async for chunk in stream:
            received.append(chunk)
    assert received  # part of the answer came through before the error event


async def test_concurrent_requests_all_complete(gateway: Gateway, mock_route: str) -> None:
    _, key = await gateway.tenant()
    client = gateway.openai(key)

    async def one(i: int) -> str:
        done = await client.chat.completions.create(model=mock_route, messages=[{"role": "user", "content": f"n{i}"}])
        return done.choices[0].message.content or ""

    answers = await asyncio.gather(*(one(i) for i in range(40)))
    assert all(f"n{i}" in a for i, a in enumerate(answers))


async def test_models_lists_what_the_tenant_may_call(gateway: Gateway, mock_route: str, openai_route: str) -> None:
    _, key = await gateway.tenant()
    listed = [m.id async for m in gateway.openai(key).models.list()]
    assert mock_route in listed and openai_route in listed
    _, limited_key = await gateway.tenant(allowed_models=[mock_route])
    assert [m.id async for m in gateway.openai(limited_key).models.list()] == [mock_route]
    with pytest.raises(openai.NotFoundError):
        await gateway.openai(limited_key).chat.completions.create(
            model=openai_route, messages=[{"role": "user", "content": "x"}]
        )


async def test_request_id_is_echoed_or_generated(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        given = await client.get("/health/live", headers={"X-Request-Id": "trace-123"})
        fresh = await client.get("/no/such/path")
    assert given.headers["x-request-id"] == "trace-123"
    assert len(fresh.headers["x-request-id"]) == 32 and fresh.status_code == 404
    assert fresh.json()["error"]["code"] == "not_found"
