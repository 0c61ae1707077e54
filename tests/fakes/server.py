"""What every fake vendor server shares: an aiohttp app on 127.0.0.1 with a free port, request
recording, a FIFO script of replies over a default, and the faults every scripted reply can inject
(streaming and the socket cut: `tests.fakes.sse`).

A fake subclasses `FakeServer[Reply]`, adds its routes in `_routes` and, in each handler, records the
request (`await self._record(request)`) and takes `self._next_reply()`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar

from aiohttp import web


@dataclass(frozen=True, kw_only=True)
class Faults:
    """What every fake's scripted `Reply` can inject, besides its vendor's own fields."""

    status: int = 200  # >= 400: answer with the vendor's error body
    error_message: str = "Something went wrong."  # `{api_key}` is replaced by the key received
    retry_after: str | None = None  # the `Retry-After` header on an error
    headers: dict[str, str] = field(default_factory=dict)
    latency_s: float = 0.0  # before answering
    chunk_delay_s: float = 0.0  # between streamed events
    cut_after: int | None = None  # stream: abort the socket after this many events
    malformed: bool = False  # invalid JSON (stream: the second event)

    def error_text(self, api_key: str | None) -> str:
        """`error_message` with the key the server received in place of `{api_key}`."""
        return self.error_message.replace("{api_key}", api_key or "")

    def error_headers(self, retry_after_name: str = "Retry-After") -> dict[str, str]:
        """`headers`, plus the retry-after header when the reply sets one."""
        retry = {} if self.retry_after is None else {retry_after_name: self.retry_after}
        return {**self.headers, **retry}


ReplyT = TypeVar("ReplyT", bound=Faults)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # as received, in the client's case: prefer `header(name)`
    json: Any  # the parsed JSON body (the raw text if it was not JSON, None if empty)
    query: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def closed_port_url(path: str = "") -> str:
    """A base URL (ending in `path`) on a loopback port nothing listens on: connection refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


class FakeServer(ABC, Generic[ReplyT]):
    url_path = ""  # appended to `http://127.0.0.1:<port>` to make `url`

    def __init__(self, new_reply: Callable[[], ReplyT], *, required_api_key: str | None = None) -> None:
        self._new_reply = new_reply
        self.default = new_reply()
        self.required_api_key = required_api_key
        self.requests: list[RecordedRequest] = []
        self._queue: deque[ReplyT] = deque()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # scripting
    def script(self, *replies: ReplyT) -> None:
        self._queue.extend(replies)

    def reset(self) -> None:
        self.default, self.requests = self._new_reply(), []
        self._queue.clear()

    @property
    def last_request(self) -> RecordedRequest:
        return self.requests[-1]

    # lifecycle
    async def __aenter__(self) -> Self:
        app = web.Application()
        self._routes(app)
        self._runner = web.AppRunner(app, shutdown_timeout=0.2, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}{self.url_path}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @abstractmethod
    def _routes(self, app: web.Application) -> None:
        """Adds the vendor's endpoints to `app`."""

    # for handlers
    async def _record(self, request: web.Request) -> Any:
        """Records the request; returns its parsed JSON body (the raw text if not JSON, None if empty)."""
        body = await request.read()
        payload: Any
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            payload = body.decode(errors="replace")
        self.requests.append(RecordedRequest(request.method, request.path, dict(request.headers), payload,
                                             dict(request.query)))
        return payload

    async def _next_reply(self) -> ReplyT:
        """The next scripted reply (FIFO), else `default`, after its `latency_s`."""
        reply = self._queue.popleft() if self._queue else self.default
        if reply.latency_s:
            await asyncio.sleep(reply.latency_s)
        return reply


def bearer_token(request: web.Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None


def digest(payload: Any, length: int) -> str:
    """A stable id for a request body."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:length]


def tokens(chars: int) -> int:
    """The fakes' token count: a token per 4 characters, at least one."""
    return max(1, chars // 4)
