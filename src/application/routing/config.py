"""The routing knobs the operator sets (from `LLMGW_*` settings, wired in the composition root)."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.cooldown import CooldownPolicy
from domain.fallback import FallbackPolicy


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutingConfig:
    fallback: FallbackPolicy = field(default_factory=FallbackPolicy)
    cooldown: CooldownPolicy = field(default_factory=CooldownPolicy)
    request_deadline_s: float = 120.0  # every attempt of one request together
    stats_window: int = 100  # attempts per provider the health endpoint summarises
    state_cache_s: float = 1.0  # how stale another instance's cool-down may be seen here (0: read every time)
