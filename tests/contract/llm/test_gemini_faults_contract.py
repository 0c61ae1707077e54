"""Gemini's failures, as Google sends them, through google-genai and the adapter, against `FakeGemini`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.llm.gemini import build_gemini_provider
from application.ports.llm import LlmProvider
from domain.catalog import Provider, ProviderKind
from domain.chat import ChatRequest, Message, Role
from domain.completion import StreamEvent, TextDelta
from domain.errors import ProviderError
from domain.errors import ProviderErrorKind as Kind
from tests.fakes.fake_gemini import FakeGemini, Reply, closed_port_url
from tests.fakes.gemini_wire import error_info

pytestmark = pytest.mark.integration

CANARY = "AIzaSyCanary-7f3a9c1e5b2d4f6a8c0e1234"
REQUEST = ChatRequest(model="gemini-2.5-flash", messages=(Message(role=Role.USER, content="Hello"),))


@pytest.fixture(scope="module")
async def fake_server() -> AsyncIterator[FakeGemini]:
    async with FakeGemini(required_api_key=CANARY) as fake:
        yield fake


@pytest.fixture
async def fake(fake_server: FakeGemini) -> AsyncIterator[FakeGemini]:
    fake_server.reset()
    yield fake_server


@pytest.fixture
async def opened() -> AsyncIterator[list[LlmProvider]]:
    providers: list[LlmProvider] = []
    yield providers
    for provider in providers:
        await provider.aclose()


def make(fake: FakeGemini, opened: list[LlmProvider], **overrides: Any) -> LlmProvider:
    fields: dict[str, Any] = {"base_url": fake.url, "api_key": CANARY} | overrides
    provider = build_gemini_provider(Provider(id="g1", name="g1", kind=ProviderKind.GEMINI, **fields))
    opened.append(provider)
    return provider


async def call(provider: LlmProvider, *, streaming: bool) -> list[StreamEvent]:
    if streaming:
        return [e async for e in provider.stream(REQUEST)]
    await provider.complete(REQUEST)
    return []


def assert_clean(error: ProviderError) -> None:
    for text in (error.message, str(error), repr(error), repr(error.args)):
        assert CANARY not in text and CANARY[-12:] not in text


streaming = pytest.mark.parametrize("streaming", [False, True], ids=["complete", "stream"])


@streaming
@pytest.mark.parametrize(("api_key", "status"), [(None, 403), ("AIzaSyWrong-000000000000000000000000", 400)])
async def test_a_missing_or_invalid_key_is_an_auth_failure(
    fake: FakeGemini, opened: list[LlmProvider], streaming: bool, api_key: str | None, status: int
) -> None:
    with pytest.raises(ProviderError) as caught:
        await call(make(fake, opened, api_key=api_key), streaming=streaming)

    assert (caught.value.kind, caught.value.status) == (Kind.AUTH, status)
    assert "API" in caught.value.message


@streaming
async def test_rate_limit_carries_googles_retry_delay(
    fake: FakeGemini, opened: list[LlmProvider], streaming: bool
) -> None:
    fake.fail_next(429, "Resource has been exhausted (e.g. check quota).", retry_delay="37.5s")

    with pytest.raises(ProviderError) as caught:
        await call(make(fake, opened), streaming=streaming)

    assert (caught.value.kind, caught.value.status, caught.value.retry_after) == (Kind.RATE_LIMITED, 429, 37.5)
    assert len(fake.requests) == 1  # the SDK did not retry


@pytest.mark.parametrize(("status", "message", "details", "kind"), [
    (504, "Deadline expired before operation could complete.", (), Kind.TIMEOUT),
    (400, "User location is not supported for the API use.", (), Kind.AUTH),
    (400, "API key expired. Please renew the API key.", (error_info("API_KEY_INVALID"),), Kind.AUTH),
    (500, "The model is overloaded.", (), Kind.OVERLOADED),
])
async def test_google_statuses_are_classified(
    fake: FakeGemini, opened: list[LlmProvider], status: int, message: str, details: tuple[dict[str, object], ...],
    kind: Kind,
) -> None:
    error_status = "FAILED_PRECONDITION" if "location" in message else None
    fake.fail_next(status, message, error_status=error_status, details=details)

    with pytest.raises(ProviderError) as caught:
        await call(make(fake, opened), streaming=False)

    assert (caught.value.kind, caught.value.status, caught.value.message) == (kind, status, message)


@streaming
async def test_a_blocked_prompt_is_a_content_filter_error(
    fake: FakeGemini, opened: list[LlmProvider], streaming: bool
) -> None:
    fake.script(Reply(block_reason="PROHIBITED_CONTENT"))

    with pytest.raises(ProviderError) as caught:
        await call(make(fake, opened), streaming=streaming)

    assert caught.value.kind is Kind.CONTENT_FILTER
    assert "PROHIBITED_CONTENT" in caught.value.message


@streaming
async def test_canary_key_echoed_by_the_vendor_never_reaches_the_error(
    fake: FakeGemini, opened: list[LlmProvider], streaming: bool
) -> None:
    fake.fail_next(500, "Backend rejected key {api_key} (tail " + CANARY[-12:] + ") at /v1/x?key={api_key}")

    with pytest.raises(ProviderError) as caught:
        await call(make(fake, opened), streaming=streaming)

    assert fake.last_request.header("x-goog-api-key") == CANARY  # the fake did echo it
    assert_clean(caught.value)
    assert caught.value.message.startswith("Backend rejected key ***")


@streaming
async def test_malformed_json_is_a_server_error(fake: FakeGemini, opened: list[LlmProvider], streaming: bool) -> None:
    fake.script(Reply(malformed=True))

    with pytest.raises(ProviderError) as caught:
        await call(make(fake, opened), streaming=streaming)

    assert (caught.value.kind, caught.value.status) == (Kind.SERVER, None)


async def test_a_stream_may_outlast_the_timeout_while_events_keep_coming(
    fake: FakeGemini, opened: list[LlmProvider]
) -> None:
    text = "one two three four five six seven eight"  # four events, 0.1 s apart
    fake.script(Reply(text=text, chunk_delay_s=0.1))

    events = await call(make(fake, opened, timeout_s=0.25), streaming=True)

    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == text


async def test_a_stream_that_stalls_mid_way_times_out_after_its_events(
    fake: FakeGemini, opened: list[LlmProvider]
) -> None:
    fake.script(Reply(text="one two three four", chunk_delay_s=0.5))
    received: list[StreamEvent] = []

    with pytest.raises(ProviderError) as caught:
        async for event in make(fake, opened, timeout_s=0.2).stream(REQUEST):
            received.append(event)

    assert caught.value.kind is Kind.TIMEOUT
    assert received == [TextDelta(text="one two ")]


@streaming
async def test_a_connection_failure_names_no_url_or_key(opened: list[LlmProvider], streaming: bool) -> None:
    provider = build_gemini_provider(Provider(id="g", name="g", kind=ProviderKind.GEMINI,
                                              base_url=closed_port_url(), api_key=CANARY))
    opened.append(provider)

    with pytest.raises(ProviderError) as caught:
        await call(provider, streaming=streaming)

    assert caught.value.kind is Kind.CONNECTION
    assert_clean(caught.value)
    assert "127.0.0.1" not in caught.value.message
