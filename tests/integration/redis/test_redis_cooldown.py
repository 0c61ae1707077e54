"""The shared cool-down store against a real Redis: what one instance records, another sees."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from adapters.redis.cooldown import RedisCooldownStore
from domain.cooldown import CooldownPolicy
from domain.errors import ProviderError, ProviderErrorKind

pytestmark = pytest.mark.integration

POLICY = CooldownPolicy(failure_threshold=3, window_s=10, cooldown_s=5, key_bad_cooldown_s=1, max_retry_after_s=1)


@pytest_asyncio.fixture(loop_scope="session")
async def client(redis_url: str) -> AsyncIterator[Redis]:
    redis = Redis.from_url(redis_url)
    yield redis
    await redis.aclose()


@pytest.fixture
def prefix(redis_prefix: str) -> str:
    return f"{redis_prefix}{uuid.uuid4().hex[:6]}:"


def server_error() -> ProviderError:
    return ProviderError("boom", provider="p", kind=ProviderErrorKind.SERVER)


@pytest.mark.asyncio(loop_scope="session")
async def test_instances_share_state_and_concurrent_failures_all_count(client: Redis, prefix: str) -> None:
    one, two = RedisCooldownStore(client, prefix=prefix), RedisCooldownStore(client, prefix=prefix)

    await asyncio.gather(*(s.record_failure("p", server_error(), now=100, policy=POLICY) for s in (one, two, one)))

    states = await two.states(["p", "unknown"])
    assert list(states) == ["p"]
    assert (states["p"].failures, states["p"].cooling_until) == (3, 105)


@pytest.mark.asyncio(loop_scope="session")
async def test_reset_forgets_and_values_expire(client: Redis, prefix: str) -> None:
    store = RedisCooldownStore(client, prefix=prefix)
    await store.record_failure("p", server_error(), now=100, policy=POLICY)
    await store.reset("p")
    assert await store.states(["p"]) == {}

    await store.record_failure("q", server_error(), now=100, policy=POLICY)
    ttl = await client.pttl(f"{prefix}cooldown:q")
    assert 0 < ttl <= POLICY.retention_s * 1000


@pytest.mark.asyncio(loop_scope="session")
async def test_an_unreachable_redis_gives_up_quickly() -> None:
    dead = Redis(host="127.0.0.1", port=1, socket_connect_timeout=5)
    store = RedisCooldownStore(dead, prefix="x:", timeout_s=0.2)
    with pytest.raises((TimeoutError, OSError, ConnectionError)):
        await store.states(["p"])
    await dead.aclose()
