"""Prices, the usage pipeline's accounting step, analytics and metrics."""

from __future__ import annotations

from dishka import AnyOf, Provider, Scope, provide

from adapters.metrics.prometheus import PrometheusMetrics
from adapters.sql.analytics import SqlUsageRollupReader
from adapters.sql.prices import SqlPriceRepository
from application.admin.prices import ManagePrices
from application.analytics.report_usage import ReportUsage
from application.catalog import LiveCatalog
from application.ports.analytics import UsageRollupReader
from application.ports.metrics import GatewayMetrics, MetricsExporter
from application.ports.prices import PriceRepository
from application.usage.accounting import UsageAccounting
from application.usage.labels import UsageLabeller
from application.usage.price_book import PriceBook
from entrypoints.settings import Settings


class AccountingProvider(Provider):
    scope = Scope.APP

    price_repository = provide(SqlPriceRepository, provides=PriceRepository)
    rollup_reader = provide(SqlUsageRollupReader, provides=UsageRollupReader)

    @provide
    def metrics(self) -> AnyOf[PrometheusMetrics, GatewayMetrics, MetricsExporter]:
        return PrometheusMetrics()

    @provide
    def price_book(self, repository: PriceRepository, catalog: LiveCatalog, settings: Settings) -> PriceBook:
        return PriceBook(repository, catalog, refresh_s=settings.catalog_refresh_s)

    labeller = provide(UsageLabeller)
    accounting = provide(UsageAccounting)
    manage_prices = provide(ManagePrices)
    report_usage = provide(ReportUsage)
