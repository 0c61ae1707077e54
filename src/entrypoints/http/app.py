"""The Litestar application: routes, error envelope, request ids, and the background work's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator

from dishka import AsyncContainer
from dishka.integrations.litestar import setup_dishka
from litestar import Litestar
from litestar.openapi import OpenAPIConfig

from application.catalog import LiveCatalog
from application.usage.usage_buffer import UsageBuffer
from entrypoints.http.controllers.admin_overrides import OverridesController
from entrypoints.http.controllers.admin_prices import PricesController
from entrypoints.http.controllers.admin_providers import ProvidersController
from entrypoints.http.controllers.admin_routes import RoutesController
from entrypoints.http.controllers.admin_routing import RoutingAdminController
from entrypoints.http.controllers.admin_tenants import TenantsController
from entrypoints.http.controllers.admin_usage import AdminUsageController
from entrypoints.http.controllers.chat import ChatController
from entrypoints.http.controllers.generate import GenerateController
from entrypoints.http.controllers.health import HealthController
from entrypoints.http.controllers.metrics import MetricsController
from entrypoints.http.controllers.models import ModelsController
from entrypoints.http.controllers.usage import TenantUsageController
from entrypoints.http.errors import EXCEPTION_HANDLERS
from entrypoints.http.overhead import overhead_middleware
from entrypoints.http.request_id import request_id_middleware
from entrypoints.settings import Settings

log = logging.getLogger(__name__)


def create_app(container: AsyncContainer, settings: Settings) -> Litestar:
    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        catalog = await container.get(LiveCatalog)
        usage = await container.get(UsageBuffer)
        await catalog.refresh(force=True)
        if not catalog.loaded:
            log.error("catalog could not be loaded at start; retrying every %ss", settings.catalog_refresh_s)
        tasks = [
            asyncio.create_task(catalog.run_refresher(settings.catalog_refresh_s), name="catalog-refresh"),
            asyncio.create_task(usage.run(), name="usage-writer"),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await usage.drain(settings.shutdown_drain_s)
            await catalog.aclose()
            await container.close()

    app = Litestar(
        route_handlers=[
            ChatController,
            ModelsController,
            HealthController,
            TenantsController,
            ProvidersController,
            RoutesController,
            PricesController,
            AdminUsageController,
            TenantUsageController,
            MetricsController,
            OverridesController,
            RoutingAdminController,
            GenerateController,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(title="LLM Gateway", version="0.1.0", path="/schema"),
        logging_config=None,
    )
    app.state.admin_key_digest = hashlib.sha256(settings.admin_key.encode()).digest() if settings.admin_key else None
    app.state.metrics_key_digest = (
        hashlib.sha256(settings.metrics_key.encode()).digest() if settings.metrics_key else None
    )
    setup_dishka(container, app)
    app.asgi_handler = request_id_middleware(overhead_middleware(app.asgi_handler, container))
    return app
