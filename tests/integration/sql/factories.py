"""Domain objects for the SQL tests, with fresh ids and names unless told otherwise."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from domain.catalog import ApiKeyRecord, Provider, ProviderKind, Route, Target, Tenant
from domain.keys import hash_key
from domain.usage import Usage, UsageRecord

T0 = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def tenant(name: str = "acme", **changes: Any) -> Tenant:
    return Tenant(id=changes.pop("id", new_id()), name=name, **changes)


def api_key(tenant_id: str, secret: str | None = None, **changes: Any) -> ApiKeyRecord:
    secret = secret or f"lgw-{uuid.uuid4().hex}"
    fields: dict[str, Any] = {"prefix": secret[:12], "name": "default", "created_at": T0} | changes
    return ApiKeyRecord(id=new_id(), tenant_id=tenant_id, key_hash=hash_key(secret), **fields)


def provider(name: str = "openai", api_key: str | None = "sk-live-0123456789abcdef", **changes: Any) -> Provider:
    fields: dict[str, Any] = {
        "kind": ProviderKind.OPENAI,
        "base_url": "https://api.example.com/v1",
        "models": ("gpt-4o", "gpt-4o-mini"),
        "priority": 5,
        "timeout_s": 30.5,
        "extra_headers": {"x-org": "acme"},
        "updated_at": T0,
    } | changes
    return Provider(id=new_id(), name=name, api_key=api_key, **fields)


def route(alias: str = "smart", *targets: tuple[str, str], **changes: Any) -> Route:
    pairs = targets or (("openai", "gpt-4o"), ("anthropic", "claude-sonnet"))
    return Route(
        id=changes.pop("id", new_id()),
        alias=alias,
        targets=tuple(Target(provider=p, model=m) for p, m in pairs),
        **changes,
    )


def usage_record(request_id: str, attempt: int = 1, **changes: Any) -> UsageRecord:
    fields: dict[str, Any] = {
        "created_at": T0,
        "tenant_id": new_id(),
        "requested_model": "smart",
        "provider": "openai",
        "model": "gpt-4o",
        "usage": Usage(input_tokens=10, output_tokens=20),
    } | changes
    return UsageRecord(request_id=request_id, attempt=attempt, **fields)
