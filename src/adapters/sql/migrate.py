"""Bring a database to the newest schema. Alembic is configured here, so no alembic.ini is needed and
the migrations are found next to this module (also inside an installed wheel).

Developers can write a revision with
`alembic_config(url)` + `alembic.command.revision(cfg, message=..., autogenerate=True)`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url:
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))  # ConfigParser escape
    return config


async def upgrade_to_head_async(database_url: str) -> None:
    """Migrate with a plain engine: no app pragmas, so SQLite batch copies cannot trip cascades."""
    engine = create_async_engine(database_url, poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, alembic_config(database_url))
    finally:
        await engine.dispose()


def upgrade_to_head(database_url: str) -> None:
    """For sync callers (the CLI): runs its own event loop, so call it where no loop is running."""
    asyncio.run(upgrade_to_head_async(database_url))


def _upgrade(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")  # every branch: features may add migrations side by side
