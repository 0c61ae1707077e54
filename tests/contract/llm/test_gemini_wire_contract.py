"""What the Gemini adapter puts on the wire and reads back, through google-genai, against `FakeGemini`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any, Protocol

import pytest

from adapters.llm.gemini import build_gemini_provider
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
from domain.errors import UnsupportedFeatureError
from domain.usage import Usage
from tests.fakes.fake_gemini import FakeFunctionCall, FakeGemini, FakeUsage, Reply

pytestmark = pytest.mark.integration

KEY = "AIzaSyWire-0123456789abcdefghijklmnopq"
MODEL = "gemini-2.5-flash"


class Make(Protocol):
    def __call__(self, **overrides: Any) -> LlmProvider: ...


@pytest.fixture(scope="module")
async def fake_server() -> AsyncIterator[FakeGemini]:
    async with FakeGemini() as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeGemini) -> FakeGemini:
    fake_server.reset()
    return fake_server


@pytest.fixture
async def make(fake: FakeGemini) -> AsyncIterator[Make]:
    opened: list[LlmProvider] = []

    def _make(**overrides: Any) -> LlmProvider:
        fields: dict[str, Any] = {"base_url": fake.url, "api_key": KEY} | overrides
        provider = build_gemini_provider(Provider(id="g1", name="g1", kind=ProviderKind.GEMINI, **fields))
        opened.append(provider)
        return provider

    yield _make
    for provider in opened:
        await provider.aclose()


def hello(**params: object) -> ChatRequest:
    return ChatRequest(model=MODEL, messages=(Message(role=Role.USER, content="Hello"),),
                       params=ChatParams(**params))  # type: ignore[arg-type]


async def test_request_body_carries_every_mapped_field(fake: FakeGemini, make: Make) -> None:
    tool = ToolSpec(name="lookup", description="Find", parameters={"type": "object"})
    request = ChatRequest(
        model=MODEL,
        messages=(
            Message(role=Role.SYSTEM, content="Be brief."),
            Message(role=Role.USER, content=(TextPart(text="What is this?"),
                                             ImagePart(url="data:image/png;base64,iVBORw0K"))),
            Message(role=Role.USER, content=(ImagePart(url="https://x.test/a.jpg", detail="high"),)),
            Message(role=Role.ASSISTANT, tool_calls=(ToolCall(id="call_0", name="lookup", arguments='{"q": 1}'),)),
            Message(role=Role.TOOL, tool_call_id="call_0", content="a cat"),
        ),
        params=ChatParams(
            temperature=0.2, top_p=0.9, max_tokens=50, stop=("END",), seed=7, user="u-1", tools=(tool,),
            tool_choice=ToolChoice(tool="lookup"), parallel_tool_calls=True, presence_penalty=0.1,
            frequency_penalty=0.3, response_format=ResponseFormat(type="json_schema", schema={"type": "object"}),
        ),
    )

    await make().complete(request)

    assert fake.last_request.json == {
        "contents": [
            {"role": "user", "parts": [
                {"text": "What is this?"},
                {"inlineData": {"mimeType": "image/png", "data": "iVBORw0K"}},
                {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://x.test/a.jpg"},
                 "mediaResolution": {"level": "MEDIA_RESOLUTION_HIGH"}},
            ]},
            {"role": "model", "parts": [{"functionCall": {"name": "lookup", "args": {"q": 1}}}]},
            {"role": "user", "parts": [{"functionResponse": {"name": "lookup", "response": {"output": "a cat"}}}]},
        ],
        "systemInstruction": {"parts": [{"text": "Be brief."}]},
        "tools": [{"functionDeclarations": [
            {"name": "lookup", "description": "Find", "parametersJsonSchema": {"type": "object"}}]}],
        "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["lookup"]}},
        "generationConfig": {
            "temperature": 0.2, "topP": 0.9, "maxOutputTokens": 50, "seed": 7, "presencePenalty": 0.1,
            "frequencyPenalty": 0.3, "stopSequences": ["END"], "responseMimeType": "application/json",
            "responseJsonSchema": {"type": "object"},
        },
    }


async def test_calls_go_to_the_v1_model_methods_with_the_key_and_extra_headers(
    fake: FakeGemini, make: Make
) -> None:
    provider = make(extra_headers={"X-Team": "search"}, timeout_s=7.0)

    await provider.complete(hello())
    [_ async for _ in provider.stream(hello())]

    whole, streamed = fake.requests
    assert (whole.path, whole.query) == (f"/v1/models/{MODEL}:generateContent", {})
    assert (streamed.path, streamed.query) == (f"/v1/models/{MODEL}:streamGenerateContent", {"alt": "sse"})
    for sent in (whole, streamed):
        assert sent.header("x-goog-api-key") == KEY
        assert sent.header("X-Team") == "search"
        assert sent.header("Authorization") is None
    assert whole.header("X-Server-Timeout") == "7"  # Google may stop working when we stop waiting
    assert streamed.header("X-Server-Timeout") is None  # a stream may outlive the timeout


async def test_ambient_google_settings_never_apply(
    fake: FakeGemini, make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {"GOOGLE_API_KEY": "AIza-host-key", "GEMINI_API_KEY": "AIza-host-key",
                        "GOOGLE_GEMINI_BASE_URL": "http://127.0.0.1:9", "GOOGLE_GENAI_API_VERSION": "v1alpha",
                        "GOOGLE_GENAI_USE_VERTEXAI": "true", "GOOGLE_GENAI_CLIENT_MODE": "replay"}.items():
        monkeypatch.setenv(name, value)

    await make().complete(hello())
    await make(api_key=None).complete(hello())

    with_key, keyless = fake.requests
    assert with_key.path == keyless.path == f"/v1/models/{MODEL}:generateContent"
    assert (with_key.header("x-goog-api-key"), keyless.header("x-goog-api-key")) == (KEY, None)


async def test_a_version_on_the_base_url_picks_that_api_version(fake: FakeGemini, make: Make) -> None:
    await make(base_url=f"{fake.url}/v1beta/").complete(hello())

    assert fake.last_request.path == f"/v1beta/models/{MODEL}:generateContent"


async def test_usage_maps_thoughts_into_output_and_keeps_cached_tokens(fake: FakeGemini, make: Make) -> None:
    usage = FakeUsage(prompt=1200, candidates=40, cached=1024, thoughts=256)
    fake.default = Reply(text="Thought hard about it.", usage=usage)
    expected = Usage(input_tokens=1200, output_tokens=296, cached_tokens=1024, reasoning_tokens=256)
    provider = make()

    assert (await provider.complete(hello())).usage == expected
    assert [e async for e in provider.stream(hello())][-2] == UsageReport(usage=expected)


async def test_stream_sends_text_pieces_then_the_last_cumulative_usage(fake: FakeGemini, make: Make) -> None:
    fake.default = Reply(text="one two three four five", usage=FakeUsage(prompt=10, candidates=5))

    events = [e async for e in make().stream(hello())]

    assert events == [TextDelta(text="one two "), TextDelta(text="three four "), TextDelta(text="five"),
                      UsageReport(usage=Usage(input_tokens=10, output_tokens=5)), Finish(reason=FinishReason.STOP)]


async def test_parallel_function_calls_get_positional_ids_whole_or_streamed(fake: FakeGemini, make: Make) -> None:
    calls = (FakeFunctionCall(name="a", args={"x": 1}, thought_signature="c2lnbmF0dXJl"), FakeFunctionCall(name="b"))
    fake.script(*[Reply(text="Let me look.", function_calls=calls)] * 2)
    provider = make()

    whole = await provider.complete(hello())
    events = [e async for e in provider.stream(hello())]

    assert whole.content == "Let me look." and whole.finish_reason is FinishReason.TOOL_CALLS
    assert [(c.id, c.name, c.arguments) for c in whole.tool_calls] == [
        ("call_0", "a", '{"x":1}'), ("call_1", "b", "{}"),
    ]
    assert [e for e in events if isinstance(e, ToolCallDelta)] == [
        ToolCallDelta(index=0, id="call_0", name="a", arguments='{"x":1}'),
        ToolCallDelta(index=1, id="call_1", name="b", arguments="{}"),
    ]
    assert events[-1] == Finish(reason=FinishReason.TOOL_CALLS)


@pytest.mark.parametrize(("vendor", "ours"), [("MAX_TOKENS", FinishReason.LENGTH),
                                              ("SAFETY", FinishReason.CONTENT_FILTER)])
async def test_finish_reasons_are_mapped_whole_and_streamed(
    fake: FakeGemini, make: Make, vendor: str, ours: FinishReason
) -> None:
    fake.default = Reply(text="Cut short", finish_reason=vendor)
    provider = make()

    assert (await provider.complete(hello())).finish_reason is ours
    assert [e async for e in provider.stream(hello())][-1] == Finish(reason=ours)


async def test_a_refused_field_fails_before_any_request(fake: FakeGemini, make: Make) -> None:
    tool = ToolSpec(name="f")

    with pytest.raises(UnsupportedFeatureError):
        await make().complete(hello(tools=(tool,), parallel_tool_calls=False))
    with pytest.raises(UnsupportedFeatureError):
        [_ async for _ in make().stream(hello(tools=(tool,), parallel_tool_calls=False))]

    assert fake.requests == []


async def test_leaving_a_stream_early_releases_it_and_the_provider_keeps_working(fake: FakeGemini, make: Make) -> None:
    fake.default = Reply(text="many words " * 50)
    provider = make()

    async with aclosing(provider.stream(hello())) as events:
        async for _ in events:
            break

    assert (await provider.complete(hello())).content
