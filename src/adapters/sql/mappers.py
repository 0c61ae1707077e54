"""Rows ↔ domain Structs. Pure, apart from the SecretBox calls for provider keys."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import msgspec

from adapters.sql.models import ApiKeyRow, OverrideRow, ProviderRow, RouteRow, TenantRow
from application.ports.system import SecretBox
from domain.catalog import ApiKeyRecord, Override, Provider, ProviderKind, Route, Target, Tenant

log = logging.getLogger(__name__)

ANY = ""  # an override's service or model column when it applies to every one


def tenant_values(tenant: Tenant) -> dict[str, Any]:
    return {"name": tenant.name, "enabled": tenant.enabled, "allowed_models": list(tenant.allowed_models)}


def tenant_from_row(row: TenantRow) -> Tenant:
    return Tenant(id=row.id, name=row.name, enabled=row.enabled, allowed_models=tuple(row.allowed_models))


def api_key_row(key: ApiKeyRecord) -> ApiKeyRow:
    return ApiKeyRow(
        id=key.id,
        tenant_id=key.tenant_id,
        key_hash=key.key_hash,
        prefix=key.prefix,
        name=key.name,
        created_at=key.created_at or datetime.now(UTC),
        revoked_at=key.revoked_at,
    )


def api_key_from_row(row: ApiKeyRow) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row.id,
        tenant_id=row.tenant_id,
        key_hash=row.key_hash,
        prefix=row.prefix,
        name=row.name,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def provider_values(provider: Provider, box: SecretBox) -> dict[str, Any]:
    """Column values; `updated_at` is the caller's (the application stamps it), else now."""
    return {
        "name": provider.name,
        "kind": provider.kind.value,
        "base_url": provider.base_url,
        "api_key_ciphertext": None if provider.api_key is None else box.encrypt(provider.api_key),
        "models": list(provider.models),
        "priority": provider.priority,
        "enabled": provider.enabled,
        "timeout_s": provider.timeout_s,
        "extra_headers": dict(provider.extra_headers),
        "updated_at": provider.updated_at or datetime.now(UTC),
    }


def provider_from_row(row: ProviderRow, box: SecretBox) -> Provider:
    """A key that no longer decrypts (LLMGW_SECRET_KEY changed) loads as None, with a warning."""
    return Provider(
        id=row.id,
        name=row.name,
        kind=ProviderKind(row.kind),
        base_url=row.base_url,
        api_key=_decrypted(row, box),
        models=tuple(row.models),
        priority=row.priority,
        enabled=row.enabled,
        timeout_s=row.timeout_s,
        extra_headers=dict(row.extra_headers),
        updated_at=row.updated_at,
    )


def _decrypted(row: ProviderRow, box: SecretBox) -> str | None:
    if row.api_key_ciphertext is None:
        return None
    try:
        return box.decrypt(row.api_key_ciphertext)
    except ValueError:  # never log the ciphertext or the key
        log.warning("provider %r: stored API key does not decrypt with LLMGW_SECRET_KEY; loaded without key", row.name)
        return None


def route_values(route: Route) -> dict[str, Any]:
    return {
        "alias": route.alias,
        "targets": msgspec.to_builtins(route.targets),
        "description": route.description,
    }


def route_from_row(row: RouteRow) -> Route:
    targets = msgspec.convert(row.targets, tuple[Target, ...])
    return Route(id=row.id, alias=row.alias, targets=targets, description=row.description)


def override_values(override: Override) -> dict[str, Any]:
    return {
        "customer_id": override.customer_id,
        "service": override.service or ANY,
        "model": override.model or ANY,
        "alias": override.alias,
        "target": None if override.target is None else msgspec.to_builtins(override.target),
        "description": override.description,
    }


def override_from_row(row: OverrideRow) -> Override:
    return Override(
        id=row.id,
        customer_id=row.customer_id,
        service=row.service or None,
        model=row.model or None,
        alias=row.alias,
        target=None if row.target is None else msgspec.convert(row.target, Target),
        description=row.description,
    )
