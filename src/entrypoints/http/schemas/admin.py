"""Admin API bodies and answers. Vendor keys are write-only: answers carry a mask at most."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from domain.catalog import ApiKeyRecord, Provider, ProviderKind, Route, Target, Tenant
from domain.keys import mask_secret

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TenantIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    enabled: bool = True
    allowed_models: list[str] = msgspec.field(default_factory=list)


class TenantPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    enabled: bool | UnsetType = UNSET
    allowed_models: list[str] | UnsetType = UNSET


class TenantOut(msgspec.Struct):
    id: str
    name: str
    enabled: bool
    allowed_models: list[str]


class KeyIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class KeyOut(msgspec.Struct):
    id: str
    tenant_id: str
    prefix: str
    name: str | None
    created_at: datetime | None
    revoked_at: datetime | None
    active: bool


class IssuedKeyOut(msgspec.Struct):
    """`key` is shown this once; only its hash is stored."""

    key: str
    key_info: KeyOut


class TenantCreated(msgspec.Struct):
    tenant: TenantOut
    api_key: IssuedKeyOut


class ProviderIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")]
    kind: ProviderKind
    base_url: str | None = None
    api_key: str | None = None
    models: list[str] = msgspec.field(default_factory=list)
    priority: int = 0
    enabled: bool = True
    timeout_s: Annotated[float, msgspec.Meta(gt=0, le=600)] = 60.0
    extra_headers: dict[str, str] = msgspec.field(default_factory=dict)


class ProviderPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields left out stay as they are; `api_key: null` removes the key."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")] | UnsetType = UNSET
    base_url: str | UnsetType | None = UNSET
    api_key: str | UnsetType | None = UNSET
    models: list[str] | UnsetType = UNSET
    priority: int | UnsetType = UNSET
    enabled: bool | UnsetType = UNSET
    timeout_s: Annotated[float, msgspec.Meta(gt=0, le=600)] | UnsetType = UNSET
    extra_headers: dict[str, str] | UnsetType = UNSET


class ProviderOut(msgspec.Struct):
    id: str
    name: str
    kind: ProviderKind
    base_url: str | None
    api_key: str | None  # masked: "****" plus the last four characters at most
    models: list[str]
    priority: int
    enabled: bool
    timeout_s: float
    extra_headers: list[str]  # header names only: values may hold credentials
    updated_at: datetime | None


class TargetIO(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    provider: Annotated[str, msgspec.Meta(min_length=1)]
    model: Annotated[str, msgspec.Meta(min_length=1)]
    weight: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 0  # > 0: in the route's weighted split


class RouteIn(msgspec.Struct, forbid_unknown_fields=True):
    alias: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    targets: Annotated[list[TargetIO], msgspec.Meta(min_length=1)]
    description: str | None = None


class RouteOut(msgspec.Struct):
    id: str
    alias: str
    targets: list[TargetIO]
    description: str | None


def changes(patch: msgspec.Struct) -> dict[str, object]:
    """The fields a PATCH body set, lists made tuples to fit the domain."""
    out: dict[str, object] = {}
    for name in patch.__struct_fields__:
        value = getattr(patch, name)
        if value is not UNSET:
            out[name] = tuple(value) if isinstance(value, list) else value
    return out


def tenant_out(t: Tenant) -> TenantOut:
    return TenantOut(id=t.id, name=t.name, enabled=t.enabled, allowed_models=list(t.allowed_models))


def key_out(k: ApiKeyRecord) -> KeyOut:
    return KeyOut(
        id=k.id,
        tenant_id=k.tenant_id,
        prefix=k.prefix,
        name=k.name,
        created_at=k.created_at,
        revoked_at=k.revoked_at,
        active=k.active,
    )


def provider_from(body: ProviderIn) -> Provider:
    return Provider(
        id="",
        name=body.name,
        kind=body.kind,
        base_url=body.base_url,
        api_key=body.api_key,
        models=tuple(body.models),
        priority=body.priority,
        enabled=body.enabled,
        timeout_s=body.timeout_s,
        extra_headers=body.extra_headers,
    )


def provider_out(p: Provider) -> ProviderOut:
    return ProviderOut(
        id=p.id,
        name=p.name,
        kind=p.kind,
        base_url=p.base_url,
        api_key=mask_secret(p.api_key),
        models=list(p.models),
        priority=p.priority,
        enabled=p.enabled,
        timeout_s=p.timeout_s,
        extra_headers=sorted(p.extra_headers),
        updated_at=p.updated_at,
    )


def targets_from(body: RouteIn) -> tuple[Target, ...]:
    return tuple(Target(provider=t.provider, model=t.model, weight=t.weight) for t in body.targets)


def route_out(r: Route) -> RouteOut:
    return RouteOut(
        id=r.id,
        alias=r.alias,
        description=r.description,
        targets=[TargetIO(provider=t.provider, model=t.model, weight=t.weight) for t in r.targets],
    )
