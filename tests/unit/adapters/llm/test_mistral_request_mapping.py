"""Domain ChatRequest -> the JSON body of Mistral's /v1/chat/completions."""

from __future__ import annotations

import re

import pytest

from adapters.llm.mistral import tool_ids
from adapters.llm.mistral.request import to_chat_body
from adapters.llm.mistral.tool_ids import ToolCallIds
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
from domain.errors import InvalidRequestError, UnsupportedFeatureError

pytestmark = pytest.mark.unit

TOOL = ToolSpec(name="f")
MISTRAL_ID = re.compile(r"[A-Za-z0-9]{9}")


def body_of(*messages: Message, stream: bool = False, **params: object) -> dict[str, object]:
    request = ChatRequest(
        model="mistral-small-latest",
        messages=messages or (Message(role=Role.USER, content="hi"),),
        params=ChatParams(**params),  # type: ignore[arg-type]
    )
    return to_chat_body(request, stream=stream)


def test_defaults_send_only_model_and_messages() -> None:
    assert body_of() == {"model": "mistral-small-latest", "messages": [{"role": "user", "content": "hi"}]}


def test_stream_sets_stream_and_nothing_mistral_does_not_know() -> None:
    assert body_of(stream=True) == {"model": "mistral-small-latest", "stream": True,
                                    "messages": [{"role": "user", "content": "hi"}]}


def test_sampling_fields_use_mistral_names_and_user_is_not_sent() -> None:
    out = body_of(temperature=0.3, top_p=0.9, max_tokens=50, seed=7, stop=("END",), user="u-1",
                  presence_penalty=0.5, frequency_penalty=-0.5)

    assert {k: v for k, v in out.items() if k not in ("model", "messages")} == {
        "temperature": 0.3, "top_p": 0.9, "max_tokens": 50, "random_seed": 7, "stop": ["END"],
        "presence_penalty": 0.5, "frequency_penalty": -0.5,
    }


def test_tools_always_carry_parameters_and_keep_description_and_strict() -> None:
    bare, full = ToolSpec(name="ping"), ToolSpec(name="lookup", description="Find", parameters={"type": "object",
                                                 "properties": {"q": {"type": "string"}}}, strict=True)

    out = body_of(tools=(bare, full), parallel_tool_calls=False)

    assert out["tools"] == [
        {"type": "function", "function": {"name": "ping", "parameters": {"type": "object", "properties": {}}}},
        {"type": "function", "function": {"name": "lookup", "description": "Find", "strict": True,
                                          "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}},
    ]
    assert out["parallel_tool_calls"] is False


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        (ToolChoice(mode="auto"), "auto"),
        (ToolChoice(mode="none"), "none"),
        (ToolChoice(mode="required"), "any"),
        (ToolChoice(mode="any"), "any"),
        (ToolChoice(tool="f"), {"type": "function", "function": {"name": "f"}}),
    ],
)
def test_tool_choice_maps_to_mistral_values(choice: ToolChoice, wire: object) -> None:
    assert body_of(tools=(TOOL,), tool_choice=choice)["tool_choice"] == wire


def test_tool_choice_forcing_a_tool_without_tools_is_invalid() -> None:
    with pytest.raises(InvalidRequestError):
        body_of(tool_choice=ToolChoice(mode="required"))


def test_unknown_tool_choice_mode_is_invalid() -> None:
    with pytest.raises(InvalidRequestError):
        body_of(tools=(TOOL,), tool_choice=ToolChoice(mode="sometimes"))


