"""Token counts as vendors report them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import msgspec


class Usage(msgspec.Struct, frozen=True, kw_only=True):
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0  # part of input_tokens served from the vendor's prompt cache
    reasoning_tokens: int = 0  # part of output_tokens spent on hidden reasoning
    estimated: bool = False  # True when the vendor reported nothing and we counted ourselves

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


class UsageRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the usage log: one vendor attempt, or one request that reached no vendor."""

    request_id: str
    created_at: datetime
    tenant_id: str | None
    requested_model: str | None  # what the caller asked for: alias or model name
    service: str | None = None  # the calling service (service API), else None
    customer_id: str | None = None  # the end customer the call was made for, when given
    route_rule: str | None = None  # which routing rule chose the target (override, route, …)
    provider: str | None = None  # provider name; None when no vendor was called
    model: str | None = None  # the vendor model called
    attempt: int = 1
    stream: bool = False
    status: int = 200  # the HTTP status this attempt (or request) ended with
    error_kind: str | None = None
    usage: Usage = Usage()
    latency_ms: float = 0.0
    ttft_ms: float | None = None  # time to first token, streams only
    cached: bool = False  # answered from the gateway's response cache, no vendor call
    cost_usd: Decimal | None = None  # None: not priced (yet, or no price known)
