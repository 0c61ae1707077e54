"""Guards for the operator's endpoints: keys compared as SHA-256 digests, in constant time."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from domain.errors import AuthenticationError, PermissionDeniedError
from entrypoints.http.auth import presented_key


def metrics_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Open unless `LLMGW_METRICS_KEY` is set (its labels name tenants and providers)."""
    expected: bytes | None = connection.app.state.get("metrics_key_digest")
    if expected is None:
        return
    key = presented_key(connection.headers)
    if key is None or not hmac.compare_digest(hashlib.sha256(key.encode()).digest(), expected):
        raise AuthenticationError("Metrics need 'Authorization: Bearer <LLMGW_METRICS_KEY>'")


def admin_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    expected: bytes | None = connection.app.state.get("admin_key_digest")
    if expected is None:
        raise PermissionDeniedError("The admin API is disabled: set LLMGW_ADMIN_KEY to enable it")
    key = presented_key(connection.headers)
    if key is None:
        raise AuthenticationError("Missing admin key: send 'Authorization: Bearer <admin key>'")
    if not hmac.compare_digest(hashlib.sha256(key.encode()).digest(), expected):
        raise AuthenticationError("Invalid admin key")
