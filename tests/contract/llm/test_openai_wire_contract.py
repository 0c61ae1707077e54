"""What the OpenAI adapter puts on the wire and reads back, checked against `FakeOpenAI`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any, Protocol

import openai
import pytest

from adapters.llm.factory import SdkLlmProviderFactory
from application.ports.llm import LlmProvider
from domain.catalog import Provider, ProviderKind
from domain.chat import (
    ChatParams,
    ChatRequest,
    ImagePart,
    Message,
    ResponseFormat,
    Role,
    TextPart,
    ToolCall,
    ToolChoice,
    ToolSpec,
)
from domain.completion import UsageReport
from domain.errors import ProviderError, ProviderErrorKind
from domain.usage import Usage
from tests.fakes.fake_openai import FakeOpenAI, FakeUsage, Reply

pytestmark = pytest.mark.integration

CANARY = "sk-canary-7f3a9c1e5b2d4f6a8c0e"


@pytest.fixture
async def fake(fake_openai: FakeOpenAI) -> FakeOpenAI:
    fake_openai.reset()
    return fake_openai


class Make(Protocol):
    def __call__(self, kind: ProviderKind = ..., **overrides: Any) -> LlmProvider: ...


@pytest.fixture
async def make(fake: FakeOpenAI) -> AsyncIterator[Make]:
    """Builds providers through the production factory, pointed at the fake; closes them after."""
    opened: list[LlmProvider] = []

    def _make(kind: ProviderKind = ProviderKind.OPENAI, **overrides: Any) -> LlmProvider:
        fields: dict[str, Any] = {"base_url": fake.url, "api_key": "sk-test-key-000000"} | overrides
        provider = SdkLlmProviderFactory().create(Provider(id="p1", name="p1", kind=kind, **fields))
        opened.append(provider)
        return provider

    yield _make
    for provider in opened:
        await provider.aclose()


def hello(**params: object) -> ChatRequest:
    return ChatRequest(
        model="gpt-4o-mini",
        messages=(Message(role=Role.USER, content="Hello"),),
        params=ChatParams(**params),  # type: ignore[arg-type]
    )


async def test_request_body_carries_every_mapped_field(fake: FakeOpenAI, make: Make) -> None:
    tool = ToolSpec(name="lookup", description="Find", parameters={"type": "object"}, strict=True)
    request = ChatRequest(
        model="gpt-4o-mini",
        messages=(
            Message(role=Role.SYSTEM, content="Be brief."),
            Message(role=Role.USER, content=(TextPart(text="What is this?"),
                                             ImagePart(url="https://x.test/a.png", detail="low"))),
            Message(role=Role.ASSISTANT, tool_calls=(ToolCall(id="call_1", name="lookup", arguments="{}"),)),
            Message(role=Role.TOOL, tool_call_id="call_1", content="a cat"),
        ),
        params=ChatParams(
            temperature=0.2, top_p=0.9, max_tokens=50, stop=("END",), seed=7, user="u-1", tools=(tool,),
            tool_choice=ToolChoice(tool="lookup"), parallel_tool_calls=False, presence_penalty=0.1,
            frequency_penalty=0.3, response_format=ResponseFormat(type="json_schema", name="x", schema={}),
        ),
    )

    await make().complete(request)

    body = fake.last_request.json
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image_url", "image_url": {"url": "https://x.test/a.png", "detail": "low"}},
        ]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}},
        ]},
        {"role": "tool", "tool_call_id": "call_1", "content": "a cat"},
    ]
    assert {k: v for k, v in body.items() if k != "messages"} == {
        "model": "gpt-4o-mini", "temperature": 0.2, "top_p": 0.9, "max_completion_tokens": 50,
        "stop": ["END"], "seed": 7, "user": "u-1", "presence_penalty": 0.1, "frequency_penalty": 0.3,
        "tools": [{"type": "function", "function": {"name": "lookup", "description": "Find",
                                                    "parameters": {"type": "object"}, "strict": True}}],
        "tool_choice": {"type": "function", "function": {"name": "lookup"}}, "parallel_tool_calls": False,
        "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}},
    }


@pytest.mark.parametrize(
    ("kind", "field"),
    [(ProviderKind.OPENAI, "max_completion_tokens"), (ProviderKind.TOGETHER, "max_tokens"),
     (ProviderKind.CUSTOM, "max_tokens")],
)
async def test_output_limit_uses_the_field_the_vendor_knows(
    fake: FakeOpenAI, make: Make, kind: ProviderKind, field: str
) -> None:
    await make(kind).complete(hello(max_tokens=12))

    body = fake.last_request.json
    assert body[field] == 12
    assert {"max_tokens", "max_completion_tokens"} & body.keys() == {field}


async def test_stream_asks_for_usage_in_the_last_chunk(fake: FakeOpenAI, make: Make) -> None:
    [_ async for _ in make().stream(hello())]

    assert fake.last_request.json["stream"] is True
    assert fake.last_request.json["stream_options"] == {"include_usage": True}


async def test_headers_carry_the_key_and_extra_headers_but_no_ambient_org(
    fake: FakeOpenAI, make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-the-host")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-host")

    await make(extra_headers={"X-Team": "search"}).complete(hello())

    sent = fake.last_request
    assert sent.header("Authorization") == "Bearer sk-test-key-000000"
    assert sent.header("X-Team") == "search"
    assert sent.header("OpenAI-Organization") is None
    assert sent.header("x-stainless-retry-count") == "0"


async def test_custom_provider_without_key_sends_no_authorization(
    fake: FakeOpenAI, make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-host")

    await make(ProviderKind.CUSTOM, api_key=None).complete(hello())
    [_ async for _ in make(ProviderKind.CUSTOM, api_key=None).stream(hello())]

    assert [r.header("Authorization") for r in fake.requests] == [None, None]


async def test_sdk_does_not_retry_a_failed_call(fake: FakeOpenAI, make: Make) -> None:
    fake.fail_next(500)

    with pytest.raises(ProviderError):
        await make().complete(hello())

    assert len(fake.requests) == 1


async def test_usage_keeps_cached_and_reasoning_tokens(fake: FakeOpenAI, make: Make) -> None:
    usage = FakeUsage(prompt_tokens=1200, completion_tokens=300, cached_tokens=1024, reasoning_tokens=256)
    fake.default = Reply(text="Thought hard.", usage=usage)
    expected = Usage(input_tokens=1200, output_tokens=300, cached_tokens=1024, reasoning_tokens=256)
    provider = make()

    assert (await provider.complete(hello())).usage == expected
    assert [e async for e in provider.stream(hello())][-2] == UsageReport(usage=expected)


async def test_refusal_is_returned_as_the_content(fake: FakeOpenAI, make: Make) -> None:
    fake.default = Reply(text=None, refusal="I can't help with that.")

    response = await make().complete(hello())

    assert response.content == "I can't help with that."


@pytest.mark.parametrize("status", [401, 500])
@pytest.mark.parametrize("streaming", [False, True], ids=["complete", "stream"])
async def test_canary_key_echoed_by_the_vendor_never_reaches_the_error(
    fake: FakeOpenAI, make: Make, status: int, streaming: bool
) -> None:
    fake.fail_next(status, message="Incorrect API key provided: {api_key}. Key tail: " + CANARY[-12:])
    provider = make(api_key=CANARY)

    with pytest.raises(ProviderError) as caught:
        if streaming:
            [_ async for _ in provider.stream(hello())]
        else:
            await provider.complete(hello())

    assert fake.last_request.header("Authorization") == f"Bearer {CANARY}"  # the fake did echo it
    error = caught.value
    for text in (error.message, str(error), repr(error), repr(error.args)):
        assert CANARY not in text and CANARY[-12:] not in text
    assert "Incorrect API key provided" in error.message


async def test_malformed_json_is_a_server_error(fake: FakeOpenAI, make: Make) -> None:
    fake.script(Reply(malformed=True), Reply(malformed=True))
    provider = make()

    with pytest.raises(ProviderError) as whole:
        await provider.complete(hello())
    with pytest.raises(ProviderError) as streamed:
        [_ async for _ in provider.stream(hello())]

    assert whole.value.kind is streamed.value.kind is ProviderErrorKind.SERVER
    assert whole.value.status is None


async def test_fake_serves_models_and_enforces_its_key() -> None:
    async with FakeOpenAI(required_api_key="sk-right", models=("m-1", "m-2")) as fake:
        right = openai.AsyncOpenAI(base_url=fake.url, api_key="sk-right", max_retries=0)
        wrong = openai.AsyncOpenAI(base_url=fake.url, api_key="sk-wrong", max_retries=0)
        try:
            assert [m.id async for m in right.models.list()] == ["m-1", "m-2"]
            with pytest.raises(openai.AuthenticationError):
                await wrong.chat.completions.create(model="m-1", messages=[{"role": "user", "content": "x"}])
        finally:
            await right.close()
            await wrong.close()


async def test_leaving_a_stream_early_releases_it_and_the_provider_keeps_working(
    fake: FakeOpenAI, make: Make
) -> None:
    fake.default = Reply(text="many words " * 50)
    provider = make()

    async with aclosing(provider.stream(hello())) as events:
        async for _ in events:
            break

    assert (await provider.complete(hello())).content


async def test_keyless_provider_with_its_own_auth_header_sends_it_and_hides_it(
    fake: FakeOpenAI, make: Make
) -> None:
    token = "Token custom-credential-0123456789"
    fake.fail_next(500, message="upstream rejected custom-credential-0123456789")
    provider = make(ProviderKind.CUSTOM, api_key=None, extra_headers={"Authorization": token})

    with pytest.raises(ProviderError) as caught:
        await provider.complete(hello())

    assert fake.last_request.header("Authorization") == token
    assert "custom-credential" not in caught.value.message
