"""A fake Anthropic server speaking the real Messages API, for adapter tests.

Usage::

    async with FakeAnthropic() as fake:                 # aiohttp.web on 127.0.0.1, random free port
        fake.default = Reply(text="Hi there")            # what every request gets unless scripted
        fake.script(Reply(text=None, tool_uses=(FakeToolUse(id="toolu_1", name="f", input={}),)))
        fake.fail_next(529, message="Overloaded")
        client = AsyncAnthropic(base_url=fake.url, api_key="sk-ant-test")   # fake.url has no /v1
        ...
        fake.last_request.json["max_tokens"]             # what the client sent (parsed JSON body)
        fake.last_request.header("anthropic-version")    # case-insensitive header lookup

Endpoint: `POST /v1/messages`: a `message` as JSON, or with `"stream": true` the SSE event stream
(`event:` and `data:` lines, a `ping` after the first block starts, `message_stop` last). A request
without the `anthropic-version` header, `model`, `max_tokens` or `messages` gets Anthropic's 400.

Each request takes the next scripted `Reply` (FIFO), else `default`. A `Reply` also injects faults:
`status` + `error_type`/`error_message` (Anthropic's error envelope; `{api_key}` in the message is
replaced by the key received, to test secret scrubbing) with optional `retry_after`; `latency_s`
before answering; stream only: `cut_after` (close the socket after that many events) and
`error_after` (an in-band `event: error` after that many events); `malformed` (invalid JSON).
`required_api_key` makes every request with another key fail with Anthropic's 401.
`requests` lists every `RecordedRequest` in order; `reset()` clears it, the script and `default`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.anthropic_wire import ERROR_TYPES, FakeToolUse, FakeUsage, error_body, events, message
from tests.fakes.server import FakeServer, Faults, RecordedRequest, closed_port_url, digest, tokens
from tests.fakes.sse import stream

__all__ = ["FakeAnthropic", "FakeToolUse", "FakeUsage", "RecordedRequest", "Reply", "closed_port_url"]

REQUEST_ID = {"request-id": "req_011CFakeAnthropic"}


@dataclass(frozen=True, kw_only=True)
class Reply(Faults):
    """One scripted answer: `text` (None for no text block) followed by `tool_uses` blocks."""

    text: str | None = "Hello from the fake Anthropic server."
    tool_uses: tuple[FakeToolUse, ...] = ()
    stop_reason: str | None = None  # default: tool_use when there are tool uses, else end_turn
    usage: FakeUsage | None = None  # default: counted from the request and the reply
    model: str | None = None  # default: the requested model
    error_type: str | None = None  # default: Anthropic's type for the status (in-band: overloaded_error)
    error_after: int | None = None


class FakeAnthropic(FakeServer[Reply]):
    def __init__(self, *, required_api_key: str | None = None) -> None:
        super().__init__(Reply, required_api_key=required_api_key)

    def fail_next(self, status: int, *, message: str = "Something went wrong.", type: str | None = None,
                  retry_after: str | None = None) -> None:
        self.script(Reply(status=status, error_message=message, error_type=type, retry_after=retry_after))

    def _routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/messages", self._messages)

    # handlers
    async def _messages(self, request: web.Request) -> web.StreamResponse:
        payload = await self._record(request)
        if failure := self._refusal(request, payload):
            return failure
        reply = await self._next_reply()
        if reply.status >= 400:
            headers = {**REQUEST_ID, **reply.error_headers("retry-after")}
            err_type = reply.error_type or ERROR_TYPES.get(reply.status, "api_error")
            body = error_body(err_type, reply.error_text(_key(request)))
            return web.json_response(body, status=reply.status, headers=headers)
        if reply.malformed and not payload.get("stream"):
            return web.Response(body=b'{"id": "msg_broken", "content": [', content_type="application/json")
        args = _answer(payload, reply)
        if not payload.get("stream"):
            return web.json_response(message(**args), headers={**REQUEST_ID, **reply.headers})
        return await self._sse(request, reply, events(**args))

    def _refusal(self, request: web.Request, payload: Any) -> web.Response | None:
        """What api.anthropic.com refuses before looking at the model: a wrong key, a malformed request."""
        if self.required_api_key is not None and _key(request) != self.required_api_key:
            return web.json_response(error_body("authentication_error", "invalid x-api-key"), status=401)
        if "anthropic-version" not in request.headers:
            return _bad_request("anthropic-version: header is required")
        if not isinstance(payload, dict):
            return _bad_request("The request body is not valid JSON.")
        for name in ("model", "max_tokens", "messages"):
            if name not in payload:
                return _bad_request(f"{name}: Field required")
        return None

    async def _sse(self, request: web.Request, reply: Reply, stream_: Any) -> web.StreamResponse:
        headers = {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache",
                   **REQUEST_ID, **reply.headers}
        return await stream(request, _frames(reply, stream_), headers=headers, cut_after=reply.cut_after,
                            chunk_delay_s=reply.chunk_delay_s)


def _frames(reply: Reply, stream_: Any) -> Iterator[bytes]:
    """`event: <name>` + `data: <json>` per event; with `error_after`, an in-band `error` event in place
    of that event, ending the stream without `message_stop`."""
    for sent, (name, data) in enumerate(stream_):
        if reply.error_after is not None and sent >= reply.error_after:
            err = error_body(reply.error_type or "overloaded_error", reply.error_message)
            del err["request_id"]  # the in-band event carries only type and error
            yield b"event: error\ndata: " + json.dumps(err).encode() + b"\n\n"
            return
        raw = b"{not json" if reply.malformed and sent == 1 else json.dumps(data).encode()
        yield b"event: " + name.encode() + b"\ndata: " + raw + b"\n\n"


def _bad_request(message_: str) -> web.Response:
    return web.json_response(error_body("invalid_request_error", message_), status=400)


def _key(request: web.Request) -> str | None:
    """The key as the SDK sends it (`Authorization: Bearer`), or as older clients do (`x-api-key`)."""
    auth = request.headers.get("Authorization", "")
    return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else request.headers.get("x-api-key")


def _answer(payload: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The fields shared by the JSON and SSE answers: id, model, content, stop reason and usage."""
    id_ = digest(payload, 24)
    prompt_chars = len(json.dumps(payload.get("system"))) + len(json.dumps(payload.get("messages")))
    out_chars = len(reply.text or "") + sum(len(t.name) + len(json.dumps(t.input)) for t in reply.tool_uses)
    counted = FakeUsage(input_tokens=tokens(prompt_chars), output_tokens=tokens(out_chars))
    return {
        "id": f"msg_{id_}", "model": reply.model or payload.get("model", ""),
        "text": reply.text, "tool_uses": reply.tool_uses,
        "stop_reason": reply.stop_reason or ("tool_use" if reply.tool_uses else "end_turn"),
        "usage": reply.usage or counted,
    }
