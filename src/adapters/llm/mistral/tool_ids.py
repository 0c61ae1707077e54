"""Tool-call ids in Mistral's form: exactly 9 letters or digits, or the API refuses the request.

OpenAI-style ids (`call_abc123…`) in the history are rewritten on the way out; ids already in
Mistral's form (the ones Mistral itself returned) pass unchanged. The rewrite is a hash, so the
same id always becomes the same Mistral id: a tool result still names its call, and a conversation
resent turn after turn keeps the same prefix (Mistral's prompt cache keys on it).
"""

from __future__ import annotations

import hashlib
import re
import string

_MISTRAL_ID = re.compile(r"[A-Za-z0-9]{9}")
_ALPHABET = string.ascii_letters + string.digits
_LENGTH = 9
_SPACE = len(_ALPHABET) ** _LENGTH


def _digest(text: str) -> str:
    number = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % _SPACE
    chars = []
    for _ in range(_LENGTH):
        number, digit = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return "".join(chars)


class ToolCallIds:
    """One request's id mapping: `ids("call_1")` gives the same Mistral id every time, and two
    different ids never share one (a hash collision is resolved by hashing again)."""

    def __init__(self) -> None:
        self._by_original: dict[str, str] = {}
        self._taken: set[str] = set()
        self.names: dict[str, str] = {}  # original id -> function name, for tool results

    def __call__(self, original: str) -> str:
        if (known := self._by_original.get(original)) is not None:
            return known
        candidate = original if _MISTRAL_ID.fullmatch(original) else _digest(original)
        attempt = 0
        while candidate in self._taken:
            attempt += 1
            candidate = _digest(f"{attempt}:{original}")
        self._by_original[original] = candidate
        self._taken.add(candidate)
        return candidate
