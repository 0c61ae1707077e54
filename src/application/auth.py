"""Who is calling: a tenant API key resolved against the in-memory catalog."""

from __future__ import annotations

from application.catalog import LiveCatalog
from domain.catalog import Tenant
from domain.errors import AuthenticationError
from domain.keys import hash_key


class AuthenticateTenant:
    """A key is valid when its hash is a live key of an enabled tenant. The lookup is by
    SHA-256 digest, so response time says nothing about how close a guess was."""

    def __init__(self, catalog: LiveCatalog) -> None:
        self._catalog = catalog

    def execute(self, api_key: str | None) -> Tenant:
        if not api_key:
            raise AuthenticationError("Missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")
        snapshot = self._catalog.snapshot
        record = snapshot.keys_by_hash.get(hash_key(api_key))
        tenant = snapshot.tenants.get(record.tenant_id) if record and record.active else None
        if tenant is None or not tenant.enabled:
            raise AuthenticationError("Invalid API key")
        return tenant
