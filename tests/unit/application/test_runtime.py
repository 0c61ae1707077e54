import asyncio
from datetime import UTC, datetime

import msgspec
import pytest

from application.auth import AuthenticateTenant
from application.catalog import LiveCatalog
from application.ports.catalog import CatalogSnapshot
from application.usage.usage_buffer import UsageBuffer
from domain.catalog import ApiKeyRecord, Provider, ProviderKind, Tenant
from domain.errors import AuthenticationError
from domain.keys import hash_key
from domain.usage import UsageRecord
from tests.unit.application.fakes import FakeCatalogSource, FakeFactory, FlakyUsageRepository, ScriptedLlmProvider

pytestmark = pytest.mark.unit

KEY, OTHER = "lgw-live", "lgw-revoked"


def snapshot(tenant_enabled: bool = True, version: str = "1") -> CatalogSnapshot:
    keys = {hash_key(KEY): ApiKeyRecord(id="k1", tenant_id="t1", key_hash=hash_key(KEY), prefix="lgw-")}
    return CatalogSnapshot(
        tenants={"t1": Tenant(id="t1", name="acme", enabled=tenant_enabled)}, keys_by_hash=keys, version=version
    )


async def catalog_of(snap: CatalogSnapshot) -> LiveCatalog:
    catalog = LiveCatalog(FakeCatalogSource(snap), FakeFactory({}))
    await catalog.refresh(force=True)
    return catalog


async def test_authenticate_accepts_a_live_key() -> None:
    assert AuthenticateTenant(await catalog_of(snapshot())).execute(KEY).id == "t1"


@pytest.mark.parametrize(("key", "enabled"), [(None, True), ("", True), (OTHER, True), (KEY, False)])
async def test_authenticate_refuses(key: str | None, enabled: bool) -> None:
    with pytest.raises(AuthenticationError):
        AuthenticateTenant(await catalog_of(snapshot(tenant_enabled=enabled))).execute(key)


async def test_catalog_keeps_serving_the_last_snapshot_when_the_source_is_down() -> None:
    source = FakeCatalogSource(snapshot())
    catalog = LiveCatalog(source, FakeFactory({}))
    assert await catalog.refresh()
    source.down = True
    assert not await catalog.refresh()
    assert catalog.stale and catalog.loaded and "t1" in catalog.snapshot.tenants
    source.down = False
    await catalog.refresh()
    assert not catalog.stale


async def test_catalog_rebuilds_only_changed_providers() -> None:
    a, b = Provider(id="a", name="a", kind=ProviderKind.MOCK), Provider(id="b", name="b", kind=ProviderKind.MOCK)
    factory = FakeFactory({"a": ScriptedLlmProvider("a", []), "b": ScriptedLlmProvider("b", [])})
    source = FakeCatalogSource(CatalogSnapshot(providers={"a": a, "b": b}, version="1"))
    catalog = LiveCatalog(source, factory)
    await catalog.refresh()
    source.snapshot = CatalogSnapshot(providers={"a": a, "b": msgspec.structs.replace(b, timeout_s=5)}, version="2")
    await catalog.refresh()
    assert factory.created == ["a", "b", "b"]
    await catalog.aclose()


def record(i: int) -> UsageRecord:
    return UsageRecord(
        request_id=f"r{i}", created_at=datetime(2026, 1, 1, tzinfo=UTC), tenant_id="t", requested_model="m"
    )


async def test_usage_buffer_writes_in_batches_and_keeps_records_while_the_database_is_down() -> None:
    repo = FlakyUsageRepository()
    buffer = UsageBuffer(repo, batch_size=10, flush_interval_s=0.01, retry_delay_s=0.01)
    repo.down = True
    for i in range(25):
        buffer.record(record(i))
    assert not await buffer.flush()
    assert buffer.pending == 25
    repo.down = False
    assert await buffer.flush()
    assert [r.request_id for r in repo.rows] == [f"r{i}" for i in range(25)] and repo.batches == 3


async def test_usage_buffer_drops_and_counts_beyond_its_bound() -> None:
    buffer = UsageBuffer(FlakyUsageRepository(), max_pending=3)
    for i in range(5):
        buffer.record(record(i))
    assert (buffer.pending, buffer.dropped) == (3, 2)


async def test_usage_buffer_run_flushes_by_interval_and_drain_empties_it() -> None:
    repo = FlakyUsageRepository()
    buffer = UsageBuffer(repo, batch_size=100, flush_interval_s=0.01)
    task = asyncio.create_task(buffer.run())
    buffer.record(record(1))
    await asyncio.sleep(0.05)
    assert len(repo.rows) == 1
    task.cancel()
    buffer.record(record(2))
    await buffer.drain(1.0)
    assert len(repo.rows) == 2 and buffer.pending == 0


class StubProbe:
    def __init__(self, name: str, ok: bool) -> None:
        self.name, self.ok = name, ok

    async def check(self) -> bool:
        return self.ok


@pytest.mark.parametrize(
    ("db_ok", "source_down_after_load", "never_loaded", "status", "serving"),
    [
        (True, False, False, "ok", True),
        (False, True, False, "degraded", True),  # a database blip: keep serving from memory
        (False, True, True, "unavailable", False),  # nothing in memory yet: pull this replica out
    ],
)
async def test_readiness_degrades_instead_of_failing_while_the_catalog_is_in_memory(
    db_ok: bool, source_down_after_load: bool, never_loaded: bool, status: str, serving: bool
) -> None:
    from application.health import CheckReadiness

    source = FakeCatalogSource(snapshot())
    catalog = LiveCatalog(source, FakeFactory({}))
    if not never_loaded:
        await catalog.refresh()
    source.down = source_down_after_load
    await catalog.refresh()
    result = await CheckReadiness(catalog, [StubProbe("database", db_ok), StubProbe("redis", True)]).execute()
    assert (result.status, result.serving) == (status, serving)
    assert result.components["database"] == ("ok" if db_ok else "down")
