"""A usage record as a row of `usage_records`, and back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.usage import Usage, UsageRecord

PLAIN_FIELDS = tuple(f for f in UsageRecord.__struct_fields__ if f != "usage")  # one column each


def row_of(record: UsageRecord) -> dict[str, Any]:
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


def record_from_row(row: Mapping[Any, Any]) -> UsageRecord:
    usage = Usage(
        input_tokens=row["input_tokens"],
        output_tokens=row["output_tokens"],
        cached_tokens=row["cached_tokens"],
        reasoning_tokens=row["reasoning_tokens"],
        estimated=row["estimated"],
    )
    return UsageRecord(usage=usage, **{name: row[name] for name in PLAIN_FIELDS})
