"""Secret scrubbing shared by every vendor adapter."""

from __future__ import annotations

import pytest

from adapters.llm.common.secrets import scrub, sensitive_header_values

pytestmark = pytest.mark.unit

KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123"


@pytest.mark.parametrize(
    "text",
    [f"bad key {KEY}", f"bad key {KEY[-14:]}!", "Incorrect API key provided: sk-proj-****************0123.",
     "header was Bearer abc.def.ghi", "url https://x.test/v1?key=AIzaSyD-secret&x=1"],
)
def test_the_key_its_pieces_and_key_shaped_tokens_are_removed(text: str) -> None:
    cleaned = scrub(text, [KEY])

    assert KEY[-14:] not in cleaned and "****0123" not in cleaned
    assert "abc.def.ghi" not in cleaned and "AIzaSyD-secret" not in cleaned
    assert "***" in cleaned


@pytest.mark.parametrize(
    ("text", "expected"),
    [("other sk-ant-zz99yy88 here", "other *** here"),
     (f"google AIzaSy{'x' * 33} key", "google *** key"),
     ("url https://h/v1/m?key=AIzaOther123&alt=sse", "url https://h/v1/m?key=***&alt=sse"),
     ("Authorization: Bearer abc.def", "Authorization: Bearer ***")],
)
def test_key_shapes_are_removed_without_knowing_the_key(text: str, expected: str) -> None:
    assert scrub(text, ()) == expected


def test_a_key_without_a_known_shape_and_its_long_pieces_are_removed() -> None:
    key = "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE"  # Mistral: 32 letters and digits, no prefix

    assert scrub(f"Invalid key {key}; part {key[4:20]}; word {key[:6]}", (key,)) == (
        f"Invalid key ***; part ***; word {key[:6]}"  # a 6-character piece is too short to hide
    )


def test_ordinary_messages_and_short_secrets_are_left_alone() -> None:
    message = "Invalid value for 'temperature': expected a number between 0 and 2."

    assert scrub(message, [KEY]) == message
    assert scrub("temperature must be at most 1.5", ("", "1.5", "most")) == "temperature must be at most 1.5"
    assert scrub("model: claude-haiku-4-5 not found", ("short",)) == "model: claude-haiku-4-5 not found"


def test_every_secret_is_covered_and_placeholders_are_ignored() -> None:
    text = "no-key is fine; header token tok_live_1234567890abcdef leaked"

    assert scrub(text, ["no-key", "tok_live_1234567890abcdef"]) == "no-key is fine; header token *** leaked"


def test_credential_headers_are_picked_by_name() -> None:
    headers = {"Authorization": "Bearer t1", "X-Api-Key": "k1", "x-auth-token": "t2", "Cookie": "c=1",
               "X-Client-Secret": "s1", "OpenAI-Organization": "org-1", "X-Title": "demo"}

    assert sensitive_header_values(headers) == ("Bearer t1", "k1", "t2", "c=1", "s1")
