"""Token estimates for when a vendor reports no usage (a stream cut short, a mock)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.chat import Message

CHARS_PER_TOKEN = 4


def tokens_for_chars(chars: int) -> int:
    """About four characters a token for English text; zero only for no text."""
    return -(-chars // CHARS_PER_TOKEN)


def estimate_tokens(text: str) -> int:
    return tokens_for_chars(len(text))


def estimate_prompt_tokens(messages: Iterable[Message]) -> int:
    """Text of every message plus a few tokens of per-message overhead, as OpenAI counts it."""
    return sum(estimate_tokens(m.text()) + 4 for m in messages)
