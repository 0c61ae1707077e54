"""The `LlmProvider` contract, run against every adapter (see `harness.py`)."""

from __future__ import annotations

import json

import pytest

from domain.chat import ChatParams, ChatRequest, Message, Role, ToolCall, ToolChoice, ToolSpec
from domain.completion import Finish, FinishReason, TextDelta, ToolCallDelta, UsageReport
from domain.errors import ProviderError, ProviderErrorKind
from tests.contract.llm.harness import PROVIDER_NAME, Harness, collect

pytestmark = pytest.mark.integration

WEATHER = ToolSpec(
    name="get_weather",
    description="Current weather in a city",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def chat(harness: Harness, model: str | None = None, **params: object) -> ChatRequest:
    return ChatRequest(
        model=model or harness.model,
        messages=(
            Message(role=Role.SYSTEM, content="You are terse."),
            Message(role=Role.USER, content="Say hello to the contract suite, please."),
        ),
        params=ChatParams(**params),  # type: ignore[arg-type]
    )


async def test_complete_returns_text_and_usage_when_asked_plainly(harness: Harness) -> None:
    response = await harness.provider().complete(chat(harness))

    assert response.content
    assert response.tool_calls == ()
    assert response.finish_reason is FinishReason.STOP
    assert response.id and response.model == harness.model
    assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0
    assert not response.usage.estimated


async def test_stream_concatenates_to_the_complete_answer_and_ends_with_usage_then_finish(
    harness: Harness,
) -> None:
    provider = harness.provider()
    whole = await provider.complete(chat(harness))

    events = await collect(provider, chat(harness))

    texts = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(texts) > 1
    assert "".join(texts) == whole.content
    assert events[-2:] == [UsageReport(usage=whole.usage), Finish(reason=FinishReason.STOP)]


async def test_complete_returns_a_tool_call_when_the_tool_is_required(harness: Harness) -> None:
    harness.script_tool_call("get_weather")
    request = chat(harness, tools=(WEATHER,), tool_choice=ToolChoice(mode="required"))

    response = await harness.provider().complete(request)

    assert response.finish_reason is FinishReason.TOOL_CALLS
    [call] = response.tool_calls
    assert call.id and call.name == "get_weather"
    assert isinstance(json.loads(call.arguments), dict)


async def test_stream_tool_call_deltas_reassemble_into_the_complete_tool_call(harness: Harness) -> None:
    harness.script_tool_call("get_weather", times=2)
    request = chat(harness, tools=(WEATHER,), tool_choice=ToolChoice(tool="get_weather"))
    provider = harness.provider()
    whole = await provider.complete(request)

    events = await collect(provider, request)

    deltas = [e for e in events if isinstance(e, ToolCallDelta)]
    assert {d.index for d in deltas} == {0}
    assert deltas[0].id and deltas[0].name == "get_weather"
    rebuilt = ToolCall(id=deltas[0].id, name=deltas[0].name, arguments="".join(d.arguments for d in deltas))
    assert (rebuilt,) == whole.tool_calls
    assert isinstance(events[-2], UsageReport)
    assert events[-1] == Finish(reason=FinishReason.TOOL_CALLS)


async def test_complete_answers_when_the_history_holds_a_tool_result(harness: Harness) -> None:
    call = ToolCall(id="call_abc123", name="get_weather", arguments='{"city": "Paris"}')
    request = ChatRequest(
        model=harness.model,
        messages=(
            Message(role=Role.USER, content="Weather in Paris?"),
            Message(role=Role.ASSISTANT, content=None, tool_calls=(call,)),
            Message(role=Role.TOOL, tool_call_id="call_abc123", content='{"temp_c": 21}'),
        ),
        params=ChatParams(tools=(WEATHER,)),
    )

    response = await harness.provider().complete(request)

    assert response.content and response.finish_reason is FinishReason.STOP


EXPECTED = {
    "rate_limited": (ProviderErrorKind.RATE_LIMITED, 429),
    "auth": (ProviderErrorKind.AUTH, 401),
    "bad_request": (ProviderErrorKind.BAD_REQUEST, 400),
    "context_length": (ProviderErrorKind.CONTEXT_LENGTH, 400),
    "not_found": (ProviderErrorKind.NOT_FOUND, 404),
    "server": (ProviderErrorKind.SERVER, 500),
    "overloaded": (ProviderErrorKind.OVERLOADED, 503),
    "timeout": (ProviderErrorKind.TIMEOUT, None),
    "connection": (ProviderErrorKind.CONNECTION, None),
}


@pytest.mark.parametrize("fault", EXPECTED)
@pytest.mark.parametrize("streaming", [False, True], ids=["complete", "stream"])
async def test_failures_raise_a_classified_provider_error(
    harness: Harness, fault: str, streaming: bool
) -> None:
    provider, model = harness.arrange_fault(fault)
    kind, status = EXPECTED[fault]

    with pytest.raises(ProviderError) as caught:
        if streaming:
            async for event in provider.stream(chat(harness, model)):
                pytest.fail(f"no event expected before the failure, got {event!r}")
        else:
            await provider.complete(chat(harness, model))

    error = caught.value
    assert (error.kind, error.status, error.provider) == (kind, status, PROVIDER_NAME)
    assert error.message
    if kind is ProviderErrorKind.RATE_LIMITED:
        assert error.retry_after is not None and error.retry_after > 0
    else:
        assert error.retry_after is None


async def test_stream_cut_mid_way_raises_a_connection_error_after_some_events(harness: Harness) -> None:
    provider, model = harness.arrange_fault("stream_cut")
    received = []

    with pytest.raises(ProviderError) as caught:
        async for event in provider.stream(chat(harness, model)):
            received.append(event)

    assert caught.value.kind is ProviderErrorKind.CONNECTION
    assert received and all(isinstance(e, TextDelta) for e in received)
