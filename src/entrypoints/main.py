"""ASGI entry for uvicorn: `entrypoints.main:create_production_app` (a factory: nothing runs at import)."""

from __future__ import annotations

from litestar import Litestar

from entrypoints.http.app import create_app
from entrypoints.ioc.container import make_container
from entrypoints.logs import configure_logging
from entrypoints.settings import load_settings


def create_production_app() -> Litestar:
    settings = load_settings()
    configure_logging(settings.log_level)
    return create_app(make_container(settings), settings)
