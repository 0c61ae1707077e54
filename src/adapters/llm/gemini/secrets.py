"""Keeping credentials out of error messages."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Google API keys, `key=` query parameters (the other way Google takes a key) and bearer tokens
_KEYLIKE = re.compile(r"\bAIza[\w\-]{20,}|(?<=key=)[^\s&\"']+|(?<=Bearer )\S+", re.I)
_TOKEN = re.compile(r"[\w\-]{10,}")
MIN_SECRET = 8  # shorter "secrets" (placeholders, flags) are not worth garbling messages for


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Remove the configured secrets, any long piece of them, and anything shaped like a key."""
    for secret in secrets:
        if len(secret) >= MIN_SECRET:
            text = text.replace(secret, "***")
            text = _TOKEN.sub(lambda m, s=secret: "***" if m.group() in s else m.group(), text)
    return _KEYLIKE.sub("***", text)
