"""Where the routing data comes from, and the snapshot of it the hot path reads."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from typing import Protocol

import msgspec

from domain.catalog import ApiKeyRecord, Override, Provider, Route, Tenant


class CatalogSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a request needs, loaded at once. Keys are indexed by their hash."""

    providers: Mapping[str, Provider] = msgspec.field(default_factory=dict)  # by name
    routes: Mapping[str, Route] = msgspec.field(default_factory=dict)  # by alias
    tenants: Mapping[str, Tenant] = msgspec.field(default_factory=dict)  # by id
    keys_by_hash: Mapping[str, ApiKeyRecord] = msgspec.field(default_factory=dict)  # active keys only
    overrides: Mapping[str, tuple[Override, ...]] = msgspec.field(default_factory=dict)  # by customer id
    version: str = ""  # changes whenever any of the above changes


class CatalogSource(Protocol):
    @abstractmethod
    async def version(self) -> str:
        """A cheap token that changes whenever providers, routes, overrides, tenants or keys change."""

    @abstractmethod
    async def load(self) -> CatalogSnapshot:
        """Read the whole catalog (provider keys decrypted)."""
