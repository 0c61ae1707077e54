"""`POST /api/v1/admin/providers/{id}/test` body and answer."""

from __future__ import annotations

import msgspec


class ProviderTestIn(msgspec.Struct, forbid_unknown_fields=True):
    model: str | None = None  # default: the provider's first model


class ProviderTestOut(msgspec.Struct):
    ok: bool
    model: str
    latency_ms: float
    error_kind: str | None = None
    error_message: str | None = None
    status: int | None = None
