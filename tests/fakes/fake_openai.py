"""A fake OpenAI server speaking the real wire protocol, for adapter and HTTP-level tests.

Usage::

    async with FakeOpenAI() as fake:                    # aiohttp.web on 127.0.0.1, random free port
        fake.default = Reply(text="Hi there")            # what every request gets unless scripted
        fake.script(Reply(tool_calls=(FakeToolCall(id="call_1", name="f", arguments="{}"),)))
        fake.fail_next(429, message="Slow down", retry_after="2")
        client = AsyncOpenAI(base_url=fake.url, api_key="sk-test")   # fake.url ends in /v1
        ...
        fake.last_request.json["max_completion_tokens"]  # what the client sent (parsed JSON body)
        fake.last_request.header("Authorization")         # case-insensitive header lookup

Endpoints: `POST /v1/chat/completions` (JSON, or SSE when `"stream": true`: a role delta, content /
refusal / tool-call deltas, a finish chunk, a usage chunk with empty `choices` when
`stream_options.include_usage`, then `data: [DONE]`) and `GET /v1/models`.

Each request takes the next scripted `Reply` (FIFO), else `default`. A `Reply` also injects faults:
`status` + `error_*` (OpenAI error envelope; `{api_key}` in `error_message` is replaced by the bearer
token received, to test secret scrubbing) with optional `retry_after`, `latency_s` before answering,
`cut_after` (stream: close the socket abruptly after that many chunks), `malformed` (invalid JSON).
`required_api_key` makes every request with another bearer token fail with OpenAI's 401.
`closed_port_url()` gives a base URL where nothing listens (connection refused).
`requests` lists every `RecordedRequest` in order; `reset()` clears it, the script and `default`
(one server can serve a whole session: reset it per test). `chunk_delay_s` paces a stream.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

from tests.fakes.openai_wire import ERROR_TYPES, FakeToolCall, FakeUsage, chunks, completion, error_body

__all__ = ["FakeOpenAI", "FakeToolCall", "FakeUsage", "RecordedRequest", "Reply", "closed_port_url"]

CUT_GRACE_S = 0.05  # lets the client read the chunks already sent before the socket dies


@dataclass(frozen=True, kw_only=True)
class Reply:
    """One scripted answer. With `tool_calls`, `text` is ignored and the content is null, as OpenAI does."""

    text: str | None = "Hello from the fake OpenAI server."
    refusal: str | None = None
    tool_calls: tuple[FakeToolCall, ...] = ()
    finish_reason: str | None = None  # default: tool_calls when there are tool calls, else stop
    usage: FakeUsage | None = None  # default: counted from the request and the reply
    model: str | None = None  # default: the requested model
    status: int = 200
    error_message: str = "Something went wrong."
    error_type: str | None = None  # default: OpenAI's type for the status
    error_code: str | None = None
    error_param: str | None = None
    retry_after: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    latency_s: float = 0.0
    chunk_delay_s: float = 0.0
    cut_after: int | None = None
    malformed: bool = False


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # as received, in the client's case: prefer `header(name)`
    json: Any  # the parsed JSON body (the raw text if it was not JSON, None if empty)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def closed_port_url() -> str:
    """A `/v1` base URL on a loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


class FakeOpenAI:
    def __init__(self, *, required_api_key: str | None = None, models: tuple[str, ...] = ("gpt-4o-mini",)):
        self.default = Reply()
        self.required_api_key = required_api_key
        self.models = models
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Reply] = deque()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # scripting
    def script(self, *replies: Reply) -> None:
        self._queue.extend(replies)

    def fail_next(self, status: int, *, message: str = "Something went wrong.", type: str | None = None,
                  code: str | None = None, param: str | None = None, retry_after: str | None = None) -> None:
        self.script(Reply(status=status, error_message=message, error_type=type, error_code=code,
                          error_param=param, retry_after=retry_after))

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
        app.router.add_get("/v1/models", self._models)
        self._runner = web.AppRunner(app, shutdown_timeout=0.2, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/v1"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # handlers
    async def _record(self, request: web.Request) -> Any:
        body = await request.read()
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            payload = body.decode(errors="replace")
        self.requests.append(RecordedRequest(request.method, request.path, dict(request.headers), payload))
        return payload

    def _auth_failure(self, request: web.Request) -> web.Response | None:
        if self.required_api_key is None or _bearer(request) == self.required_api_key:
            return None
        message = "Incorrect API key provided. You can find your API key at https://platform.openai.com."
        body = error_body(message, "invalid_request_error", "invalid_api_key", None)
        return web.json_response(body, status=401)

    async def _models(self, request: web.Request) -> web.Response:
        await self._record(request)
        if failure := self._auth_failure(request):
            return failure
        data = [{"id": m, "object": "model", "created": 1_700_000_000, "owned_by": "openai"}
                for m in self.models]
        return web.json_response({"object": "list", "data": data})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        payload = await self._record(request)
        if failure := self._auth_failure(request):
            return failure
        reply = self._queue.popleft() if self._queue else self.default
        if reply.latency_s:
            await asyncio.sleep(reply.latency_s)
        if reply.status >= 400:
            return self._error(request, reply)
        if reply.malformed and not payload.get("stream"):
            return web.Response(body=b'{"id": "chatcmpl-broken", "choices": [',
                                content_type="application/json")
        args = _answer(payload, reply)
        if not payload.get("stream"):
            return web.json_response(completion(**args), headers=reply.headers)
        include_usage = bool((payload.get("stream_options") or {}).get("include_usage"))
        return await self._sse(request, reply, chunks(**args, include_usage=include_usage))

    def _error(self, request: web.Request, reply: Reply) -> web.Response:
        message = reply.error_message.replace("{api_key}", _bearer(request) or "")
        err_type = reply.error_type or ERROR_TYPES.get(reply.status, "api_error")
        headers = dict(reply.headers)
        if reply.retry_after is not None:
            headers["Retry-After"] = reply.retry_after
        body = error_body(message, err_type, reply.error_code, reply.error_param)
        return web.json_response(body, status=reply.status, headers=headers)

    async def _sse(self, request: web.Request, reply: Reply, events: Any) -> web.StreamResponse:
        headers = {"Content-Type": "text/event-stream; charset=utf-8", **reply.headers}
        resp = web.StreamResponse(headers=headers)
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


def _bearer(request: web.Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None


def _answer(payload: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The fields shared by the JSON and SSE answers: id, model, finish reason and usage."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]
    prompt_chars = sum(len(json.dumps(m.get("content"))) for m in payload.get("messages", []))
    out_chars = len(reply.text or "") + sum(len(c.name) + len(c.arguments) for c in reply.tool_calls)
    counted = FakeUsage(prompt_tokens=max(1, prompt_chars // 4), completion_tokens=max(1, out_chars // 4))
    usage = reply.usage or counted
    finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
    return {
        "id": f"chatcmpl-{digest}", "created": int(time.time()),
        "model": reply.model or payload.get("model", ""),
        "text": reply.text if not reply.tool_calls else None, "refusal": reply.refusal,
        "tool_calls": reply.tool_calls, "finish_reason": finish, "usage": usage,
    }
