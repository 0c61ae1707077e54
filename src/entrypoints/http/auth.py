"""Where a caller's key is read from: `Authorization: Bearer …`, `X-API-Key` or `X-Service-Key`."""

from __future__ import annotations

from collections.abc import Mapping


def presented_key(headers: Mapping[str, str]) -> str | None:
    auth = headers.get("authorization")
    if auth:
        scheme, _, token = auth.partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None
    return headers.get("x-api-key") or headers.get("x-service-key") or None
