"""OpenAI's error envelope: `{"error": {"message", "type", "param", "code"}}`."""

from __future__ import annotations

import msgspec


class ErrorBody(msgspec.Struct):
    message: str
    type: str
    code: str | None = None
    param: str | None = None


class ErrorEnvelope(msgspec.Struct):
    error: ErrorBody
