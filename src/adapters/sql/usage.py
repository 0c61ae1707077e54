"""The usage log: batches inserted in one statement, duplicates of (request_id, attempt) skipped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.models import UsageRecordRow
from application.ports.usage import UsageRepository
from domain.usage import UsageRecord

_TABLE = cast("Table", UsageRecordRow.__table__)
_KEY = ("request_id", "attempt")


def _row(record: UsageRecord) -> dict[str, Any]:
    usage = record.usage
    return {
        "request_id": record.request_id,
        "attempt": record.attempt,
        "created_at": record.created_at,
        "tenant_id": record.tenant_id,
        "requested_model": record.requested_model,
        "provider": record.provider,
        "model": record.model,
        "stream": record.stream,
        "status": record.status,
        "error_kind": record.error_kind,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cached_tokens": usage.cached_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "estimated": usage.estimated,
        "latency_ms": record.latency_ms,
        "ttft_ms": record.ttft_ms,
        "service": record.service,
        "customer_id": record.customer_id,
        "route_rule": record.route_rule,
        "cached": record.cached,
        "cost_usd": record.cost_usd,
    }


def _insert_ignoring_duplicates(dialect: str) -> Insert:
    if dialect == "postgresql":
        return postgresql.insert(_TABLE).on_conflict_do_nothing(index_elements=_KEY)
    if dialect == "sqlite":
        return sqlite.insert(_TABLE).on_conflict_do_nothing(index_elements=_KEY)
    raise NotImplementedError(f"usage records on {dialect!r}")


class SqlUsageRepository(UsageRepository):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add_many(self, records: Sequence[UsageRecord]) -> None:
        """Rows go in key order, so concurrent batches lock the same keys in the same order and
        cannot deadlock on Postgres; a key repeated within the batch is sent once."""
        unique = {(r.request_id, r.attempt): r for r in reversed(records)}  # the first of a key wins
        if not unique:
            return
        rows = [_row(unique[key]) for key in sorted(unique)]
        async with self._sessions.begin() as session:
            await session.execute(_insert_ignoring_duplicates(session.get_bind().dialect.name), rows)
