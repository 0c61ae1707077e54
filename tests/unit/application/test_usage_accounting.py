from datetime import UTC, datetime
from decimal import Decimal

import pytest

from application.admin.prices import ManagePrices
from application.catalog import LiveCatalog
from application.ports.catalog import CatalogSnapshot
from application.ports.metrics import GatewayMetrics, QueueStats, UsageLabels
from application.ports.prices import PriceRepository
from application.usage.accounting import UsageAccounting
from application.usage.labels import UsageLabeller
from application.usage.price_book import PriceBook
from application.usage.usage_buffer import UsageBuffer
from application.usage.vendor_time import start_vendor_time, stop_vendor_time
from domain.catalog import Provider, ProviderKind, Route, Target, Tenant
from domain.errors import InvalidRequestError, NotFoundError
from domain.pricing import ModelPrice, PriceKey, TokenPrice
from domain.usage import Usage, UsageRecord
from tests.unit.application.fakes import FakeCatalogSource, FakeFactory, FlakyUsageRepository

pytestmark = pytest.mark.unit

LIST = ModelPrice(
    key=PriceKey(provider="openai", model="gpt-4o-mini"),
    price=TokenPrice(
        input_per_mtok=Decimal("0.15"), output_per_mtok=Decimal("0.60"), cached_input_per_mtok=Decimal("0.075")
    ),
)
SNAPSHOT = CatalogSnapshot(
    providers={"main": Provider(id="p1", name="main", kind=ProviderKind.OPENAI, models=("gpt-4o-mini",))},
    routes={"fast": Route(id="r1", alias="fast", targets=(Target(provider="main", model="gpt-4o-routed"),))},
    tenants={"t1": Tenant(id="t1", name="acme")},
    version="1",
)


class MemoryPrices(PriceRepository):
    def __init__(self, *entries: ModelPrice) -> None:
        self.entries = {e.key: e for e in entries}
        self.down = False

    async def list(self) -> list[ModelPrice]:
        if self.down:
            raise ConnectionError("database down")
        return list(self.entries.values())

    async def put(self, entry: ModelPrice) -> ModelPrice:
        self.entries[entry.key] = entry
        return entry

    async def delete(self, key: PriceKey) -> None:
        if self.entries.pop(key, None) is None:
            raise NotFoundError("no such price")


class RecordingMetrics(GatewayMetrics):
    def __init__(self) -> None:
        self.seen: list[tuple[UsageRecord, UsageLabels]] = []
        self.overheads: list[float] = []

    def observe_usage(self, record: UsageRecord, labels: UsageLabels) -> None:
        self.seen.append((record, labels))

    def observe_overhead(self, seconds: float) -> None:
        self.overheads.append(seconds)

    def observe_cooldown(self, provider: str) -> None:
        raise AssertionError("not expected")

    def watch_queue(self, queue: QueueStats) -> None:
        raise AssertionError("not expected")


def record(i: int, **changes: object) -> UsageRecord:
    fields: dict[str, object] = {
        "created_at": datetime(2026, 11, 22, tzinfo=UTC),
        "tenant_id": "t1",
        "requested_model": "fast",
        "provider": "main",
        "model": "gpt-4o-mini",
        "usage": Usage(input_tokens=1000, cached_tokens=200, output_tokens=500),
    } | changes
    return UsageRecord(request_id=f"r{i}", **fields)  # type: ignore[arg-type]


async def pipeline(
    prices: MemoryPrices, **buffer: object
) -> tuple[UsageBuffer, FlakyUsageRepository, RecordingMetrics]:
    catalog = LiveCatalog(FakeCatalogSource(SNAPSHOT), FakeFactory({"main": None}))  # type: ignore[dict-item]
    await catalog.refresh(force=True)
    metrics, repo = RecordingMetrics(), FlakyUsageRepository()
    accounting = UsageAccounting(PriceBook(prices, catalog), UsageLabeller(catalog), metrics)
    return UsageBuffer(repo, accounting=accounting, **buffer), repo, metrics  # type: ignore[arg-type]


