"""The deterministic mock vendor."""

from __future__ import annotations

import pytest

from adapters.llm.mock import CUT_MODEL, MockLlmProvider
from adapters.llm.mock.provider import words
from domain.chat import ChatParams, ChatRequest, Message, Role, ToolChoice, ToolSpec
from domain.completion import Finish, FinishReason, TextDelta, ToolCallDelta, UsageReport
from domain.errors import InvalidRequestError, ProviderError, ProviderErrorKind
from domain.usage import Usage

pytestmark = pytest.mark.unit

MOCK = MockLlmProvider(name="demo")


def ask(text: str = "What is the weather like?", model: str = "any-model", **params: object) -> ChatRequest:
    return ChatRequest(
        model=model,
        messages=(Message(role=Role.SYSTEM, content="Be kind."), Message(role=Role.USER, content=text)),
        params=ChatParams(**params),  # type: ignore[arg-type]
    )


async def test_answer_quotes_the_last_user_message_and_counts_usage() -> None:
    response = await MOCK.complete(ask())

    assert response.content == "Mock reply to: What is the weather like?"
    assert response.model == "any-model" and response.finish_reason is FinishReason.STOP
    # ceil((8 + 25) / 4) in, ceil(40 / 4) out
    assert response.usage == Usage(input_tokens=9, output_tokens=10, estimated=False)


async def test_same_request_gets_the_same_answer_and_another_request_another_id() -> None:
    first, again = await MOCK.complete(ask()), await MOCK.complete(ask())
    other = await MOCK.complete(ask("Hi"))

    assert first == again
    assert other.id != first.id


async def test_quote_is_cut_at_200_characters() -> None:
    response = await MOCK.complete(ask("x" * 500))

    assert response.content == "Mock reply to: " + "x" * 200


async def test_max_tokens_truncates_with_finish_length() -> None:
    response = await MOCK.complete(ask(max_tokens=3))

    assert response.content == "Mock reply t"
    assert response.finish_reason is FinishReason.LENGTH and response.usage.output_tokens == 3


async def test_stop_sequence_cuts_the_answer() -> None:
    response = await MOCK.complete(ask(stop=("weather", "What")))

    assert response.content == "Mock reply to: "
    assert response.finish_reason is FinishReason.STOP


@pytest.mark.parametrize(
    ("choice", "name"), [(ToolChoice(mode="required"), "first"), (ToolChoice(tool="second"), "second")]
)
async def test_forced_tool_is_called_with_empty_arguments(choice: ToolChoice, name: str) -> None:
    tools = (ToolSpec(name="first"), ToolSpec(name="second"))

    response = await MOCK.complete(ask(tools=tools, tool_choice=choice))

    assert response.content is None and response.finish_reason is FinishReason.TOOL_CALLS
    [call] = response.tool_calls
    assert (call.name, call.arguments) == (name, "{}") and call.id.startswith("call_")


async def test_tools_on_auto_get_a_text_answer() -> None:
    response = await MOCK.complete(ask(tools=(ToolSpec(name="f"),), tool_choice=ToolChoice(mode="auto")))

    assert response.tool_calls == () and response.content


async def test_stream_sends_word_pieces_then_usage_and_finish() -> None:
    whole = await MOCK.complete(ask())

    events = [e async for e in MOCK.stream(ask())]

    assert [e.text for e in events[:-2] if isinstance(e, TextDelta)] == words(whole.content or "")
    assert events[-2:] == [UsageReport(usage=whole.usage), Finish(reason=FinishReason.STOP)]


async def test_stream_of_a_tool_call_sends_head_then_arguments() -> None:
    request = ask(tools=(ToolSpec(name="f"),), tool_choice=ToolChoice(tool="f"))
    call = (await MOCK.complete(request)).tool_calls[0]

    events = [e async for e in MOCK.stream(request)]

    head, arguments = ToolCallDelta(index=0, id=call.id, name="f"), ToolCallDelta(index=0, arguments="{}")
    assert events[:2] == [head, arguments]
    assert events[-1] == Finish(reason=FinishReason.TOOL_CALLS)


def test_words_concatenate_back_to_the_text() -> None:
    text = "  Mock reply to:  spaced\tout \n text "

    assert "".join(words(text)) == text and len(words(text)) == 6
    assert words("   ") == ["   "] and words("") == []


@pytest.mark.parametrize("kind", list(ProviderErrorKind))
async def test_fail_models_raise_that_kind(kind: ProviderErrorKind) -> None:
    with pytest.raises(ProviderError) as caught:
        await MOCK.complete(ask(model=f"mock-fail-{kind.value}"))

    assert (caught.value.kind, caught.value.provider) == (kind, "demo")


async def test_unknown_fail_kind_is_an_invalid_request_naming_the_kinds() -> None:
    with pytest.raises(InvalidRequestError, match=r"unknown mock fault 'nonsense': use mock-fail-<rate_limited\|"):
        await MOCK.complete(ask(model="mock-fail-nonsense"))


async def test_cut_model_streams_two_pieces_then_fails_like_a_dropped_connection() -> None:
    received = []

    with pytest.raises(ProviderError) as caught:
        async for event in MOCK.stream(ask(model=CUT_MODEL)):
            received.append(event)

    assert len(received) == 2 and caught.value.kind is ProviderErrorKind.CONNECTION
