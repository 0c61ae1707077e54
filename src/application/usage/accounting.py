"""The step every usage record passes once, off the request path, before it is written: priced, then
counted in the metrics."""

from __future__ import annotations

from application.ports.metrics import GatewayMetrics
from application.usage.labels import UsageLabeller
from application.usage.price_book import PriceBook
from domain.usage import UsageRecord


class UsageAccounting:
    def __init__(self, prices: PriceBook, labeller: UsageLabeller, metrics: GatewayMetrics) -> None:
        self._prices, self._labeller, self._metrics = prices, labeller, metrics

    async def ready(self) -> bool:
        """False while no price table was ever loaded: records wait rather than go unpriced."""
        return await self._prices.ensure_fresh()

    def account(self, record: UsageRecord) -> UsageRecord:
        priced = self._prices.price(record)
        self._metrics.observe_usage(priced, self._labeller.labels(priced))
        return priced
