"""A fake Mistral server speaking the real wire protocol, for adapter tests.

Usage::

    async with FakeMistral() as fake:                      # aiohttp.web on 127.0.0.1, random free port
        fake.default = Reply(text="Bonjour")               # what every request gets unless scripted
        fake.script(Reply(tool_calls=(FakeToolCall(id="D681PevKs", name="f", arguments="{}"),)))
        fake.fail_next(429, message="Rate limit exceeded", retry_after="2")
        client = Mistral(api_key="…", server_url=fake.url)   # fake.url is the server root, no /v1
        ...
        fake.last_request.json["random_seed"]              # what the client sent (parsed JSON body)

Endpoint: `POST /v1/chat/completions`, JSON, or SSE when `"stream": true` (a role delta, content
pieces, the last piece with the finish reason and the usage, then `data: [DONE]`).

Like the real API it refuses, before any scripted reply: unknown request or message fields (422
with pydantic's `extra_forbidden` list), tool-call ids that are not exactly 9 letters or digits,
and a role order Mistral does not accept such as `user` after `tool` (400, Mistral's messages).

Each request takes the next scripted `Reply` (FIFO), else `default`. A `Reply` also injects faults:
`status` + `error_*` (Mistral's `{"object": "error", …}` body; a 401 answers `{"detail": …}` as the
real API does; `{api_key}` in `error_message` is replaced by the bearer token received, to test
secret scrubbing) with optional `retry_after`, `latency_s` before answering, `cut_after` (stream:
close the socket abruptly after that many chunks), `malformed` (invalid JSON), `finish_reason`.
`required_api_key` makes every request with another bearer token fail with Mistral's 401.
`requests` lists every `RecordedRequest` in order; `reset()` clears it, the script and `default`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

from tests.fakes.fake_openai import RecordedRequest, closed_port_url
from tests.fakes.mistral_wire import (
    FakeToolCall,
    FakeUsage,
    chunks,
    completion,
    error_body,
    extra_forbidden,
    message_problem,
)

__all__ = ["FakeMistral", "FakeToolCall", "FakeUsage", "RecordedRequest", "Reply", "closed_port_url"]

CUT_GRACE_S = 0.05  # lets the client read the chunks already sent before the socket dies
ERROR_TYPES: dict[int, str] = {400: "invalid_request_error", 404: "not_found", 429: "rate_limited",
                               500: "internal_server_error", 503: "service_unavailable"}


@dataclass(frozen=True, kw_only=True)
class Reply:
    """One scripted answer. With `tool_calls`, `text` is ignored and the content is "", as Mistral does."""

    text: str | None = "Hello from the fake Mistral server."
    tool_calls: tuple[FakeToolCall, ...] = ()
    finish_reason: str | None = None  # default: tool_calls when there are tool calls, else stop
    usage: FakeUsage | None = None  # default: counted from the request and the reply
    model: str | None = None  # default: the requested model
    status: int = 200
    error_message: str = "Something went wrong."
    error_type: str | None = None  # default: by status (ERROR_TYPES)
    error_code: str | None = None
    retry_after: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    latency_s: float = 0.0
    chunk_delay_s: float = 0.0
    cut_after: int | None = None
    malformed: bool = False


class FakeMistral:
    def __init__(self, *, required_api_key: str | None = None) -> None:
        self.default = Reply()
        self.required_api_key = required_api_key
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Reply] = deque()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # scripting
    def script(self, *replies: Reply) -> None:
        self._queue.extend(replies)

    def fail_next(self, status: int, *, message: str = "Something went wrong.", type: str | None = None,
                  code: str | None = None, retry_after: str | None = None) -> None:
        self.script(Reply(status=status, error_message=message, error_type=type, error_code=code,
                          retry_after=retry_after))

    def reset(self) -> None:
        self.default, self.requests = Reply(), []
        self._queue.clear()

    @property
    def last_request(self) -> RecordedRequest:
        return self.requests[-1]

    # lifecycle
    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, shutdown_timeout=0.2, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # handlers
    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        payload = json.loads(body) if body else {}
        self.requests.append(RecordedRequest(request.method, request.path, dict(request.headers), payload))
        if self.required_api_key is not None and _bearer(request) != self.required_api_key:
            return web.json_response({"detail": "Unauthorized"}, status=401)
        if rejection := _validate(payload):
            return rejection
        reply = self._queue.popleft() if self._queue else self.default
        if reply.latency_s:
            await asyncio.sleep(reply.latency_s)
        if reply.status >= 400:
            return self._error(request, reply)
        if reply.malformed and not payload.get("stream"):
            return web.Response(body=b'{"id": "broken", "choices": [', content_type="application/json")
        args = _answer(payload, reply)
        if not payload.get("stream"):
            return web.json_response(completion(**args), headers=reply.headers)
        return await self._sse(request, reply, chunks(**args))

    def _error(self, request: web.Request, reply: Reply) -> web.Response:
        message = reply.error_message.replace("{api_key}", _bearer(request) or "")
        headers = dict(reply.headers)
        if reply.retry_after is not None:
            headers["Retry-After"] = reply.retry_after
        if reply.status == 401:
            return web.json_response({"detail": message}, status=401, headers=headers)
        err_type = reply.error_type or ERROR_TYPES.get(reply.status, "invalid_request_error")
        body = error_body(message, err_type, reply.error_code) | {"raw_status_code": reply.status}
        return web.json_response(body, status=reply.status, headers=headers)

    async def _sse(self, request: web.Request, reply: Reply, events: Any) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream; charset=utf-8", **reply.headers})
        await resp.prepare(request)
        for sent, event in enumerate(events):
            if reply.cut_after is not None and sent >= reply.cut_after:
                await asyncio.sleep(CUT_GRACE_S)
                assert request.transport is not None
                request.transport.abort()  # no terminating chunk: the client sees a truncated body
                return resp
            data = b"{not json" if reply.malformed and sent == 1 else json.dumps(event).encode()
            await resp.write(b"data: " + data + b"\n\n")
            if reply.chunk_delay_s:
                await asyncio.sleep(reply.chunk_delay_s)
        await resp.write(b"data: [DONE]\n\n")
        await resp.write_eof()
        return resp


def _validate(payload: dict[str, Any]) -> web.Response | None:
    """The API's own refusals, checked before anything scripted."""
    if problems := extra_forbidden(payload):
        body = {"object": "error", "detail": problems, "message": problems,
                "type": "invalid_request_error", "code": 3001}
        return web.json_response(body, status=422)
    if problem := message_problem(payload.get("messages") or []):
        message, err_type, code = problem
        return web.json_response(error_body(message, err_type, code) | {"raw_status_code": 400}, status=400)
    return None


def _bearer(request: web.Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None


def _answer(payload: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The fields shared by the JSON and SSE answers: id, model, finish reason and usage."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]
    prompt_chars = sum(len(json.dumps(m.get("content"))) for m in payload.get("messages", []))
    out_chars = len(reply.text or "") + sum(len(c.name) + len(c.arguments) for c in reply.tool_calls)
    counted = FakeUsage(prompt_tokens=max(1, prompt_chars // 4), completion_tokens=max(1, out_chars // 4))
    return {
        "id": digest, "created": int(time.time()), "model": reply.model or payload.get("model", ""),
        "text": reply.text if not reply.tool_calls else None, "tool_calls": reply.tool_calls,
        "finish_reason": reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop"),
        "usage": reply.usage or counted,
    }
