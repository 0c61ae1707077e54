"""Providers, routes and tenants as the running gateway sees them: an immutable snapshot."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec


class ProviderKind(StrEnum):
    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    GEMINI = "gemini"
    MISTRAL = "mistral"
    TOGETHER = "together"
    CUSTOM = "custom"
    MOCK = "mock"


class Provider(msgspec.Struct, frozen=True, kw_only=True):
    """A configured vendor account. `api_key` is the decrypted key: never leaves the process."""

    id: str
    name: str
    kind: ProviderKind
    base_url: str | None = None
    api_key: str | None = msgspec.field(default=None, name="api_key")
    models: tuple[str, ...] = ()
    priority: int = 0  # lower is tried first when several providers serve a bare model name
    enabled: bool = True
    timeout_s: float = 60.0
    extra_headers: dict[str, str] = msgspec.field(default_factory=dict)
    updated_at: datetime | None = None

    def __repr__(self) -> str:  # keep the key out of logs and tracebacks
        return f"Provider(id={self.id!r}, name={self.name!r}, kind={self.kind.value!r})"

    def serves(self, model: str) -> bool:
        return model in self.models


class Target(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One place a request can go: a provider (by name) and the vendor's model name.

    `weight` > 0 puts the target in its route's weighted split (see `domain.splits`); 0 makes it a
    fallback only."""

    provider: str
    model: str
    weight: int = 0

    def __post_init__(self) -> None:
        if self.weight < 0:
            raise ValueError("weight must not be negative")


class Route(msgspec.Struct, frozen=True, kw_only=True):
    """A model alias and its ordered fallback targets."""

    id: str
    alias: str
    targets: tuple[Target, ...]
    description: str | None = None

    def __post_init__(self) -> None:
        if not self.targets:
            raise ValueError("a route needs at least one target")


class Override(msgspec.Struct, frozen=True, kw_only=True):
    """An admin's choice for one customer: send `model` (None: whatever was asked) to `alias`, or
    pin it to `target`, for one `service` (None: every service). Exactly one of alias/target."""

    id: str
    customer_id: str
    service: str | None = None
    model: str | None = None
    alias: str | None = None
    target: Target | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        if (self.alias is None) == (self.target is None):
            raise ValueError("an override names exactly one of alias or target")


class Tenant(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    enabled: bool = True
    allowed_models: tuple[str, ...] = ()  # empty: every alias and model

    def may_use(self, model: str) -> bool:
        return not self.allowed_models or model in self.allowed_models


class ApiKeyRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A tenant key as stored: its hash and a short prefix for people to recognise it."""

    id: str
    tenant_id: str
    key_hash: str
    prefix: str
    name: str | None = None
    created_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None
