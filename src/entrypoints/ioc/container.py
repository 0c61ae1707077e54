"""The composition root: one container per process."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, make_async_container
from dishka.integrations.litestar import LitestarProvider

from entrypoints.ioc.accounting import AccountingProvider
from entrypoints.ioc.application import ApplicationProvider
from entrypoints.ioc.infrastructure import InfrastructureProvider
from entrypoints.ioc.routing import RoutingProvider
from entrypoints.settings import Settings


def make_container(settings: Settings, *overrides: Provider) -> AsyncContainer:
    """Tests pass providers that replace adapters (with `override=True`)."""
    return make_async_container(
        InfrastructureProvider(),
        ApplicationProvider(),
        AccountingProvider(),
        RoutingProvider(),
        LitestarProvider(),
        *overrides,
        context={Settings: settings},
    )
