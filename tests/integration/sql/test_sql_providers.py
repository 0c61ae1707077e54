from __future__ import annotations

import logging
from datetime import timedelta

import msgspec
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from tests.integration.sql import factories as make

from adapters.crypto import FernetSecretBox
from adapters.sql.providers import SqlProviderRepository
from domain.catalog import ProviderKind
from domain.errors import ConflictError, NotFoundError

pytestmark = pytest.mark.integration

PLAINTEXT = "sk-live-0123456789abcdef"


async def stored_ciphertext(engine: AsyncEngine, provider_id: str) -> str | None:
    async with engine.connect() as connection:
        statement = text("SELECT api_key_ciphertext FROM providers WHERE id = :id")
        value: str | None = (await connection.execute(statement, {"id": provider_id})).scalar_one()
    return value


async def test_provider_round_trips_with_key_decrypted(providers: SqlProviderRepository) -> None:
    provider = make.provider("openai", api_key=PLAINTEXT)

    assert await providers.add(provider) == provider
    loaded = await providers.get(provider.id)
    assert loaded == provider
    assert loaded.api_key == PLAINTEXT
    assert await providers.get_by_name("openai") == provider
    assert await providers.list() == [provider]


async def test_provider_key_is_stored_encrypted(
    providers: SqlProviderRepository, engine: AsyncEngine, box: FernetSecretBox
) -> None:
    provider = await providers.add(make.provider(api_key=PLAINTEXT))

    ciphertext = await stored_ciphertext(engine, provider.id)

    assert ciphertext is not None
    assert PLAINTEXT not in ciphertext
    assert box.decrypt(ciphertext) == PLAINTEXT


async def test_provider_without_key_stores_null(providers: SqlProviderRepository, engine: AsyncEngine) -> None:
    provider = await providers.add(make.provider(kind=ProviderKind.MOCK, api_key=None, base_url=None))

    assert await stored_ciphertext(engine, provider.id) is None
    assert await providers.get(provider.id) == provider


async def test_providers_list_by_priority_then_name(providers: SqlProviderRepository) -> None:
    for name, priority in (("b", 1), ("a", 1), ("c", 0)):
        await providers.add(make.provider(name, priority=priority))

    assert [p.name for p in await providers.list()] == ["c", "a", "b"]


async def test_update_replaces_fields_and_key(
    providers: SqlProviderRepository, engine: AsyncEngine, box: FernetSecretBox
) -> None:
    provider = await providers.add(make.provider("openai"))
    changed = msgspec.structs.replace(
        provider,
        name="openai-eu",
        api_key="sk-new-key-9876543210",
        models=("o4-mini",),
        enabled=False,
        extra_headers={},
        updated_at=make.T0 + timedelta(minutes=1),
    )

    assert await providers.update(changed) == changed
    assert await providers.get(provider.id) == changed
    assert box.decrypt(await stored_ciphertext(engine, provider.id) or "") == "sk-new-key-9876543210"


async def test_get_by_name_returns_none_when_missing(providers: SqlProviderRepository) -> None:
    assert await providers.get_by_name("nope") is None


async def test_add_and_update_raise_conflict_when_name_taken(providers: SqlProviderRepository) -> None:
    await providers.add(make.provider("openai"))
    other = await providers.add(make.provider("other"))

    with pytest.raises(ConflictError, match="Provider 'openai' already exists"):
        await providers.add(make.provider("openai"))
    with pytest.raises(ConflictError, match="Provider 'openai' already exists"):
        await providers.update(msgspec.structs.replace(other, name="openai"))


async def test_methods_raise_not_found_when_provider_missing(providers: SqlProviderRepository) -> None:
    with pytest.raises(NotFoundError, match="Provider 'nope' not found"):
        await providers.get("nope")
    with pytest.raises(NotFoundError, match="Provider 'nope' not found"):
        await providers.update(msgspec.structs.replace(make.provider(), id="nope"))
    with pytest.raises(NotFoundError, match="Provider 'nope' not found"):
        await providers.delete("nope")


async def test_delete_removes_provider(providers: SqlProviderRepository) -> None:
    provider = await providers.add(make.provider())

    await providers.delete(provider.id)

    assert await providers.list() == []


async def test_provider_loads_without_key_when_secret_changed(
    providers: SqlProviderRepository,
    sessions: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider = await providers.add(make.provider("openai", api_key=PLAINTEXT))
    rekeyed = SqlProviderRepository(sessions, FernetSecretBox("another-secret"))

    with caplog.at_level(logging.WARNING):
        loaded = await rekeyed.get(provider.id)

    assert loaded.api_key is None
    assert loaded.name == "openai"
    assert "openai" in caplog.text
    assert PLAINTEXT not in caplog.text
    assert "gAAAA" not in caplog.text  # no Fernet token either
