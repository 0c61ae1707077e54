"""`llm-gateway serve | migrate | create-tenant`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from adapters.sql.migrate import upgrade_to_head
from application.admin.bootstrap import DEMO_ALIAS, BootstrapCatalog
from application.admin.tenants import ManageTenants
from application.catalog import LiveCatalog
from domain.errors import GatewayError
from entrypoints.ioc.container import make_container
from entrypoints.logs import configure_logging
from entrypoints.settings import ConfigError, Settings, load_settings

T = TypeVar("T")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"llm-gateway: configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        return int(args.run(args, settings))
    except GatewayError as exc:
        print(f"llm-gateway: {exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"llm-gateway: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="llm-gateway", description="Self-hosted OpenAI-compatible LLM gateway")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="migrate the database, then serve HTTP (uvicorn)")
    serve.add_argument(
        "--demo", action="store_true", help="on an empty database: mock vendor, `demo` alias, demo tenant"
    )
    serve.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations first")
    serve.set_defaults(run=_serve)
    migrate = commands.add_parser("migrate", help="apply the database migrations")
    migrate.set_defaults(run=_migrate)
    tenant = commands.add_parser("create-tenant", help="create a tenant and print its API key (shown once)")
    tenant.add_argument("name")
    tenant.add_argument(
        "--allowed-model", action="append", default=[], help="limit the tenant to this model (repeatable)"
    )
    tenant.set_defaults(run=_create_tenant)
    return parser


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    upgrade_to_head(settings.database_url)
    print("database is at the latest migration")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # imported here: the other commands do not need it

    if not args.no_migrate:
        upgrade_to_head(settings.database_url)
    demo_key, touched = _with_container(settings, lambda c: _bootstrap(c, settings, demo=args.demo))
    for name in touched:
        print(f"registered vendor key for provider '{name}' from the environment")
    if demo_key:
        base = f"http://{settings.host}:{settings.port}"
        print(f"\nDemo tenant created. Its API key, shown this once:\n\n    {demo_key}\n")
        print(
            f"Try it:\n    curl {base}/v1/chat/completions -H 'Authorization: Bearer {demo_key}' \\\n"
            f"      -H 'Content-Type: application/json' \\\n"
            f'      -d \'{{"model": "{DEMO_ALIAS}", "messages": [{{"role": "user", "content": "Hello"}}]}}\'\n'
        )
    elif args.demo:
        print("--demo: the database already has tenants or providers; nothing was seeded")
    sys.stdout.flush()  # uvicorn.run blocks: a piped or logged stdout must show the key now, not at exit
    uvicorn.run(
        "entrypoints.main:create_production_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level.lower(),
        access_log=False,
        lifespan="on",
    )
    return 0


def _create_tenant(args: argparse.Namespace, settings: Settings) -> int:
    async def create(container_get: Callable[[type[T]], Awaitable[T]]) -> str:
        tenants = await container_get(ManageTenants)
        tenant, issued = await tenants.create(args.name, allowed_models=tuple(args.allowed_model))
        return f"tenant {tenant.name} ({tenant.id})\napi key (shown once): {issued.key}"

    print(_with_container(settings, create))
    return 0


async def _bootstrap(
    get: Callable[[type[T]], Awaitable[T]], settings: Settings, *, demo: bool
) -> tuple[str | None, list[str]]:
    bootstrap = await get(BootstrapCatalog)
    touched = await bootstrap.register_vendor_keys(settings.vendor_keys)
    return (await bootstrap.seed_demo() if demo else None), touched


def _with_container(settings: Settings, work: Callable[..., Awaitable[T]]) -> T:
    async def run() -> T:
        container = make_container(settings)
        try:
            return await work(container.get)
        finally:
            await (await container.get(LiveCatalog)).aclose()
            await container.close()

    return asyncio.run(run())


if __name__ == "__main__":
    raise SystemExit(main())
