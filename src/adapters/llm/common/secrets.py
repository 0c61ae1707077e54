"""Keeping credentials out of error messages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import partial

# OpenAI-style (`sk-`, `pk-`, `rk-`) and Google (`AIza…`) keys, bearer tokens and `key=` values
_KEYLIKE = re.compile(
    r"\b(?:sk|pk|rk)-[\w\-*.]{4,}|\bAIza[\w\-]{20,}|(?<=Bearer )\S+|(?<=key=)[^\s&\"']+", re.I
)
_TOKEN = re.compile(r"[\w\-]{10,}")  # a piece of a secret long enough to be worth hiding
_SENSITIVE_HEADER = re.compile(r"auth|key|token|secret|cookie", re.I)
MIN_SECRET = 8  # shorter "secrets" (placeholders, flags) are not worth garbling messages for
MASK = "***"


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Remove the configured secrets, any long piece of them, and anything shaped like a key or token."""
    for secret in secrets:
        if len(secret) >= MIN_SECRET:
            text = text.replace(secret, MASK)
            text = _TOKEN.sub(partial(_mask_if_part_of, secret), text)
    return _KEYLIKE.sub(MASK, text)


def _mask_if_part_of(secret: str, match: re.Match[str]) -> str:
    return MASK if match.group() in secret else match.group()


def sensitive_header_values(headers: Mapping[str, str]) -> tuple[str, ...]:
    """The values of headers whose names suggest a credential (auth, key, token, secret, cookie)."""
    return tuple(value for name, value in headers.items() if _SENSITIVE_HEADER.search(name))
