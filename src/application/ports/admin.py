"""Storage of what the admin API manages. Each method is one transaction.

Missing rows raise `domain.errors.NotFoundError`; a duplicate name or alias raises `ConflictError`.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Protocol

from domain.catalog import ApiKeyRecord, Provider, Route, Tenant


class TenantRepository(Protocol):
    @abstractmethod
    async def add(self, tenant: Tenant) -> Tenant: ...
    @abstractmethod
    async def get(self, tenant_id: str) -> Tenant: ...
    @abstractmethod
    async def list(self) -> list[Tenant]: ...
    @abstractmethod
    async def update(self, tenant: Tenant) -> Tenant: ...
    @abstractmethod
    async def delete(self, tenant_id: str) -> None:
        """Deletes the tenant and its keys."""


class ApiKeyRepository(Protocol):
    @abstractmethod
    async def add(self, key: ApiKeyRecord) -> ApiKeyRecord: ...
    @abstractmethod
    async def list_for_tenant(self, tenant_id: str) -> list[ApiKeyRecord]: ...
    @abstractmethod
    async def revoke(self, tenant_id: str, key_id: str, at: datetime) -> ApiKeyRecord: ...


class ProviderRepository(Protocol):
    """Stores `Provider.api_key` encrypted; returns it decrypted."""

    @abstractmethod
    async def add(self, provider: Provider) -> Provider: ...
    @abstractmethod
    async def get(self, provider_id: str) -> Provider: ...
    @abstractmethod
    async def get_by_name(self, name: str) -> Provider | None: ...
    @abstractmethod
    async def list(self) -> list[Provider]: ...
    @abstractmethod
    async def update(self, provider: Provider) -> Provider: ...
    @abstractmethod
    async def delete(self, provider_id: str) -> None: ...


class RouteRepository(Protocol):
    @abstractmethod
    async def add(self, route: Route) -> Route: ...
    @abstractmethod
    async def get(self, route_id: str) -> Route: ...
    @abstractmethod
    async def list(self) -> list[Route]: ...
    @abstractmethod
    async def update(self, route: Route) -> Route: ...
    @abstractmethod
    async def delete(self, route_id: str) -> None: ...
