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

import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.fake_openai import closed_port_url
from tests.fakes.mistral_wire import (
    FakeToolCall,
    FakeUsage,
    chunks,
    completion,
    error_body,
    extra_forbidden,
    message_problem,
)
from tests.fakes.server import FakeServer, Faults, RecordedRequest, bearer_token, digest, tokens
from tests.fakes.sse import data_frames, stream

__all__ = ["FakeMistral", "FakeToolCall", "FakeUsage", "RecordedRequest", "Reply", "closed_port_url"]

ERROR_TYPES: dict[int, str] = {400: "invalid_request_error", 404: "not_found", 429: "rate_limited",
                               500: "internal_server_error", 503: "service_unavailable"}


@dataclass(frozen=True, kw_only=True)
class Reply(Faults):
    """One scripted answer. With `tool_calls`, `text` is ignored and the content is "", as Mistral does."""

    text: str | None = "Hello from the fake Mistral server."
    tool_calls: tuple[FakeToolCall, ...] = ()
    finish_reason: str | None = None  # default: tool_calls when there are tool calls, else stop
    usage: FakeUsage | None = None  # default: counted from the request and the reply
    model: str | None = None  # default: the requested model
    error_type: str | None = None  # default: by status (ERROR_TYPES)
    error_code: str | None = None


class FakeMistral(FakeServer[Reply]):
    def __init__(self, *, required_api_key: str | None = None) -> None:
        super().__init__(Reply, required_api_key=required_api_key)

    def fail_next(self, status: int, *, message: str = "Something went wrong.", type: str | None = None,
                  code: str | None = None, retry_after: str | None = None) -> None:
        self.script(Reply(status=status, error_message=message, error_type=type, error_code=code,
                          retry_after=retry_after))

    def _routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/chat/completions", self._chat)

    # handlers
    async def _chat(self, request: web.Request) -> web.StreamResponse:
        payload = await self._record(request) or {}
        if self.required_api_key is not None and bearer_token(request) != self.required_api_key:
            return web.json_response({"detail": "Unauthorized"}, status=401)
        if rejection := _validate(payload):
            return rejection
        reply = await self._next_reply()
        if reply.status >= 400:
            return self._error(request, reply)
        if reply.malformed and not payload.get("stream"):
            return web.Response(body=b'{"id": "broken", "choices": [', content_type="application/json")
        args = _answer(payload, reply)
        if not payload.get("stream"):
            return web.json_response(completion(**args), headers=reply.headers)
        return await self._sse(request, reply, chunks(**args))

    def _error(self, request: web.Request, reply: Reply) -> web.Response:
        message, headers = reply.error_text(bearer_token(request)), reply.error_headers()
        if reply.status == 401:
            return web.json_response({"detail": message}, status=401, headers=headers)
        err_type = reply.error_type or ERROR_TYPES.get(reply.status, "invalid_request_error")
        body = error_body(message, err_type, reply.error_code) | {"raw_status_code": reply.status}
        return web.json_response(body, status=reply.status, headers=headers)

    async def _sse(self, request: web.Request, reply: Reply, events: Any) -> web.StreamResponse:
        frames = data_frames(events, broken_at=1 if reply.malformed else None)
        headers = {"Content-Type": "text/event-stream; charset=utf-8", **reply.headers}
        return await stream(request, frames, headers=headers, cut_after=reply.cut_after,
                            chunk_delay_s=reply.chunk_delay_s, tail=b"data: [DONE]\n\n")


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


def _answer(payload: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The fields shared by the JSON and SSE answers: id, model, finish reason and usage."""
    id_ = digest(payload, 32)
    prompt_chars = sum(len(json.dumps(m.get("content"))) for m in payload.get("messages", []))
    out_chars = len(reply.text or "") + sum(len(c.name) + len(c.arguments) for c in reply.tool_calls)
    counted = FakeUsage(prompt_tokens=tokens(prompt_chars), completion_tokens=tokens(out_chars))
    return {
        "id": id_, "created": int(time.time()), "model": reply.model or payload.get("model", ""),
        "text": reply.text if not reply.tool_calls else None, "tool_calls": reply.tool_calls,
        "finish_reason": reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop"),
        "usage": reply.usage or counted,
    }
