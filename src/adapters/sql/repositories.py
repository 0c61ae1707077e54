"""The admin repositories in one import, for the composition root."""

from adapters.sql.api_keys import SqlApiKeyRepository
from adapters.sql.providers import SqlProviderRepository
from adapters.sql.routes import SqlRouteRepository
from adapters.sql.tenants import SqlTenantRepository

__all__ = ["SqlApiKeyRepository", "SqlProviderRepository", "SqlRouteRepository", "SqlTenantRepository"]
