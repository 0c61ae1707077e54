"""What the Anthropic adapter puts on the wire and reads back, through the real SDK, against `FakeAnthropic`."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Any, Protocol

import anthropic
import pytest

from adapters.llm.anthropic import DEFAULT_MAX_TOKENS, build_anthropic_provider
from application.ports.llm import LlmProvider
from domain.catalog import Provider, ProviderKind
from domain.chat import ChatParams, ChatRequest, ImagePart, Message, Role, TextPart, ToolCall, ToolChoice, ToolSpec
from domain.completion import ChatResponse, Finish, FinishReason, StreamEvent, TextDelta, ToolCallDelta, UsageReport
from domain.errors import ProviderError, ProviderErrorKind, UnsupportedFeatureError
from domain.usage import Usage
from tests.fakes.fake_anthropic import FakeAnthropic, FakeToolUse, FakeUsage, Reply

pytestmark = pytest.mark.integration

KEY = "sk-ant-api03-test-key-000000"
CANARY = "sk-ant-canary-7f3a9c1e5b2d4f6a8c0e"


@pytest.fixture(scope="module")
async def server() -> AsyncIterator[FakeAnthropic]:
    async with FakeAnthropic() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeAnthropic) -> FakeAnthropic:
    server.reset()
    return server


class Make(Protocol):
    def __call__(self, **overrides: Any) -> LlmProvider: ...


@pytest.fixture
async def make(fake: FakeAnthropic) -> AsyncIterator[Make]:
    """Builds providers with `build_anthropic_provider`, pointed at the fake; closes them after."""
    opened: list[LlmProvider] = []

    def _make(**overrides: Any) -> LlmProvider:
        fields: dict[str, Any] = {"base_url": fake.url, "api_key": KEY, "timeout_s": 5.0} | overrides
        provider = build_anthropic_provider(Provider(id="p1", name="claude", kind=ProviderKind.ANTHROPIC, **fields))
        opened.append(provider)
        return provider

    yield _make
    for provider in opened:
        await provider.aclose()


def hello(**params: object) -> ChatRequest:
    return ChatRequest(model="claude-haiku-4-5", messages=(Message(role=Role.USER, content="Hello"),),
                       params=ChatParams(**params))  # type: ignore[arg-type]


async def both(provider: LlmProvider, request: ChatRequest) -> tuple[ChatResponse, list[StreamEvent]]:
    return await provider.complete(request), [e async for e in provider.stream(request)]


async def test_request_body_carries_system_turns_tools_and_images_as_anthropic_wants(
    fake: FakeAnthropic, make: Make
) -> None:
    tool = ToolSpec(name="lookup", description="Find", parameters={"type": "object"})
    request = ChatRequest(
        model="claude-haiku-4-5",
        messages=(
            Message(role=Role.SYSTEM, content="Be brief."),
            Message(role=Role.USER, content=(TextPart(text="What is this?"),
                                             ImagePart(url="data:image/png;base64,iVBORw0KGgo="))),
            Message(role=Role.USER, content=(ImagePart(url="https://x.test/a.jpg"),)),
            Message(role=Role.ASSISTANT, tool_calls=(ToolCall(id="toolu_1", name="lookup", arguments='{"q": 1}'),
                                                     ToolCall(id="toolu_2", name="lookup", arguments="{}"))),
            Message(role=Role.TOOL, tool_call_id="toolu_1", content="a cat"),
            Message(role=Role.TOOL, tool_call_id="toolu_2", content="a hat"),
        ),
        params=ChatParams(stop=("END",), user="u-1", tools=(tool,), tool_choice=ToolChoice(tool="lookup"),
                          parallel_tool_calls=False),
    )

    await make().complete(request)

    assert fake.last_request.path == "/v1/messages"
    assert fake.last_request.json == {
        "model": "claude-haiku-4-5", "max_tokens": DEFAULT_MAX_TOKENS, "system": "Be brief.",
        "messages": [
            {"role": "user", "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                {"type": "image", "source": {"type": "url", "url": "https://x.test/a.jpg"}},
            ]},
            {"role": "assistant", "content": [
                {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": 1}},
                {"type": "tool_use", "id": "toolu_2", "name": "lookup", "input": {}},
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": "a cat"},
                {"type": "tool_result", "tool_use_id": "toolu_2", "content": "a hat"},
            ]},
        ],
        "stop_sequences": ["END"], "metadata": {"user_id": "u-1"},
        "tools": [{"name": "lookup", "input_schema": {"type": "object"}, "description": "Find"}],
        "tool_choice": {"type": "tool", "name": "lookup", "disable_parallel_tool_use": True},
    }


async def test_stream_asks_for_a_stream_and_an_explicit_max_tokens_is_kept(fake: FakeAnthropic, make: Make) -> None:
    [_ async for _ in make().stream(hello(max_tokens=12))]

    assert fake.last_request.json["stream"] is True
    assert fake.last_request.json["max_tokens"] == 12


@pytest.mark.parametrize("field", ["temperature", "top_p", "seed", "presence_penalty", "frequency_penalty"])
async def test_unsupported_parameters_are_refused_before_any_request(
    fake: FakeAnthropic, make: Make, field: str
) -> None:
    provider = make()

    with pytest.raises(UnsupportedFeatureError):
        await provider.complete(hello(**{field: 0.5 if field != "seed" else 7}))
    with pytest.raises(UnsupportedFeatureError):
        [_ async for _ in provider.stream(hello(**{field: 0.5 if field != "seed" else 7}))]

    assert fake.requests == []


async def test_headers_carry_the_key_version_and_extra_headers_and_ignore_the_environment(
    fake: FakeAnthropic, make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-from-the-host")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")

    await make(extra_headers={"X-Team": "search", "anthropic-beta": "fast-mode-2026-02-01"}).complete(hello())

    sent = fake.last_request
    assert sent.header("Authorization") == f"Bearer {KEY}"
    assert sent.header("anthropic-version") == "2026-10-21"
    assert (sent.header("X-Team"), sent.header("anthropic-beta")) == ("search", "fast-mode-2026-02-01")
    assert sent.header("x-stainless-retry-count") == "0"


async def test_a_keyless_provider_sends_no_authorization_but_its_own_key_header_hidden_from_errors(
    fake: FakeAnthropic, make: Make
) -> None:
    fake.fail_next(500, message="upstream rejected proxy-credential-0123456789")

    with pytest.raises(ProviderError) as caught:
        await make(api_key=None, extra_headers={"x-api-key": "proxy-credential-0123456789"}).complete(hello())
    await make(api_key=None).complete(hello())

    assert [(r.header("Authorization"), r.header("x-api-key")) for r in fake.requests] == [
        (None, "proxy-credential-0123456789"), (None, None)]
    assert "proxy-credential" not in caught.value.message


@pytest.mark.parametrize("status", [429, 500, 529])
async def test_the_sdk_does_not_retry_a_failed_call(fake: FakeAnthropic, make: Make, status: int) -> None:
    fake.fail_next(status, retry_after="0")

    with pytest.raises(ProviderError):
        await make().complete(hello())

    assert len(fake.requests) == 1


async def test_usage_counts_the_whole_prompt_and_cache_reads_in_complete_and_stream(
    fake: FakeAnthropic, make: Make
) -> None:
    fake.default = Reply(text="Cached.", usage=FakeUsage(input_tokens=20, output_tokens=300, thinking_tokens=250,
                                                         cache_read_input_tokens=1000, cache_creation_input_tokens=80))
    expected = Usage(input_tokens=1100, output_tokens=300, cached_tokens=1000, reasoning_tokens=250)

    whole, events = await both(make(), hello())

    assert whole.usage == expected
    assert events[-2:] == [UsageReport(usage=expected), Finish(reason=FinishReason.STOP)]


@pytest.mark.parametrize(
    ("stop_reason", "finish"),
    [("max_tokens", FinishReason.LENGTH), ("stop_sequence", FinishReason.STOP),
     ("refusal", FinishReason.CONTENT_FILTER)],
)
async def test_stop_reasons_arrive_as_finish_reasons(
    fake: FakeAnthropic, make: Make, stop_reason: str, finish: FinishReason
) -> None:
    fake.default = Reply(text="Partial answer", stop_reason=stop_reason)

    whole, events = await both(make(), hello())

    assert whole.finish_reason is finish and events[-1] == Finish(reason=finish)


async def test_text_then_tool_use_gives_content_and_a_tool_call_numbered_zero(fake: FakeAnthropic, make: Make) -> None:
    fake.default = Reply(text="Let me check.", tool_uses=(FakeToolUse(id="toolu_9", name="lookup", input={"q": "x"}),))

    whole, events = await both(make(), hello())

    assert whole.content == "Let me check." and whole.finish_reason is FinishReason.TOOL_CALLS
    assert whole.tool_calls == (ToolCall(id="toolu_9", name="lookup", arguments='{"q": "x"}'),)
    calls = [e for e in events if isinstance(e, ToolCallDelta)]
    assert {c.index for c in calls} == {0} and calls[0].id == "toolu_9"
    assert "".join(c.arguments for c in calls) == whole.tool_calls[0].arguments
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == whole.content


async def test_overloaded_529_is_an_overloaded_error(fake: FakeAnthropic, make: Make) -> None:
    fake.fail_next(529, message="Overloaded")

    with pytest.raises(ProviderError) as caught:
        await make().complete(hello())

    assert (caught.value.kind, caught.value.status, caught.value.message) == (
        ProviderErrorKind.OVERLOADED, 529, "Overloaded")


@pytest.mark.parametrize(
    ("error_type", "kind"),
    [("overloaded_error", ProviderErrorKind.OVERLOADED), ("api_error", ProviderErrorKind.SERVER)],
)
async def test_an_error_event_mid_stream_raises_after_the_text_so_far(
    fake: FakeAnthropic, make: Make, error_type: str, kind: ProviderErrorKind
) -> None:
    fake.script(Reply(text="one two three four", error_after=5, error_type=error_type, error_message="Overloaded"))
    received: list[StreamEvent] = []

    with pytest.raises(ProviderError) as caught:
        async for event in make().stream(hello()):
            received.append(event)

    assert received == [TextDelta(text="one "), TextDelta(text="two ")]
    assert (caught.value.kind, caught.value.status, caught.value.message) == (kind, None, "Overloaded")


async def test_a_stream_that_stalls_mid_way_times_out(fake: FakeAnthropic, make: Make) -> None:
    fake.script(Reply(text="slow words here", chunk_delay_s=0.5))

    with pytest.raises(ProviderError) as caught:
        [_ async for _ in make(timeout_s=0.2).stream(hello())]

    assert caught.value.kind is ProviderErrorKind.TIMEOUT


@pytest.mark.parametrize("status", [401, 500])
@pytest.mark.parametrize("streaming", [False, True], ids=["complete", "stream"])
async def test_canary_key_echoed_by_the_vendor_never_reaches_the_error(
    fake: FakeAnthropic, make: Make, status: int, streaming: bool
) -> None:
    fake.fail_next(status, message="invalid x-api-key: {api_key}. Key tail: " + CANARY[-12:])
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
    assert error.message.startswith("invalid x-api-key")


async def test_malformed_json_is_a_server_error(fake: FakeAnthropic, make: Make) -> None:
    fake.script(Reply(malformed=True), Reply(malformed=True))
    provider = make()

    with pytest.raises(ProviderError) as whole:
        await provider.complete(hello())
    with pytest.raises(ProviderError) as streamed:
        [_ async for _ in provider.stream(hello())]

    assert whole.value.kind is streamed.value.kind is ProviderErrorKind.SERVER


async def test_leaving_a_stream_early_releases_it_and_the_provider_keeps_working(
    fake: FakeAnthropic, make: Make
) -> None:
    fake.default = Reply(text="many words " * 50)
    provider = make()
    events = provider.stream(hello())
    assert isinstance(events, AsyncGenerator)

    async with aclosing(events):
        async for _ in events:
            break

    assert (await provider.complete(hello())).content


async def test_the_fake_refuses_what_anthropic_refuses() -> None:
    async with FakeAnthropic(required_api_key="sk-ant-right") as fake:
        wrong = anthropic.AsyncAnthropic(base_url=fake.url, api_key="sk-ant-wrong", max_retries=0)
        right = anthropic.AsyncAnthropic(base_url=fake.url, api_key="sk-ant-right", max_retries=0)
        try:
            with pytest.raises(anthropic.AuthenticationError):
                await wrong.messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}])
            with pytest.raises(anthropic.BadRequestError, match="max_tokens: Field required"):
                await right.post("/v1/messages", cast_to=object, body={"model": "m", "messages": []})
            reply = await right.messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}])
            assert reply.content[0].type == "text" and reply.usage.input_tokens > 0
        finally:
            await wrong.close()
            await right.close()