@pytest.mark.parametrize(
    ("response_format", "wire"),
    [
        (ResponseFormat(type="text"), {"type": "text"}),
        (ResponseFormat(type="json_object"), {"type": "json_object"}),
        (ResponseFormat(type="json_schema", name="answer", schema={"type": "object"}, strict=True),
         {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": True}}),
    ],
)
def test_response_format(response_format: ResponseFormat, wire: dict[str, object]) -> None:
    assert body_of(response_format=response_format)["response_format"] == wire


def test_unknown_response_format_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError):
        body_of(response_format=ResponseFormat(type="grammar"))


def test_user_content_parts_map_to_text_and_image_url_chunks() -> None:
    parts = (TextPart(text="look"), ImagePart(url="data:image/png;base64,AA"),
             ImagePart(url="https://x.test/a.png", detail="high"))

    [message] = body_of(Message(role=Role.USER, content=parts))["messages"]  # type: ignore[misc]

    assert message == {"role": "user", "content": [
        {"type": "text", "text": "look"},
        {"type": "image_url", "image_url": "data:image/png;base64,AA"},
        {"type": "image_url", "image_url": {"url": "https://x.test/a.png", "detail": "high"}},
    ]}


@pytest.mark.parametrize("role", [Role.SYSTEM, Role.ASSISTANT])
def test_images_outside_user_messages_are_refused(role: Role) -> None:
    with pytest.raises(UnsupportedFeatureError):
        body_of(Message(role=role, content=(ImagePart(url="https://x.test/a.png"),)))


@pytest.mark.parametrize("role", [Role.SYSTEM, Role.USER, Role.ASSISTANT])
def test_a_participant_name_is_refused_not_dropped(role: Role) -> None:
    with pytest.raises(UnsupportedFeatureError) as caught:
        body_of(Message(role=role, content="hi", name="ann"))

    assert caught.value.param == "messages"


def test_tool_call_ids_are_rewritten_consistently_and_results_keep_their_call_and_name() -> None:
    calls = (ToolCall(id="call_abc123", name="weather", arguments='{"city": "Paris"}'),
             ToolCall(id="call_def456", name="time", arguments="{}"))
    messages = body_of(
        Message(role=Role.USER, content="Weather and time?"),
        Message(role=Role.ASSISTANT, tool_calls=calls),
        Message(role=Role.TOOL, tool_call_id="call_def456", content="noon"),
        Message(role=Role.TOOL, tool_call_id="call_abc123", content="21C"),
    )["messages"]

    assistant, later, earlier = messages[1], messages[2], messages[3]  # type: ignore[index]
    first, second = (c["id"] for c in assistant["tool_calls"])
    assert MISTRAL_ID.fullmatch(first) and MISTRAL_ID.fullmatch(second) and first != second
    assert "content" not in assistant
    assert assistant["tool_calls"][0] == {"id": first, "type": "function",
                                          "function": {"name": "weather", "arguments": '{"city": "Paris"}'}}
    assert later == {"role": "tool", "content": "noon", "tool_call_id": second, "name": "time"}
    assert earlier == {"role": "tool", "content": "21C", "tool_call_id": first, "name": "weather"}


def test_the_same_openai_id_gets_the_same_mistral_id_in_every_request() -> None:
    def rewritten() -> str:
        call = ToolCall(id="call_PTLP8xhu3uwZk4l3nlnrrJha", name="f", arguments="{}")
        message = body_of(Message(role=Role.ASSISTANT, tool_calls=(call,)))["messages"][0]  # type: ignore[index]
        return str(message["tool_calls"][0]["id"])

    assert rewritten() == rewritten()


def test_ids_already_in_mistral_form_pass_unchanged() -> None:
    ids = ToolCallIds()

    assert ids("D681PevKs") == "D681PevKs"
    assert ids("call_1") != "call_1"


def test_a_hash_collision_still_gives_distinct_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    real = tool_ids._digest
    monkeypatch.setattr(tool_ids, "_digest", lambda text: "D681PevKs" if text == "call_x" else real(text))
    ids = ToolCallIds()

    kept, rewritten = ids("D681PevKs"), ids("call_x")

    assert kept == "D681PevKs" and MISTRAL_ID.fullmatch(rewritten) and rewritten != kept
    assert ids("call_x") == rewritten


def test_a_tool_message_without_tool_call_id_is_invalid() -> None:
    with pytest.raises(InvalidRequestError):
        body_of(Message(role=Role.TOOL, content="x"))
