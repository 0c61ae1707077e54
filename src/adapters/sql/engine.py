"""Engine and session factory for `postgresql+asyncpg://…` and `sqlite+aiosqlite:///…` URLs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 5_000

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",  # readers do not block the writer, nor it them
    "PRAGMA synchronous=NORMAL",  # safe with WAL; a power cut may lose only the last commits
    "PRAGMA foreign_keys=ON",  # off by default: needed for ON DELETE CASCADE
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",  # wait for the write lock instead of failing
)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Postgres: a small pre-pinged pool. SQLite: WAL, foreign keys and a busy timeout per connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_async_engine(url, echo=echo)
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_driver_name() == "asyncpg":
        connect_args["server_settings"] = {"application_name": "llm-gateway"}
    return create_async_engine(
        url,
        echo=echo,
        connect_args=connect_args,
        pool_size=10,
        max_overflow=10,
        pool_timeout=10,
        pool_pre_ping=True,  # survive a restarted database or a dropped idle connection
        pool_recycle=1800,
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
