"""Admin API bodies and answers for customer overrides, the routing dry run and provider health."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import msgspec

from application.admin.overrides import OverrideSpec
from application.admin.resolve_route import Resolution
from application.provider_health import ProviderHealthReport
from domain.catalog import Override, Target

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]


class OverrideTargetIO(msgspec.Struct, forbid_unknown_fields=True):
    provider: Name
    model: Name


class OverrideIn(msgspec.Struct, forbid_unknown_fields=True):
    """Send `customer_id`'s traffic (for `model`, or any model when null) on `service` (or every
    service when null) to `alias`, or pin it to `target`: exactly one of the two."""

    customer_id: Name
    service: Name | None = None
    model: Name | None = None
    alias: Name | None = None
    target: OverrideTargetIO | None = None
    description: str | None = None


class OverrideOut(msgspec.Struct):
    id: str
    customer_id: str
    service: str | None
    model: str | None
    alias: str | None
    target: OverrideTargetIO | None
    description: str | None


def override_spec(body: OverrideIn) -> OverrideSpec:
    target = None if body.target is None else Target(provider=body.target.provider, model=body.target.model)
    return OverrideSpec(
        customer_id=body.customer_id,
        service=body.service,
        model=body.model,
        alias=body.alias,
        target=target,
        description=body.description,
    )


def override_out(o: Override) -> OverrideOut:
    target = None if o.target is None else OverrideTargetIO(provider=o.target.provider, model=o.target.model)
    return OverrideOut(
        id=o.id,
        customer_id=o.customer_id,
        service=o.service,
        model=o.model,
        alias=o.alias,
        target=target,
        description=o.description,
    )


class ResolveIn(msgspec.Struct, forbid_unknown_fields=True):
    model: Name | None = None
    customer_id: Name | None = None
    service: Name | None = None


class ResolvedTargetOut(msgspec.Struct):
    provider: str
    model: str
    weight: int
    cooling_until: datetime | None


class ResolveOut(msgspec.Struct):
    rule: str  # the rule that won, as in X-Gateway-Route
    model: str  # what it resolved: alias, model name or provider/model
    targets: list[ResolvedTargetOut]  # in trying order; cooling ones are skipped unless all are


def _instant(epoch_s: float | None) -> datetime | None:
    return None if epoch_s is None else datetime.fromtimestamp(epoch_s, UTC)


def resolve_out(r: Resolution) -> ResolveOut:
    return ResolveOut(
        rule=r.rule,
        model=r.model,
        targets=[
            ResolvedTargetOut(
                provider=t.target.provider,
                model=t.target.model,
                weight=t.target.weight,
                cooling_until=_instant(t.cooling_until),
            )
            for t in r.targets
        ],
    )


class ProviderHealthOut(msgspec.Struct):
    provider: str
    enabled: bool
    attempts: int  # recent attempts seen by this instance
    success_rate: float | None
    avg_latency_ms: float | None
    p95_latency_ms: float | None
    cooling: bool
    cooling_until: datetime | None
    recent_failures: int
    key_bad: bool
    last_error: str | None


def provider_health_out(r: ProviderHealthReport) -> ProviderHealthOut:
    return ProviderHealthOut(
        provider=r.provider,
        enabled=r.enabled,
        attempts=r.stats.attempts,
        success_rate=r.stats.success_rate,
        avg_latency_ms=r.stats.avg_latency_ms,
        p95_latency_ms=r.stats.p95_latency_ms,
        cooling=r.cooling,
        cooling_until=_instant(r.cooling_until),
        recent_failures=r.recent_failures,
        key_bad=r.key_bad,
        last_error=r.last_error,
    )
