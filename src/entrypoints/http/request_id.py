"""`X-Request-Id` on every response: the caller's when it is sane, else a fresh one."""

from __future__ import annotations

import re
import uuid

from litestar.types import ASGIApp, Message, Receive, Scope, Send

_SANE = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
HEADER = b"x-request-id"


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Pure ASGI (cheaper than Litestar's middleware classes on the hot path)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == HEADER), None)
        raw = given if given is not None and _SANE.match(given) else uuid.uuid4().hex.encode()
        scope.setdefault("state", {})["request_id"] = raw.decode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (HEADER, raw)]
            await send(message)

        await app(scope, receive, send_with_id)

    return middleware


def request_id_of(scope: Scope) -> str:
    return str(scope.get("state", {}).get("request_id") or uuid.uuid4().hex)
