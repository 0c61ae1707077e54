"""Readiness of the database: `SELECT 1` within a short deadline."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from application.ports.system import HealthProbe

log = logging.getLogger(__name__)


class SqlHealthProbe(HealthProbe):
    name = "database"

    def __init__(self, engine: AsyncEngine, timeout_s: float = 2.0) -> None:
        self._engine = engine
        self._timeout_s = timeout_s

    async def check(self) -> bool:
        try:
            async with asyncio.timeout(self._timeout_s), self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:  # a probe reports, it never raises
            log.warning("database health check failed: %s", type(exc).__name__)
            return False
        return True
