"""Alembic environment for Postgres (asyncpg) and SQLite (aiosqlite).

`adapters.sql.migrate` runs it with a live connection in `config.attributes["connection"]`; without one
(a Config that only sets `sqlalchemy.url`, e.g. `alembic_config(url)` for autogenerate) it opens its
own async engine.
SQLite alters tables through batch mode (copy and move), so later revisions work there too."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from advanced_alchemy.types import DateTimeUTC
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.sql.models import METADATA

config = context.config
target_metadata = METADATA


def _render_item(kind: str, obj: Any, _autogen: AutogenContext) -> str | Literal[False]:
    """Autogenerate writes plain SQLAlchemy types, so revisions do not import the models' helpers."""
    if kind == "type" and isinstance(obj, DateTimeUTC):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        render_item=_render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url, or run through adapters.sql.migrate")
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
