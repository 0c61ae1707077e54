"""Domain ChatRequest -> Gemini generateContent body."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.llm.gemini.client import split_api_version
from adapters.llm.gemini.request import to_request_body
from adapters.llm.gemini.transport import model_path
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

USER = Message(role=Role.USER, content="Hi")
F = ToolSpec(name="f", parameters={"type": "object"})


def body(*messages: Message, model: str = "gemini-2.5-flash", **params: Any) -> dict[str, Any]:
    return to_request_body(ChatRequest(model=model, messages=messages or (USER,), params=ChatParams(**params)))


def test_a_plain_request_is_just_the_contents() -> None:
    assert body() == {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}


def test_system_messages_anywhere_become_the_system_instruction_in_order() -> None:
    out = body(Message(role=Role.SYSTEM, content="A."), USER,
               Message(role=Role.SYSTEM, content=(TextPart(text="B."), TextPart(text="C."))))

    assert out["systemInstruction"] == {"parts": [{"text": "A."}, {"text": "B."}, {"text": "C."}]}
    assert out["contents"] == [{"role": "user", "parts": [{"text": "Hi"}]}]


def test_roles_map_and_consecutive_same_role_turns_merge_while_empty_ones_vanish() -> None:
    out = body(USER, Message(role=Role.USER, content="again"), Message(role=Role.ASSISTANT, content=""),
               Message(role=Role.ASSISTANT, content="Hello"), Message(role=Role.ASSISTANT, content="there"),
               Message(role=Role.USER, content="Bye"))

    assert out["contents"] == [
        {"role": "user", "parts": [{"text": "Hi"}, {"text": "again"}]},
        {"role": "model", "parts": [{"text": "Hello"}, {"text": "there"}]},
        {"role": "user", "parts": [{"text": "Bye"}]},
    ]


def test_tool_results_name_the_function_of_the_matching_call_latest_turn_first() -> None:
    def turn(name: str) -> Message:
        return Message(role=Role.ASSISTANT, tool_calls=(ToolCall(id="call_0", name=name, arguments=""),))

    out = body(USER, turn("old"), Message(role=Role.TOOL, tool_call_id="call_0", content='{"temp": 21}'),
               turn("new"), Message(role=Role.TOOL, tool_call_id="call_0", content="[1, 2]"))

    responses = [p["functionResponse"] for c in out["contents"] for p in c["parts"] if "functionResponse" in p]
    assert responses == [{"name": "old", "response": {"temp": 21}},
                         {"name": "new", "response": {"output": "[1, 2]"}}]
    assert out["contents"][1]["parts"] == [{"functionCall": {"name": "old", "args": {}}}]


def test_parallel_results_merge_into_one_user_turn() -> None:
    calls = (ToolCall(id="a", name="f", arguments='{"x": 1}'), ToolCall(id="b", name="g", arguments="{}"))
    out = body(USER, Message(role=Role.ASSISTANT, content="Checking.", tool_calls=calls),
               Message(role=Role.TOOL, tool_call_id="b", content="B"),
               Message(role=Role.TOOL, tool_call_id="a", content="A"))

    assert out["contents"][1:] == [
        {"role": "model", "parts": [{"text": "Checking."}, {"functionCall": {"name": "f", "args": {"x": 1}}},
                                    {"functionCall": {"name": "g", "args": {}}}]},
        {"role": "user", "parts": [{"functionResponse": {"name": "g", "response": {"output": "B"}}},
                                   {"functionResponse": {"name": "f", "response": {"output": "A"}}}]},
    ]


def test_gemini_3_replayed_calls_carry_the_documented_signature_sentinel() -> None:
    history = (USER, Message(role=Role.ASSISTANT, tool_calls=(ToolCall(id="c", name="f", arguments="{}"),)))

    assert "thoughtSignature" not in body(*history)["contents"][1]["parts"][0]
    part = body(*history, model="gemini-3-pro-preview")["contents"][1]["parts"][0]
    assert part["thoughtSignature"] == "skip_thought_signature_validator"


@pytest.mark.parametrize(("message", "error"), [
    (Message(role=Role.TOOL, tool_call_id="nope", content="x"), InvalidRequestError),
    (Message(role=Role.ASSISTANT, tool_calls=(ToolCall(id="c", name="f", arguments="[1]"),)), InvalidRequestError),
    (Message(role=Role.USER, content="Hi", name="alice"), UnsupportedFeatureError),
    (Message(role=Role.USER, content=(ImagePart(url="data:image/png,rawbytes"),)), UnsupportedFeatureError),
    (Message(role=Role.USER, content=(ImagePart(url="https://x.test/photo"),)), UnsupportedFeatureError),
    (Message(role=Role.USER, content=(ImagePart(url="ftp://x.test/a.png"),)), UnsupportedFeatureError),
    (Message(role=Role.USER, content=(ImagePart(url="https://x.test/a.png", detail="ultra"),)), InvalidRequestError),
    (Message(role=Role.SYSTEM, content=(ImagePart(url="https://x.test/a.png"),)), UnsupportedFeatureError),
])
def test_messages_gemini_cannot_take_are_refused(message: Message, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        body(USER, message)

    assert caught.value.param == "messages"  # type: ignore[attr-defined]


def test_images_go_inline_or_by_uri_with_their_media_type() -> None:
    parts = (ImagePart(url="data:image/webp;base64,UklGR", detail="low"),
             ImagePart(url="https://cdn.test/p/cat.png?size=large", detail="auto"))

    out = body(Message(role=Role.USER, content=parts))

    assert out["contents"][0]["parts"] == [
        {"inlineData": {"mimeType": "image/webp", "data": "UklGR"},
         "mediaResolution": {"level": "MEDIA_RESOLUTION_LOW"}},
        {"fileData": {"mimeType": "image/png", "fileUri": "https://cdn.test/p/cat.png?size=large"}},
    ]


def test_generation_settings_and_json_mode() -> None:
    out = body(temperature=0, top_p=1, max_tokens=5, stop=("a", "b"), seed=0, presence_penalty=0,
               frequency_penalty=-1, user="end-user-7", response_format=ResponseFormat(type="json_object"))

    assert out["generationConfig"] == {
        "temperature": 0, "topP": 1, "maxOutputTokens": 5, "seed": 0, "presencePenalty": 0,
        "frequencyPenalty": -1, "stopSequences": ["a", "b"], "responseMimeType": "application/json",
    }
    assert "end-user-7" not in repr(out)  # Gemini has no end-user field


@pytest.mark.parametrize(("fmt", "error"), [(ResponseFormat(type="json_schema"), InvalidRequestError),
                                            (ResponseFormat(type="xml"), UnsupportedFeatureError)])
def test_response_formats_gemini_cannot_serve_are_refused(fmt: ResponseFormat, error: type[Exception]) -> None:
    with pytest.raises(error):
        body(response_format=fmt)


@pytest.mark.parametrize(("choice", "strict", "config"), [
    (None, None, None),
    (None, True, {"mode": "VALIDATED"}),
    (ToolChoice(mode="auto"), None, {"mode": "AUTO"}),
    (ToolChoice(mode="auto"), True, {"mode": "VALIDATED"}),
    (ToolChoice(mode="none"), True, {"mode": "NONE"}),
    (ToolChoice(mode="required"), True, {"mode": "ANY"}),
    (ToolChoice(tool="f"), None, {"mode": "ANY", "allowedFunctionNames": ["f"]}),
])
def test_tool_choice_becomes_the_function_calling_mode(
    choice: ToolChoice | None, strict: bool | None, config: dict[str, Any] | None
) -> None:
    tool = ToolSpec(name="f", description="d", parameters={"type": "object"}, strict=strict)

    out = body(tools=(tool,), tool_choice=choice, parallel_tool_calls=True)

    assert out["tools"] == [{"functionDeclarations": [
        {"name": "f", "description": "d", "parametersJsonSchema": {"type": "object"}}]}]
    assert out.get("toolConfig") == (None if config is None else {"functionCallingConfig": config})


@pytest.mark.parametrize(("params", "error"), [
    ({"tools": (F,), "parallel_tool_calls": False}, UnsupportedFeatureError),
    ({"tools": (F,), "tool_choice": ToolChoice(mode="sometimes")}, InvalidRequestError),
    ({"tool_choice": ToolChoice(mode="required")}, InvalidRequestError),
    ({"tool_choice": ToolChoice(tool="f")}, InvalidRequestError),
])
def test_tool_settings_gemini_cannot_honour_are_refused(params: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        body(**params)


def test_tool_choice_auto_or_none_without_tools_sends_nothing() -> None:
    assert body(tool_choice=ToolChoice(mode="none"), parallel_tool_calls=False) == body()


@pytest.mark.parametrize(("url", "split"), [
    ("https://generativelanguage.googleapis.com", ("https://generativelanguage.googleapis.com", "v1")),
    ("https://proxy.test/gemini/", ("https://proxy.test/gemini", "v1")),
    ("https://proxy.test/v1beta/", ("https://proxy.test", "v1beta")),
    ("https://proxy.test/v1alpha", ("https://proxy.test", "v1alpha")),
])
def test_a_version_suffix_on_the_base_url_is_the_api_version(url: str, split: tuple[str, str]) -> None:
    assert split_api_version(url) == split


@pytest.mark.parametrize(("model", "path"), [
    ("gemini-2.5-flash", "models/gemini-2.5-flash:generateContent"),
    ("tunedModels/my-tune", "tunedModels/my-tune:generateContent"),
    ("odd model?", "models/odd%20model%3F:generateContent"),
])
def test_model_paths(model: str, path: str) -> None:
    assert model_path(model, "generateContent") == path
