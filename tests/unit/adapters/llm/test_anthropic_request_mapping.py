"""Domain ChatRequest -> the body of Anthropic's `POST /v1/messages`."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.llm.anthropic import DEFAULT_MAX_TOKENS
from adapters.llm.anthropic.request import to_body
from domain.chat import (
    ChatParams,
    ChatRequest,
    ContentPart,
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

TOOL = ToolSpec(name="lookup", description="Find", parameters={"type": "object", "properties": {"q": {}}})


def body(*messages: Message, stream: bool = False, **params: Any) -> dict[str, Any]:
    messages = messages or (user("Hi"),)
    return to_body(ChatRequest(model="claude-x", messages=messages, params=ChatParams(**params)), stream=stream)


def user(content: str | tuple[ContentPart, ...]) -> Message:
    return Message(role=Role.USER, content=content)


def test_a_plain_request_gets_the_default_max_tokens_and_nothing_else() -> None:
    assert body() == {"model": "claude-x", "max_tokens": DEFAULT_MAX_TOKENS,
                      "messages": [{"role": "user", "content": "Hi"}]}
    assert DEFAULT_MAX_TOKENS == 4096


def test_scalar_params_map_to_anthropic_names() -> None:
    out = body(max_tokens=50, stop=("END", "STOP"), user="u-1", stream=True)

    assert out["max_tokens"] == 50
    assert out["stop_sequences"] == ["END", "STOP"]
    assert out["metadata"] == {"user_id": "u-1"}
    assert out["stream"] is True


def test_system_messages_go_top_level_and_consecutive_turns_merge() -> None:
    out = body(
        Message(role=Role.SYSTEM, content="Be brief."),
        user("One."),
        user((TextPart(text="Two."),)),
        Message(role=Role.SYSTEM, content=(TextPart(text="Be kind."),)),
        Message(role=Role.ASSISTANT, content="Yes."),
        Message(role=Role.ASSISTANT, content="Really."),
        user("Three."),
    )

    assert out["system"] == "Be brief.\n\nBe kind."
    assert out["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "One."}, {"type": "text", "text": "Two."}]},
        {"role": "assistant", "content": [{"type": "text", "text": "Yes."}, {"type": "text", "text": "Really."}]},
        {"role": "user", "content": "Three."},
    ]


def test_tool_calls_become_tool_use_and_consecutive_results_share_one_user_turn() -> None:
    calls = (ToolCall(id="toolu_1", name="lookup", arguments='{"q": "a"}'),
             ToolCall(id="toolu_2", name="lookup", arguments=""))
    out = body(
        user("Look up a and b."),
        Message(role=Role.ASSISTANT, content="Looking.", tool_calls=calls),
        Message(role=Role.TOOL, tool_call_id="toolu_1", content="A"),
        Message(role=Role.TOOL, tool_call_id="toolu_2", content=(TextPart(text="B"),), name="lookup"),
        user("Thanks."),
    )

    assert out["messages"][1:] == [
        {"role": "assistant", "content": [
            {"type": "text", "text": "Looking."},
            {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": "a"}},
            {"type": "tool_use", "id": "toolu_2", "name": "lookup", "input": {}},
        ]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": "A"},
            {"type": "tool_result", "tool_use_id": "toolu_2", "content": [{"type": "text", "text": "B"}]},
            {"type": "text", "text": "Thanks."},
        ]},
    ]


def test_empty_messages_and_empty_text_parts_are_not_sent() -> None:
    out = body(user("Hi"), Message(role=Role.ASSISTANT, content=""), user((TextPart(text=""), TextPart(text="Yo"))))

    assert out["messages"] == [{"role": "user", "content": [{"type": "text", "text": "Hi"},
                                                            {"type": "text", "text": "Yo"}]}]


def test_images_become_base64_or_url_sources() -> None:
    parts = (TextPart(text="What?"), ImagePart(url="data:image/png;base64,iVBORw0KGgo=", detail="high"),
             ImagePart(url="https://x.test/a.jpg"))

    out = body(user(parts))

    assert out["messages"][0]["content"] == [
        {"type": "text", "text": "What?"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
        {"type": "image", "source": {"type": "url", "url": "https://x.test/a.jpg"}},
    ]


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("data:image/bmp;base64,Qk0=", UnsupportedFeatureError),
        ("data:image/png,rawbytes", InvalidRequestError),
        ("data:image/png;base64,", InvalidRequestError),
        ("ftp://x.test/a.png", InvalidRequestError),
    ],
)
def test_unusable_image_urls_are_refused(url: str, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        body(user((ImagePart(url=url),)))

    assert caught.value.param == "messages"  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", [Role.SYSTEM, Role.ASSISTANT])
def test_images_outside_user_and_tool_messages_are_refused(role: Role) -> None:
    with pytest.raises(UnsupportedFeatureError, match="images"):
        body(user("Hi"), Message(role=role, content=(ImagePart(url="https://x.test/a.png"),)))


def test_a_tool_result_may_carry_an_image() -> None:
    out = body(Message(role=Role.TOOL, tool_call_id="toolu_1", content=(ImagePart(url="https://x.test/a.png"),)))

    [result] = out["messages"][0]["content"]
    assert result["content"] == [{"type": "image", "source": {"type": "url", "url": "https://x.test/a.png"}}]


@pytest.mark.parametrize("arguments", ["{not json", "[1, 2]", '"text"'])
def test_tool_call_arguments_that_are_not_a_json_object_are_refused(arguments: str) -> None:
    call = ToolCall(id="toolu_1", name="lookup", arguments=arguments)

    with pytest.raises(InvalidRequestError, match="toolu_1") as caught:
        body(user("Hi"), Message(role=Role.ASSISTANT, tool_calls=(call,)))

    assert not isinstance(caught.value, UnsupportedFeatureError)


def test_a_tool_message_without_its_call_id_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="tool_call_id"):
        body(Message(role=Role.TOOL, content="A"))


@pytest.mark.parametrize("role", [Role.SYSTEM, Role.USER, Role.ASSISTANT])
def test_participant_names_are_refused(role: Role) -> None:
    with pytest.raises(UnsupportedFeatureError, match="name"):
        body(Message(role=role, content="Hi", name="alice"))


@pytest.mark.parametrize(
    ("field", "value"),
    [("temperature", 0.2), ("temperature", 1.0), ("top_p", 0.9), ("seed", 7),
     ("presence_penalty", 0.1), ("frequency_penalty", 0.3)],
)
def test_parameters_anthropic_cannot_honour_are_refused_not_dropped(field: str, value: object) -> None:
    params: dict[str, Any] = {field: value}

    with pytest.raises(UnsupportedFeatureError) as caught:
        body(**params)

    assert caught.value.param == field


def test_tools_map_to_input_schemas() -> None:
    bare = ToolSpec(name="ping")
    strict = ToolSpec(name="exact", parameters={"type": "object"}, strict=True)

    out = body(tools=(TOOL, bare, strict))

    assert out["tools"] == [
        {"name": "lookup", "input_schema": TOOL.parameters, "description": "Find"},
        {"name": "ping", "input_schema": {"type": "object", "properties": {}}},
        {"name": "exact", "input_schema": {"type": "object"}, "strict": True},
    ]
    assert "tool_choice" not in out


@pytest.mark.parametrize(
    ("choice", "parallel", "expected"),
    [
        (ToolChoice(mode="auto"), None, {"type": "auto"}),
        (ToolChoice(mode="none"), None, {"type": "none"}),
        (ToolChoice(mode="required"), None, {"type": "any"}),
        (ToolChoice(tool="lookup"), None, {"type": "tool", "name": "lookup"}),
        (ToolChoice(mode="required"), False, {"type": "any", "disable_parallel_tool_use": True}),
        (ToolChoice(tool="lookup"), False, {"type": "tool", "name": "lookup", "disable_parallel_tool_use": True}),
        (None, False, {"type": "auto", "disable_parallel_tool_use": True}),
        (ToolChoice(mode="none"), False, {"type": "none"}),
        (ToolChoice(mode="auto"), True, {"type": "auto"}),
    ],
)
def test_tool_choice_and_parallel_tool_calls(choice: ToolChoice | None, parallel: bool | None,
                                             expected: dict[str, Any]) -> None:
    assert body(tools=(TOOL,), tool_choice=choice, parallel_tool_calls=parallel)["tool_choice"] == expected


def test_tool_choice_needs_tools_unless_it_is_auto_or_none() -> None:
    assert "tool_choice" not in body(tool_choice=ToolChoice(mode="none"), parallel_tool_calls=False)
    for choice in (ToolChoice(mode="required"), ToolChoice(tool="lookup")):
        with pytest.raises(InvalidRequestError, match="requires tools"):
            body(tool_choice=choice)
    with pytest.raises(InvalidRequestError, match="unknown tool_choice"):
        body(tools=(TOOL,), tool_choice=ToolChoice(mode="sometimes"))


def test_json_schema_goes_to_output_config_and_text_adds_nothing() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}

    out = body(response_format=ResponseFormat(type="json_schema", name="x", schema=schema, strict=True))

    assert out["output_config"] == {"format": {"type": "json_schema", "schema": schema}}
    assert "output_config" not in body(response_format=ResponseFormat(type="text"))


@pytest.mark.parametrize(
    ("response_format", "error"),
    [
        (ResponseFormat(type="json_object"), UnsupportedFeatureError),
        (ResponseFormat(type="yaml"), UnsupportedFeatureError),
        (ResponseFormat(type="json_schema", name="x"), InvalidRequestError),
    ],
)
def test_response_formats_anthropic_lacks_are_refused(response_format: ResponseFormat,
                                                      error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        body(response_format=response_format)

    assert caught.value.param == "response_format"  # type: ignore[attr-defined]
