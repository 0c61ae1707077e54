"""What the Mistral adapter puts on the wire and reads back, checked against `FakeMistral`.

The fake refuses what the real API refuses (unknown fields, OpenAI-style tool-call ids, a user turn
right after a tool result), so a request it accepts is one Mistral would accept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

import httpx2
import pytest
from mistralai.client import Mistral
from mistralai.client.errors import SDKError

from adapters.llm.mistral import build_mistral_provider
from adapters.llm.mistral.errors import to_provider_error
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
from domain.completion import Finish, FinishReason, TextDelta, ToolCallDelta, UsageReport
from domain.errors import ProviderError, ProviderErrorKind, UnsupportedFeatureError
from domain.usage import Usage
from tests.contract.llm.harness import collect
from tests.fakes.fake_mistral import FakeMistral, FakeToolCall, FakeUsage, Reply

pytestmark = pytest.mark.integration

KEY = "mistral-key-00000000000000000000"
CANARY = "canary0Mistral7f3a9c1e5b2d4f6a8c"
WEATHER = ToolSpec(name="weather", parameters={"type": "object", "properties": {"city": {"type": "string"}}})


@pytest.fixture(scope="module")
async def server() -> AsyncIterator[FakeMistral]:
    async with FakeMistral() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeMistral) -> FakeMistral:
    server.reset()
    return server


class Make(Protocol):
    def __call__(self, **overrides: Any) -> LlmProvider: ...


@pytest.fixture
async def make(fake: FakeMistral) -> AsyncIterator[Make]:
    """Providers built by `build_mistral_provider`, pointed at the fake; closed after the test."""
    opened: list[LlmProvider] = []

    def _make(**overrides: Any) -> LlmProvider:
        fields: dict[str, Any] = {"base_url": fake.url, "api_key": KEY} | overrides
        provider = build_mistral_provider(Provider(id="p1", name="mistral-main", kind=ProviderKind.MISTRAL, **fields))
        opened.append(provider)
        return provider

    yield _make
    for provider in opened:
        await provider.aclose()


def hello(*messages: Message, **params: object) -> ChatRequest:
    return ChatRequest(
        model="mistral-small-latest",
        messages=messages or (Message(role=Role.USER, content="Hello"),),
        params=ChatParams(**params),  # type: ignore[arg-type]
    )


async def test_request_body_carries_every_mapped_field_in_mistral_names(fake: FakeMistral, make: Make) -> None:
    request = hello(
        Message(role=Role.SYSTEM, content="Be brief."),
        Message(role=Role.USER, content=(TextPart(text="What is this?"), ImagePart(url="https://x.test/a.png"))),
        Message(role=Role.ASSISTANT, tool_calls=(ToolCall(id="call_1", name="weather", arguments="{}"),)),
        Message(role=Role.TOOL, tool_call_id="call_1", content="a cat"),
        temperature=0.2, top_p=0.9, max_tokens=64, seed=42, stop=("END",), user="end-user-7",
        presence_penalty=0.1, frequency_penalty=0.2, tools=(WEATHER,), tool_choice=ToolChoice(mode="required"),
        parallel_tool_calls=False, response_format=ResponseFormat(type="json_object"),
    )

    await make().complete(request)

    sent = fake.last_request.json
    call_id = sent["messages"][2]["tool_calls"][0]["id"]
    assert sent["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "What is this?"},
                                     {"type": "image_url", "image_url": "https://x.test/a.png"}]},
        {"role": "assistant", "tool_calls": [{"id": call_id, "type": "function",
                                              "function": {"name": "weather", "arguments": "{}"}}]},
        {"role": "tool", "content": "a cat", "tool_call_id": call_id, "name": "weather"},
    ]
    assert {k: v for k, v in sent.items() if k != "messages"} == {
        "model": "mistral-small-latest", "temperature": 0.2, "top_p": 0.9, "max_tokens": 64, "random_seed": 42,
        "stop": ["END"], "presence_penalty": 0.1, "frequency_penalty": 0.2, "tool_choice": "any",
        "tools": [{"type": "function", "function": {"name": "weather", "parameters": WEATHER.parameters}}],
        "parallel_tool_calls": False, "response_format": {"type": "json_object"},
    }


async def test_stream_sends_no_stream_options_and_reads_usage_and_cached_tokens_from_the_last_chunk(
    fake: FakeMistral, make: Make,
) -> None:
    fake.default = Reply(text="one two three", usage=FakeUsage(prompt_tokens=20, completion_tokens=3,
                                                                cached_tokens=16))

    events = await collect(make(), hello())

    assert "stream_options" not in fake.last_request.json and fake.last_request.json["stream"] is True
    assert fake.last_request.header("Accept") == "text/event-stream"
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "one two three"
    assert events[-2:] == [UsageReport(usage=Usage(input_tokens=20, output_tokens=3, cached_tokens=16)),
                           Finish(reason=FinishReason.STOP)]


async def test_headers_carry_the_key_the_sdk_user_agent_and_extra_headers(fake: FakeMistral, make: Make) -> None:
    await make(extra_headers={"X-Team": "billing"}).complete(hello())

    request = fake.last_request
    assert request.header("Authorization") == f"Bearer {KEY}"
    assert (request.header("User-Agent") or "").startswith("mistral-client-python/")
    assert request.header("X-Team") == "billing"


async def test_an_authorization_extra_header_replaces_the_bearer_key(fake: FakeMistral, make: Make) -> None:
    await make(api_key=None, extra_headers={"authorization": "Basic dXNlcjpwYXNz"}).complete(hello())

    assert fake.last_request.header("Authorization") == "Basic dXNlcjpwYXNz"


async def test_a_keyless_provider_sends_no_key_even_with_mistral_api_key_set(
    fake: FakeMistral, make: Make, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", "from-the-environment-0123456789")

    await make(api_key=None).complete(hello())

    assert fake.last_request.header("Authorization") is None


async def test_an_openai_style_base_url_ending_in_v1_works(fake: FakeMistral, make: Make) -> None:
    response = await make(base_url=f"{fake.url}/v1/").complete(hello())

    assert response.content and fake.last_request.path == "/v1/chat/completions"


async def test_vendor_tool_call_ids_come_back_unchanged_and_are_sent_back_unchanged(
    fake: FakeMistral, make: Make,
) -> None:
    calls = (FakeToolCall(id="D681PevKs", name="weather", arguments='{"city": "Paris"}'),
             FakeToolCall(id="Zq9Xw2Lm0", name="weather", arguments='{"city": "Lyon"}'))
    fake.script(Reply(tool_calls=calls))
    provider = make()

    answer = await provider.complete(hello(tools=(WEATHER,)))
    await provider.complete(hello(
        Message(role=Role.USER, content="Weather?"),
        Message(role=Role.ASSISTANT, tool_calls=answer.tool_calls),
        *(Message(role=Role.TOOL, tool_call_id=c.id, content="sunny") for c in answer.tool_calls),
        tools=(WEATHER,),
    ))

    assert [c.id for c in answer.tool_calls] == ["D681PevKs", "Zq9Xw2Lm0"]
    sent = fake.last_request.json["messages"]
    assert [c["id"] for c in sent[1]["tool_calls"]] == ["D681PevKs", "Zq9Xw2Lm0"]
    assert [m["tool_call_id"] for m in sent[2:]] == ["D681PevKs", "Zq9Xw2Lm0"]


async def test_parallel_tool_calls_stream_with_their_own_indexes(fake: FakeMistral, make: Make) -> None:
    calls = (FakeToolCall(id="D681PevKs", name="weather", arguments='{"city": "Paris"}'),
             FakeToolCall(id="Zq9Xw2Lm0", name="weather", arguments='{"city": "Lyon"}'))
    fake.script(Reply(tool_calls=calls))

    events = await collect(make(), hello(tools=(WEATHER,)))

    assert [(e.index, e.id) for e in events if isinstance(e, ToolCallDelta)] == [(0, "D681PevKs"), (1, "Zq9Xw2Lm0")]
    assert events[-1] == Finish(reason=FinishReason.TOOL_CALLS)


async def test_a_field_mistral_cannot_honour_is_refused_before_any_call(fake: FakeMistral, make: Make) -> None:
    with pytest.raises(UnsupportedFeatureError):
        await make().complete(hello(Message(role=Role.USER, content="hi", name="ann")))

    assert fake.requests == []


async def test_the_vendors_role_order_refusal_reaches_the_caller_as_a_bad_request(
    fake: FakeMistral, make: Make,
) -> None:
    call = ToolCall(id="D681PevKs", name="weather", arguments="{}")
    request = hello(
        Message(role=Role.USER, content="Weather?"), Message(role=Role.ASSISTANT, tool_calls=(call,)),
        Message(role=Role.TOOL, tool_call_id="D681PevKs", content="sunny"), Message(role=Role.USER, content="And?"),
    )

    with pytest.raises(ProviderError) as caught:
        await make().complete(request)

    error = caught.value
    assert (error.kind, error.status) == (ProviderErrorKind.BAD_REQUEST, 400)
    assert error.message == "Unexpected role 'user' after role 'tool'"


async def test_model_length_finishes_with_length(fake: FakeMistral, make: Make) -> None:
    fake.script(Reply(finish_reason="model_length"), Reply(finish_reason="model_length"))
    provider = make()

    assert (await provider.complete(hello())).finish_reason is FinishReason.LENGTH
    assert (await collect(provider, hello()))[-1] == Finish(reason=FinishReason.LENGTH)


async def test_finish_reason_error_mid_stream_is_a_server_error_after_the_text(fake: FakeMistral, make: Make) -> None:
    fake.script(Reply(text="one two three", finish_reason="error", chunk_delay_s=0.01))
    received = []

    with pytest.raises(ProviderError) as caught:
        async for event in make().stream(hello()):
            received.append(event)

    assert caught.value.kind is ProviderErrorKind.SERVER
    assert all(isinstance(e, TextDelta) for e in received)  # pieces read together with the error go with it
    assert "".join(e.text for e in received if isinstance(e, TextDelta)) in ("one ", "one two ")


@pytest.mark.parametrize("streaming", [False, True], ids=["complete", "stream"])
async def test_a_malformed_answer_is_a_server_error(fake: FakeMistral, make: Make, streaming: bool) -> None:
    fake.script(Reply(malformed=True))
    provider = make()

    with pytest.raises(ProviderError) as caught:
        if streaming:
            await collect(provider, hello())
        else:
            await provider.complete(hello())

    assert caught.value.kind is ProviderErrorKind.SERVER


@pytest.mark.parametrize("streaming", [False, True], ids=["complete", "stream"])
async def test_the_canary_key_never_appears_in_an_error(fake: FakeMistral, make: Make, streaming: bool) -> None:
    fake.fail_next(401, message="Invalid API key {api_key}, key fragment: 0Mistral7f3a9c1e5b2d")
    provider = make(api_key=CANARY, extra_headers={"X-Api-Key": "header-canary-0123456789"})

    with pytest.raises(ProviderError) as caught:
        if streaming:
            await collect(provider, hello())
        else:
            await provider.complete(hello())

    error = caught.value
    assert fake.last_request.header("Authorization") == f"Bearer {CANARY}"  # the fake did echo it
    for text in (error.message, str(error), repr(error)):
        assert CANARY not in text and "0Mistral7f3a9c1e5b2d" not in text
    assert error.message.startswith("Invalid API key ***")


async def test_the_fake_refuses_openai_only_fields_like_the_real_api(fake: FakeMistral) -> None:
    body = {"model": "mistral-small-latest", "messages": [{"role": "user", "content": "hi", "name": "ann"}],
            "user": "u-1", "stream_options": {"include_usage": True}, "max_completion_tokens": 5}
    async with httpx2.AsyncClient() as http:
        response = await http.post(f"{fake.url}/v1/chat/completions", json=body)

    error = to_provider_error(SDKError("API error occurred", response, response.text), provider="p")
    assert (response.status_code, error.kind) == (422, ProviderErrorKind.BAD_REQUEST)
    assert error.message == "; ".join(f"{field}: Extra inputs are not permitted" for field in (
        "body.user", "body.stream_options", "body.max_completion_tokens", "body.messages.0.user.name"))


async def test_the_fake_refuses_openai_style_tool_call_ids_like_the_real_api(fake: FakeMistral) -> None:
    messages = [{"role": "user", "content": "hi"},
                {"role": "assistant", "tool_calls": [{"id": "call_abc123", "function": {"name": "f",
                                                                                       "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_abc123", "content": "x"}]
    async with httpx2.AsyncClient() as http:
        response = await http.post(f"{fake.url}/v1/chat/completions",
                                   json={"model": "mistral-small-latest", "messages": messages})

    assert response.status_code == 400
    assert response.json()["message"] == "Tool call id was call_abc123 but must be a-z, A-Z, 0-9, with a length of 9."


async def test_the_official_sdk_parses_the_fakes_answers(fake: FakeMistral) -> None:
    """The fake's JSON and SSE are what the SDK's own models expect, so the adapter tests mean something."""
    fake.script(Reply(text="Bonjour tout le monde"),
                Reply(tool_calls=(FakeToolCall(id="D681PevKs", name="weather", arguments="{}"),)),
                Reply(text="Bonjour tout le monde"))
    messages = [{"role": "user", "content": "Hello"}]
    async with Mistral(api_key=KEY, server_url=fake.url) as client:
        text = await client.chat.complete_async(model="mistral-small-latest", messages=messages)  # type: ignore[arg-type]
        tool = await client.chat.complete_async(model="mistral-small-latest", messages=messages)  # type: ignore[arg-type]
        stream = await client.chat.stream_async(model="mistral-small-latest", messages=messages)  # type: ignore[arg-type]
        chunks = [event.data async for event in stream]

    assert text.choices[0].message.content == "Bonjour tout le monde" and text.usage.prompt_tokens
    assert tool.choices[0].finish_reason == "tool_calls"
    assert tool.choices[0].message.tool_calls and tool.choices[0].message.tool_calls[0].id == "D681PevKs"
    assert "".join(str(c.choices[0].delta.content or "") for c in chunks) == "Bonjour tout le monde"
    assert chunks[-1].usage is not None and chunks[-1].choices[0].finish_reason == "stop"
    assert fake.last_request.json["stream"] is True
