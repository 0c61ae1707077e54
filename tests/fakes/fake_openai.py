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

import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes import server
from tests.fakes.openai_wire import ERROR_TYPES, FakeToolCall, FakeUsage, chunks, completion, error_body
from tests.fakes.server import FakeServer, Faults, RecordedRequest, bearer_token, digest, tokens
from tests.fakes.sse import data_frames, stream

__all__ = ["FakeOpenAI", "FakeToolCall", "FakeUsage", "RecordedRequest", "Reply", "closed_port_url"]


@dataclass(frozen=True, kw_only=True)
class Reply(Faults):
    """One scripted answer. With `tool_calls`, `text` is ignored and the content is null, as OpenAI does."""

    text: str | None = "Hello from the fake OpenAI server."
    refusal: str | None = None
    tool_calls: tuple[FakeToolCall, ...] = ()
    finish_reason: str | None = None  # default: tool_calls when there are tool calls, else stop
    usage: FakeUsage | None = None  # default: counted from the request and the reply
    model: str | None = None  # default: the requested model
    error_type: str | None = None  # default: OpenAI's type for the status
    error_code: str | None = None
    error_param: str | None = None


def closed_port_url() -> str:
    """A `/v1` base URL on a loopback port nothing listens on."""
    return server.closed_port_url("/v1")


class FakeOpenAI(FakeServer[Reply]):
    url_path = "/v1"

    def __init__(self, *, required_api_key: str | None = None, models: tuple[str, ...] = ("gpt-4o-mini",)):
        super().__init__(Reply, required_api_key=required_api_key)
        self.models = models

    def fail_next(self, status: int, *, message: str = "Something went wrong.", type: str | None = None,
                  code: str | None = None, param: str | None = None, retry_after: str | None = None) -> None:
        self.script(Reply(status=status, error_message=message, error_type=type, error_code=code,
                          error_param=param, retry_after=retry_after))

    def _routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)

    # handlers
    def _auth_failure(self, request: web.Request) -> web.Response | None:
        if self.required_api_key is None or bearer_token(request) == self.required_api_key:
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
        reply = await self._next_reply()
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
        err_type = reply.error_type or ERROR_TYPES.get(reply.status, "api_error")
        body = error_body(reply.error_text(bearer_token(request)), err_type, reply.error_code, reply.error_param)
        return web.json_response(body, status=reply.status, headers=reply.error_headers())

    async def _sse(self, request: web.Request, reply: Reply, events: Any) -> web.StreamResponse:
        frames = data_frames(events, broken_at=1 if reply.malformed else None)
        headers = {"Content-Type": "text/event-stream; charset=utf-8", **reply.headers}
        return await stream(request, frames, headers=headers, cut_after=reply.cut_after,
                            chunk_delay_s=reply.chunk_delay_s, tail=b"data: [DONE]\n\n")


def _answer(payload: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The fields shared by the JSON and SSE answers: id, model, finish reason and usage."""
    id_ = digest(payload, 24)
    prompt_chars = sum(len(json.dumps(m.get("content"))) for m in payload.get("messages", []))
    out_chars = len(reply.text or "") + sum(len(c.name) + len(c.arguments) for c in reply.tool_calls)
    counted = FakeUsage(prompt_tokens=tokens(prompt_chars), completion_tokens=tokens(out_chars))
    usage = reply.usage or counted
    finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
    return {
        "id": f"chatcmpl-{id_}", "created": int(time.time()),
        "model": reply.model or payload.get("model", ""),
        "text": reply.text if not reply.tool_calls else None, "refusal": reply.refusal,
        "tool_calls": reply.tool_calls, "finish_reason": finish, "usage": usage,
    }
