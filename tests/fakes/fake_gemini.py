"""A fake Gemini API server speaking Google's real wire protocol, for adapter tests.

Usage::

    async with FakeGemini() as fake:                     # aiohttp.web on 127.0.0.1, random free port
        fake.default = Reply(text="Hi there")             # what every request gets unless scripted
        fake.script(Reply(function_calls=(FakeFunctionCall(name="f", args={"a": 1}),)))
        fake.fail_next(429, "Resource has been exhausted (e.g. check quota).", retry_delay="2s")
        client = genai.Client(api_key="AIza…", http_options={"base_url": fake.url})
        ...
        fake.last_request.json["generationConfig"]        # what the client sent (parsed JSON body)
        fake.last_request.header("x-goog-api-key")         # case-insensitive header lookup

Endpoints: `POST /{version}/models/{model}:generateContent` (JSON, pretty-printed as Google does)
and `:streamGenerateContent?alt=sse` (one `data: {GenerateContentResponse}` event per piece, CRLF
framed, usage cumulative on every event, the finish reason on the last; Google's other stream form,
one JSON array without `alt=sse`, is not served: the SDK always asks for SSE).

Each request takes the next scripted `Reply` (FIFO), else `default`. A `Reply` also injects faults:
`status` + `error_*` (Google's error envelope; `{api_key}` in `error_message` is replaced by the key
received, to test secret scrubbing) with `retry_delay` (a `google.rpc.RetryInfo` detail) or
`retry_after` (header), `latency_s` before answering, `cut_after` (stream: close the socket
abruptly after that many events), `malformed` (invalid JSON), `block_reason` (the prompt is blocked:
no candidates, `promptFeedback.blockReason`). `required_api_key` makes a request without a key fail
with Google's 403 and one with another key with its 400 `API_KEY_INVALID`.
`requests` lists every `RecordedRequest` in order; `reset()` clears it, the script and `default`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.gemini_wire import (
    Answer,
    FakeFunctionCall,
    FakeUsage,
    error_body,
    error_info,
    generate_content_response,
    retry_info,
    stream_events,
)
from tests.fakes.server import FakeServer, Faults, RecordedRequest, closed_port_url, digest, tokens
from tests.fakes.sse import data_frames, stream

__all__ = ["FakeFunctionCall", "FakeGemini", "FakeUsage", "RecordedRequest", "Reply", "closed_port_url"]

NO_KEY_MESSAGE = ("Method doesn't allow unregistered callers (callers without established identity). "
                  "Please use API Key or other form of API consumer identity to call this API.")
BAD_KEY_MESSAGE = "API key not valid. Please pass a valid API key."


@dataclass(frozen=True, kw_only=True)
class Reply(Faults):
    """One scripted answer. With `function_calls`, text (if any) comes first, as Gemini sends it."""

    text: str | None = "Hello from the fake Gemini server."
    function_calls: tuple[FakeFunctionCall, ...] = ()
    finish_reason: str = "STOP"
    usage: FakeUsage | None = None  # default: counted from the request and the reply
    model_version: str | None = None  # default: the requested model
    block_reason: str | None = None
    error_message: str = "Internal error encountered."
    error_status: str | None = None  # default: Google's status name for the HTTP status
    error_details: tuple[dict[str, Any], ...] = ()
    retry_delay: str | None = None


class FakeGemini(FakeServer[Reply]):
    """`url` is the host root: the SDK adds `/v1/models/...`."""

    def __init__(self, *, required_api_key: str | None = None) -> None:
        super().__init__(Reply, required_api_key=required_api_key)

    def fail_next(self, status: int, message: str = "Internal error encountered.", *, error_status: str | None = None,
                  details: tuple[dict[str, Any], ...] = (), retry_delay: str | None = None) -> None:
        self.script(Reply(status=status, error_message=message, error_status=error_status,
                          error_details=details, retry_delay=retry_delay))

    def _routes(self, app: web.Application) -> None:
        app.router.add_post("/{version}/models/{target}", self._generate)

    # handlers
    async def _generate(self, request: web.Request) -> web.StreamResponse:
        payload = await self._record(request)
        model, _, method = request.match_info["target"].rpartition(":")
        if method not in ("generateContent", "streamGenerateContent"):
            return _json(error_body(404, f"Method not found: {method}"), 404)
        if failure := self._auth_failure(request):
            return failure
        reply = await self._next_reply()
        if reply.status >= 400:
            return self._error(request, reply)
        answer = _answer(payload if isinstance(payload, dict) else {}, model, reply)
        if method == "generateContent":
            if reply.malformed:
                return web.Response(body=b'{"candidates": [', content_type="application/json")
            return _json(generate_content_response(answer), headers=reply.headers)
        return await self._sse(request, reply, answer)

    def _auth_failure(self, request: web.Request) -> web.Response | None:
        if self.required_api_key is None:
            return None
        key = _api_key(request)
        if key is None:
            return _json(error_body(403, NO_KEY_MESSAGE), 403)
        if key != self.required_api_key:
            return _json(error_body(400, BAD_KEY_MESSAGE, details=[error_info("API_KEY_INVALID")]), 400)
        return None

    def _error(self, request: web.Request, reply: Reply) -> web.Response:
        details = list(reply.error_details)
        if reply.retry_delay is not None:
            details.append(retry_info(reply.retry_delay))
        body = error_body(reply.status, reply.error_text(_api_key(request)), reply.error_status, details)
        return _json(body, reply.status, reply.error_headers())

    async def _sse(self, request: web.Request, reply: Reply, answer: Answer) -> web.StreamResponse:
        frames = data_frames(stream_events(answer), broken_at=1 if reply.malformed else None, eol=b"\r\n")
        return await stream(request, frames, headers={"Content-Type": "text/event-stream", **reply.headers},
                            cut_after=reply.cut_after, chunk_delay_s=reply.chunk_delay_s)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=json.dumps(body, indent=2), status=status, headers=headers,
                        content_type="application/json", charset="UTF-8")


def _api_key(request: web.Request) -> str | None:
    return request.headers.get("x-goog-api-key") or request.query.get("key")


def _answer(payload: dict[str, Any], model: str, reply: Reply) -> Answer:
    id_ = digest(payload, 22)
    prompt_chars = len(json.dumps(payload.get("contents", []))) + len(json.dumps(payload.get("systemInstruction", "")))
    out_chars = len(reply.text or "") + sum(len(c.name) + len(json.dumps(c.args)) for c in reply.function_calls)
    counted = FakeUsage(prompt=tokens(prompt_chars), candidates=tokens(out_chars))
    return Answer(
        response_id=id_, model_version=reply.model_version or model,
        text=reply.text, function_calls=reply.function_calls, finish_reason=reply.finish_reason,
        usage=reply.usage or counted, block_reason=reply.block_reason,
    )
