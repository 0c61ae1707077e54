"""Routing: the fallback and cool-down policies from settings, the shared cool-down store, the
overrides, the service API and the admin views of routing."""

from __future__ import annotations

from dishka import Provider, Scope, provide
from redis.asyncio import Redis

from adapters.memory.cooldown import InMemoryCooldownStore
from adapters.redis.cooldown import RedisCooldownStore
from adapters.sql.overrides import SqlOverrideRepository
from application.admin.overrides import ManageOverrides
from application.admin.resolve_route import ResolveRoute
from application.chat.planning import RoutePlanner
from application.chat.route_run import ChatRouter
from application.generate import GenerateText
from application.ports.cooldown import CooldownStore
from application.ports.overrides import OverrideRepository
from application.provider_health import ReportProviderHealth
from application.routing.config import RoutingConfig
from application.routing.health import ProviderHealth
from domain.cooldown import CooldownPolicy
from domain.fallback import FallbackPolicy
from entrypoints.settings import Settings


class RoutingProvider(Provider):
    scope = Scope.APP

    @provide
    def config(self, settings: Settings) -> RoutingConfig:
        return RoutingConfig(
            fallback=FallbackPolicy.standard(context_length_moves_on=settings.fallback_on_context_length),
            cooldown=CooldownPolicy(
                failure_threshold=settings.cooldown_failures,
                window_s=settings.cooldown_window_s,
                cooldown_s=settings.cooldown_s,
                key_bad_cooldown_s=settings.cooldown_key_bad_s,
            ),
            request_deadline_s=settings.request_deadline_s,
            state_cache_s=settings.cooldown_cache_s,
        )

    @provide
    def cooldown_store(self, settings: Settings, redis: Redis | None) -> CooldownStore:
        """Shared through Redis when there is one; else this process's memory (fit for one process)."""
        if redis is None:
            return InMemoryCooldownStore()
        return RedisCooldownStore(redis, prefix=settings.redis_prefix)

    overrides = provide(SqlOverrideRepository, provides=OverrideRepository)
    health = provide(ProviderHealth)
    planner = provide(RoutePlanner)
    router = provide(ChatRouter)
    generate = provide(GenerateText)
    manage_overrides = provide(ManageOverrides)
    resolve_route = provide(ResolveRoute)
    provider_health = provide(ReportProviderHealth)
