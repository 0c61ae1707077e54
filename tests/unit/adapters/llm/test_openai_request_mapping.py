"""Domain ChatRequest -> chat.completions.create keyword arguments."""

from __future__ import annotations

import pytest

from adapters.llm.openai.request import to_create_params
from domain.chat import (
    ChatParams,
    ChatRequest,
    ImagePart,
    Message,
    ResponseFormat,
    Role,
    TextPart,
    ToolChoice,
    ToolSpec,
)
from domain.errors import InvalidRequestError, UnsupportedFeatureError

pytestmark = pytest.mark.unit

TOOL = ToolSpec(name="f")


def params_of(*messages: Message, stream: bool = False, **params: object) -> dict[str, object]:
    request = ChatRequest(
        model="m",
        messages=messages or (Message(role=Role.USER, content="hi"),),
        params=ChatParams(**params),  # type: ignore[arg-type]
    )
    return to_create_params(request, max_tokens_field="max_completion_tokens", stream=stream)


def test_defaults_send_only_model_and_messages() -> None:
    assert params_of() == {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def test_stream_always_asks_for_usage() -> None:
    out = params_of(stream=True)

    assert out["stream"] is True
    assert out["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("field", ["max_completion_tokens", "max_tokens"])
def test_max_tokens_goes_to_the_chosen_field(field: str) -> None:
    request = ChatRequest(
        model="m", messages=(Message(role=Role.USER, content="x"),), params=ChatParams(max_tokens=9)
    )

    out = to_create_params(request, max_tokens_field=field, stream=False)  # type: ignore[arg-type]

    assert out[field] == 9 and len(out) == 3


def test_user_content_parts_map_to_text_and_image_url() -> None:
    parts = (TextPart(text="look"), ImagePart(url="data:image/png;base64,AA"))
    message = Message(role=Role.USER, name="ann", content=parts)

    assert params_of(message)["messages"] == [{
        "role": "user", "name": "ann",
        "content": [{"type": "text", "text": "look"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,AA"}}],
    }]


@pytest.mark.parametrize("role", [Role.SYSTEM, Role.ASSISTANT])
def test_images_outside_user_messages_are_refused(role: Role) -> None:
    with pytest.raises(UnsupportedFeatureError):
        params_of(Message(role=role, content=(ImagePart(url="https://x.test/i.png"),)))


def test_tool_message_needs_its_call_id() -> None:
    with pytest.raises(InvalidRequestError):
        params_of(Message(role=Role.TOOL, content="42"))


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        (ToolChoice(mode="auto"), "auto"),
        (ToolChoice(mode="none"), "none"),
        (ToolChoice(mode="required"), "required"),
        (ToolChoice(tool="f"), {"type": "function", "function": {"name": "f"}}),
    ],
)
def test_tool_choice_maps_to_openai_values(choice: ToolChoice, wire: object) -> None:
    out = params_of(tools=(TOOL,), tool_choice=choice, parallel_tool_calls=True)

    assert out["tool_choice"] == wire
    assert out["tools"] == [{"type": "function", "function": {"name": "f"}}]
    assert out["parallel_tool_calls"] is True


def test_tool_options_without_tools_are_not_sent() -> None:
    out = params_of(tool_choice=ToolChoice(mode="auto"), parallel_tool_calls=False)

    assert "tool_choice" not in out and "parallel_tool_calls" not in out


@pytest.mark.parametrize("choice", [ToolChoice(mode="required"), ToolChoice(tool="f")])
def test_forcing_a_tool_without_tools_is_invalid(choice: ToolChoice) -> None:
    with pytest.raises(InvalidRequestError):
        params_of(tool_choice=choice)


def test_unknown_tool_choice_mode_is_invalid() -> None:
    with pytest.raises(InvalidRequestError):
        params_of(tools=(TOOL,), tool_choice=ToolChoice(mode="sometimes"))


@pytest.mark.parametrize(
    ("fmt", "wire"),
    [
        (ResponseFormat(type="text"), {"type": "text"}),
        (ResponseFormat(type="json_object"), {"type": "json_object"}),
        (ResponseFormat(type="json_schema", name="r", schema={"type": "object"}, strict=True),
         {"type": "json_schema", "json_schema": {"name": "r", "schema": {"type": "object"}, "strict": True}}),
        (ResponseFormat(type="json_schema"),
         {"type": "json_schema", "json_schema": {"name": "response", "schema": {}}}),
    ],
)
def test_response_format_maps_to_openai_shapes(fmt: ResponseFormat, wire: object) -> None:
    assert params_of(response_format=fmt)["response_format"] == wire


def test_unknown_response_format_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError):
        params_of(response_format=ResponseFormat(type="yaml"))
