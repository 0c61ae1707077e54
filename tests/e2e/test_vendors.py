"""Whatever vendor answers, the openai SDK pointed at the gateway gets OpenAI's shapes: plain,
streamed, with tool calls, with usage; and a vendor's error never echoes the vendor key."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import openai
import pytest
import pytest_asyncio

from tests.e2e.conftest import Gateway, unique
from tests.fakes import (
    anthropic_wire,
    fake_anthropic,
    fake_gemini,
    fake_mistral,
    fake_openai,
    gemini_wire,
    mistral_wire,
)

pytestmark = pytest.mark.integration

CANARY = "sk-canary-e2e-do-not-echo-0123456789"


@dataclass(frozen=True)
class Vendor:
    kind: str
    fake: Callable[..., Any]  # the fake server class
    model: str
    text: Callable[[str], Any]  # a Reply with this text and usage 11 in / 7 out
    tool: Callable[[str], Any]  # a Reply calling this tool with {"city": "Oslo"}
    base_url: Callable[[str], str] = lambda url: url


VENDORS = [
    Vendor(
        "openai",
        fake_openai.FakeOpenAI,
        "gpt-4o-mini",
        lambda t: fake_openai.Reply(text=t, usage=fake_openai.FakeUsage(prompt_tokens=11, completion_tokens=7)),
        lambda n: fake_openai.Reply(
            text=None, tool_calls=(fake_openai.FakeToolCall(id="call_1", name=n, arguments='{"city": "Oslo"}'),)
        ),
    ),
    Vendor(
        "together",
        fake_openai.FakeOpenAI,
        "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        lambda t: fake_openai.Reply(text=t, usage=fake_openai.FakeUsage(prompt_tokens=11, completion_tokens=7)),
        lambda n: fake_openai.Reply(
            text=None, tool_calls=(fake_openai.FakeToolCall(id="call_1", name=n, arguments='{"city": "Oslo"}'),)
        ),
    ),
    Vendor(
        "custom",
        fake_openai.FakeOpenAI,
        "qwen2.5-7b-instruct",
        lambda t: fake_openai.Reply(text=t, usage=fake_openai.FakeUsage(prompt_tokens=11, completion_tokens=7)),
        lambda n: fake_openai.Reply(
            text=None, tool_calls=(fake_openai.FakeToolCall(id="call_1", name=n, arguments='{"city": "Oslo"}'),)
        ),
    ),
    Vendor(
        "anthropic",
        fake_anthropic.FakeAnthropic,
        "claude-sonnet-4-5",
        lambda t: fake_anthropic.Reply(text=t, usage=anthropic_wire.FakeUsage(input_tokens=11, output_tokens=7)),
        lambda n: fake_anthropic.Reply(
            text=None, tool_uses=(anthropic_wire.FakeToolUse(id="toolu_1", name=n, input={"city": "Oslo"}),)
        ),
    ),
    Vendor(
        "gemini",
        fake_gemini.FakeGemini,
        "gemini-2.5-flash",
        lambda t: fake_gemini.Reply(text=t, usage=gemini_wire.FakeUsage(prompt=11, candidates=7)),
        lambda n: fake_gemini.Reply(
            text=None, function_calls=(gemini_wire.FakeFunctionCall(name=n, args={"city": "Oslo"}),)
        ),
    ),
    Vendor(
        "mistral",
        fake_mistral.FakeMistral,
        "mistral-small-latest",
        lambda t: fake_mistral.Reply(text=t, usage=mistral_wire.FakeUsage(prompt_tokens=11, completion_tokens=7)),
        lambda n: fake_mistral.Reply(
            text=None, tool_calls=(mistral_wire.FakeToolCall(id="D681PevKs", name=n, arguments='{"city": "Oslo"}'),)
        ),
    ),
]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        },
    }
]
ASK = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Weather in Oslo?"}]


@dataclass
class Routed:
    vendor: Vendor
    fake: Any
    alias: str
    key: str


@pytest_asyncio.fixture(params=VENDORS, ids=lambda v: v.kind, loop_scope="session")
async def routed(request: pytest.FixtureRequest, gateway: Gateway) -> AsyncIterator[Routed]:
    vendor: Vendor = request.param
    async with vendor.fake(required_api_key=CANARY) as fake:
        name = unique(vendor.kind)
        await gateway.provider(
            name=name,
            kind=vendor.kind,
            base_url=vendor.base_url(fake.url),
            api_key=CANARY,
            models=[vendor.model],
            timeout_s=5,
        )
        alias = unique(f"{vendor.kind}-alias")
        await gateway.route(alias, (name, vendor.model))
        _, key = await gateway.tenant()
        yield Routed(vendor, fake, alias, key)


async def test_plain_completion_has_openai_shape(gateway: Gateway, routed: Routed) -> None:
    routed.fake.script(routed.vendor.text("Cold and clear."))
    done = await gateway.openai(routed.key).chat.completions.create(model=routed.alias, messages=ASK, max_tokens=50)
    assert done.object == "chat.completion" and done.model == routed.alias
    assert done.choices[0].message.role == "assistant"
    assert done.choices[0].message.content == "Cold and clear."
    assert done.choices[0].finish_reason == "stop"
    assert (done.usage.prompt_tokens, done.usage.completion_tokens, done.usage.total_tokens) == (11, 7, 18)


async def test_stream_has_openai_chunks_and_usage(gateway: Gateway, routed: Routed) -> None:
    routed.fake.script(routed.vendor.text("Cold and clear today."))
    stream = await gateway.openai(routed.key).chat.completions.create(
        model=routed.alias, messages=ASK, max_tokens=50, stream=True, stream_options={"include_usage": True}
    )
    chunks = [c async for c in stream]
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Cold and clear today."
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 7


async def test_tool_call_has_openai_shape_plain_and_streamed(gateway: Gateway, routed: Routed) -> None:
    client = gateway.openai(routed.key)
    routed.fake.script(routed.vendor.tool("weather"), routed.vendor.tool("weather"))
    done = await client.chat.completions.create(model=routed.alias, messages=ASK, tools=TOOLS, tool_choice="auto")
    (call,) = done.choices[0].message.tool_calls
    assert done.choices[0].finish_reason == "tool_calls"
    assert call.type == "function" and call.function.name == "weather" and call.id
    assert openai_json(call.function.arguments) == {"city": "Oslo"}
    stream = await client.chat.completions.create(model=routed.alias, messages=ASK, tools=TOOLS, stream=True)
    pieces = [tc for c in [c async for c in stream] if c.choices for tc in c.choices[0].delta.tool_calls or []]
    assert pieces[0].function.name == "weather" and pieces[0].id
    assert openai_json("".join(p.function.arguments or "" for p in pieces)) == {"city": "Oslo"}


async def test_vendor_errors_never_echo_the_vendor_key(gateway: Gateway, routed: Routed) -> None:
    routed.fake.fail_next(500, message="upstream failed for key {api_key}")
    with pytest.raises(openai.APIStatusError) as info:
        await gateway.openai(routed.key).chat.completions.create(model=routed.alias, messages=ASK)
    assert info.value.status_code in (502, 503)
    assert CANARY not in str(info.value.body) and CANARY[-12:] not in str(info.value.body)


def openai_json(text: str) -> object:
    import json

    return json.loads(text)


async def test_a_field_the_first_vendor_cannot_honour_moves_to_the_next_target(gateway: Gateway) -> None:
    async with fake_anthropic.FakeAnthropic(required_api_key=CANARY) as fake:
        claude, mock = unique("anthropic"), unique("mock")
        await gateway.provider(
            name=claude, kind="anthropic", base_url=fake.url, api_key=CANARY, models=["claude-haiku-4-5"]
        )
        await gateway.provider(name=mock, kind="mock", models=["mock-1"])
        alias = unique("claude-first")
        await gateway.route(alias, (claude, "claude-haiku-4-5"), (mock, "mock-1"))
        _, key = await gateway.tenant()
        client = gateway.openai(key)
        raw = await client.chat.completions.with_raw_response.create(model=alias, messages=ASK, temperature=0.2)
        assert (raw.headers["x-gateway-provider"], raw.headers["x-gateway-attempts"]) == (mock, "2")
        assert fake.requests == []  # refused before any call to Anthropic
        solo = unique("claude-only")
        await gateway.route(solo, (claude, "claude-haiku-4-5"))
        with pytest.raises(openai.BadRequestError) as info:
            await client.chat.completions.create(model=solo, messages=ASK, temperature=0.2)
        assert info.value.body["param"] == "temperature"