async def test_records_are_priced_off_the_request_path_by_the_vendor_kinds_list_price() -> None:
    buffer, repo, _ = await pipeline(MemoryPrices(LIST))
    buffer.record(record(1))
    assert buffer.pending == 1 and repo.rows == []  # nothing happened on the request path

    assert await buffer.flush()

    # 800 * 0.15 + 200 * 0.075 + 500 * 0.60 = 435 per million
    assert [r.cost_usd for r in repo.rows] == [Decimal("0.000435")]


@pytest.mark.parametrize(
    ("changes", "cost"),
    [
        ({"model": "gpt-unknown"}, None),  # no price: unknown, never zero
        ({"cached": True, "provider": None, "model": None}, Decimal(0)),  # a cache hit paid no vendor
        ({"status": 502, "usage": Usage()}, Decimal(0)),  # a failed attempt with no tokens
        ({"cost_usd": Decimal("9")}, Decimal("9")),  # already priced: left alone
    ],
)
async def test_special_records_are_priced_as_expected(changes: dict[str, object], cost: Decimal | None) -> None:
    buffer, repo, _ = await pipeline(MemoryPrices(LIST))
    buffer.record(record(1, **changes))
    await buffer.flush()
    assert repo.rows[0].cost_usd == cost


async def test_records_wait_until_a_price_table_was_loaded_then_each_is_counted_once() -> None:
    prices = MemoryPrices(LIST)
    prices.down = True
    buffer, repo, metrics = await pipeline(prices)
    buffer.record(record(1))
    assert not await buffer.flush() and buffer.pending == 1 and metrics.seen == []

    prices.down = False
    repo.down = True
    assert not await buffer.flush()  # priced and counted, but the write failed: the record waits
    repo.down = False
    assert await buffer.flush()

    assert len(metrics.seen) == 1 and [r.request_id for r in repo.rows] == ["r1"]
    assert repo.rows[0].cost_usd == Decimal("0.000435")


@pytest.mark.parametrize(
    ("changes", "labels"),
    [
        ({}, UsageLabels(tenant="acme", provider="main", model="gpt-4o-mini")),
        ({"model": "gpt-4o-routed"}, UsageLabels(tenant="acme", provider="main", model="gpt-4o-routed")),
        ({"model": "anything-a-client-typed"}, UsageLabels(tenant="acme", provider="main", model="other")),
        ({"provider": "deleted", "tenant_id": "gone"}, UsageLabels(tenant="other", provider="other", model="other")),
        (
            {"provider": None, "model": None, "tenant_id": None},
            UsageLabels(tenant="none", provider="none", model="none"),
        ),
    ],
)
async def test_metric_labels_come_from_the_catalog_only(changes: dict[str, object], labels: UsageLabels) -> None:
    buffer, _, metrics = await pipeline(MemoryPrices(LIST))
    buffer.record(record(1, **changes))
    await buffer.flush()
    assert metrics.seen[0][1] == labels


async def test_a_request_collects_the_vendor_time_of_its_records() -> None:
    buffer, _, _ = await pipeline(MemoryPrices(LIST))
    timer, token = start_vendor_time()
    buffer.record(record(1, latency_ms=120.0))
    buffer.record(record(2, latency_ms=30.0))
    stop_vendor_time(token)
    buffer.record(record(3, latency_ms=1000.0))  # another request's
    assert (timer.records, round(timer.seconds, 6)) == (2, 0.15)


async def test_an_admin_price_change_applies_to_the_next_records_at_once() -> None:
    prices = MemoryPrices()
    catalog = LiveCatalog(FakeCatalogSource(SNAPSHOT), FakeFactory({"main": None}))  # type: ignore[dict-item]
    await catalog.refresh(force=True)
    book = PriceBook(prices, catalog, refresh_s=3600)
    await book.reload()
    assert book.price(record(1)).cost_usd is None

    own = TokenPrice(input_per_mtok=Decimal(1), output_per_mtok=Decimal(2))
    await ManagePrices(prices, book).put(ModelPrice(key=PriceKey(provider=" main ", model="gpt-4o-mini"), price=own))

    assert book.price(record(2)).cost_usd == Decimal("0.002")  # 1000 * 1 + 500 * 2 per million
    with pytest.raises(InvalidRequestError):
        await ManagePrices(prices, book).delete(PriceKey(provider="main", model=" "))
    await ManagePrices(prices, book).delete(PriceKey(provider="main", model="gpt-4o-mini"))
    assert book.price(record(3)).cost_usd is None
