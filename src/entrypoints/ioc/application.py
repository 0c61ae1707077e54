"""Use cases and the in-memory state the hot path reads."""

from __future__ import annotations

from dishka import AnyOf, Provider, Scope, provide
from litestar import Request

from application.admin.bootstrap import BootstrapCatalog
from application.admin.provider_test import TestProvider
from application.admin.providers import ManageProviders
from application.admin.routes import ManageRoutes
from application.admin.tenants import ManageTenants
from application.auth import AuthenticateTenant
from application.catalog import LiveCatalog
from application.chat.complete_chat import CompleteChat
from application.chat.stream_chat import StreamChat
from application.health import CheckReadiness
from application.models import ListModels
from application.ports.metrics import GatewayMetrics
from application.ports.usage import UsageRepository, UsageSink
from application.usage.accounting import UsageAccounting
from application.usage.usage_buffer import UsageBuffer
from domain.catalog import Tenant
from entrypoints.http.auth import presented_key
from entrypoints.settings import Settings


class ApplicationProvider(Provider):
    scope = Scope.APP

    catalog = provide(LiveCatalog)

    @provide
    def usage_buffer(
        self,
        repository: UsageRepository,
        settings: Settings,
        accounting: UsageAccounting,
        metrics: GatewayMetrics,
    ) -> AnyOf[UsageBuffer, UsageSink]:
        buffer = UsageBuffer(
            repository,
            accounting=accounting,
            batch_size=settings.usage_batch_size,
            flush_interval_s=settings.usage_flush_interval_s,
            max_pending=settings.usage_max_pending,
            retry_delay_s=settings.usage_retry_delay_s,
        )
        metrics.watch_queue(buffer)
        return buffer

    authenticate = provide(AuthenticateTenant)
    complete_chat = provide(CompleteChat)
    stream_chat = provide(StreamChat)
    list_models = provide(ListModels)
    readiness = provide(CheckReadiness)
    tenants = provide(ManageTenants)
    providers = provide(ManageProviders)
    routes = provide(ManageRoutes)
    bootstrap = provide(BootstrapCatalog)
    test_provider = provide(TestProvider)

    @provide(scope=Scope.REQUEST)
    def caller(self, request: Request, authenticate: AuthenticateTenant) -> Tenant:  # type: ignore[type-arg]
        return authenticate.execute(presented_key(request.headers))
