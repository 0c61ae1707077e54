"""Configuration from `LLMGW_*` environment variables, checked once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated

import msgspec

from domain.catalog import ProviderKind

PREFIX = "LLMGW_"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./llm_gateway.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Vendor keys read from their usual variables and registered as providers at start.
VENDOR_KEY_VARIABLES: Mapping[ProviderKind, str] = {
    ProviderKind.OPENAI: "OPENAI_API_KEY",
    ProviderKind.ANTHROPIC: "ANTHROPIC_API_KEY",
    ProviderKind.GEMINI: "GEMINI_API_KEY",
    ProviderKind.MISTRAL: "MISTRAL_API_KEY",
    ProviderKind.TOGETHER: "TOGETHER_API_KEY",
}


class ConfigError(Exception):
    """One line naming the variable and what is wrong with it."""


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=False):
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    admin_key: str | None = None
    metrics_key: str | None = None
    secret_key: str | None = None
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8200
    workers: Annotated[int, msgspec.Meta(ge=1, le=64)] = 1
    log_level: str = "INFO"
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 10 * 1024 * 1024
    catalog_refresh_s: Annotated[float, msgspec.Meta(gt=0)] = 5.0
    usage_batch_size: Annotated[int, msgspec.Meta(ge=1)] = 500
    usage_flush_interval_s: Annotated[float, msgspec.Meta(gt=0)] = 0.5
    usage_max_pending: Annotated[int, msgspec.Meta(ge=1)] = 100_000
    shutdown_drain_s: Annotated[float, msgspec.Meta(ge=0)] = 10.0
    usage_retry_delay_s: Annotated[float, msgspec.Meta(gt=0)] = 1.0  # after a failed usage write
    allowed_upstream_hosts: str = ""  # comma-separated hosts, IPs, CIDRs a provider may reach inside the network
    vendor_keys: dict[ProviderKind, str] = msgspec.field(default_factory=dict)
    request_deadline_s: Annotated[float, msgspec.Meta(gt=0)] = 120.0  # all attempts of one request together
    fallback_on_context_length: bool = False  # a context-length refusal tries the next target
    cooldown_failures: Annotated[int, msgspec.Meta(ge=1)] = 3  # failures within the window that bench a provider
    cooldown_window_s: Annotated[float, msgspec.Meta(gt=0)] = 60.0
    cooldown_s: Annotated[float, msgspec.Meta(gt=0)] = 30.0  # how long a benched provider is skipped
    cooldown_cache_s: Annotated[float, msgspec.Meta(ge=0)] = 1.0
    cooldown_key_bad_s: Annotated[float, msgspec.Meta(gt=0)] = 300.0  # after the vendor refused our key
    redis_prefix: str = "llmgw:"  # prefix of the gateway's Redis keys

    def __repr__(self) -> str:  # never print the secrets
        return f"Settings(database_url={_redact_url(self.database_url)!r}, port={self.port})"

    def __post_init__(self) -> None:
        if self.log_level.upper() not in LOG_LEVELS:
            raise ValueError(f"log_level: expected one of {', '.join(LOG_LEVELS)}")
        if not self.database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("database_url: expected sqlite+aiosqlite://… or postgresql+asyncpg://…")
        if self.redis_url is not None and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("redis_url: expected redis://…, rediss://… or unix://…")
        if self.admin_key is not None and len(self.admin_key) < 16:
            raise ValueError("admin_key: must be at least 16 characters")
        if self.secret_key is not None and len(self.secret_key) < 16:
            raise ValueError("secret_key: must be at least 16 characters")
        if self.vendor_keys and not self.secret_key:
            names = ", ".join(VENDOR_KEY_VARIABLES[k] for k in self.vendor_keys)
            raise ValueError(f"secret_key: required to store the vendor keys found in {names}")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read `LLMGW_*` variables (empty ones count as unset); raise ConfigError naming the culprit."""
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {
        key[len(PREFIX) :].lower(): value for key, value in env.items() if key.startswith(PREFIX) and value
    }
    known = set(Settings.__struct_fields__) - {"vendor_keys"}
    for name in raw:
        if name not in known:
            raise ConfigError(f"{PREFIX}{name.upper()}: unknown setting")
    raw["vendor_keys"] = {kind: env[var] for kind, var in VENDOR_KEY_VARIABLES.items() if env.get(var)}
    try:
        return msgspec.convert(raw, type=Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise ConfigError(_explain(str(exc))) from None


def _explain(message: str) -> str:
    """msgspec says `... - at $.port`; name the variable instead."""
    text, _, path = message.partition(" - at `$.")
    field = path.rstrip("`").split(".")[0].split("[")[0]
    if not field and ": " in text:
        field, _, text = text.partition(": ")
    return f"{PREFIX}{field.upper()}: {text}" if field else text


def _redact_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return scheme + sep + rest
