"""The SDK's request path below its pydantic models: the one place that touches google-genai internals.

`BaseApiClient._build_request` (URL, version, key and extra headers, timeout) and `_async_request`
(tenacity with our `attempts=1`, aiohttp, non-2xx -> `errors.APIError`) are what
`models.generate_content` itself runs once it has built the body. Measured against a local server
(100-event stream, 1 KB prompt), per call CPU:

    complete: generate_content (pydantic in and out)  2.1-2.6 ms | this path + msgspec  0.9 ms
    stream:   generate_content_stream                28-31 ms   | async_request_streamed 4.7-5.2 ms
                                                                 | this path + msgspec   2.0-3.0 ms

`async_request_streamed` parses every event with `json.loads` and dumps it again, so streams read
the raw aiohttp body instead. Bodies go out as msgspec-encoded bytes (the SDK sends bytes as is).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from functools import lru_cache
from typing import Any, cast
from urllib.parse import quote

import aiohttp
import msgspec
from google import genai

SERVER_TIMEOUT_HEADER = "X-Server-Timeout"
_ENCODER = msgspec.json.Encoder()


@lru_cache(maxsize=512)
def model_path(model: str, method: str) -> str:
    """`gemini-2.5-flash` -> `models/gemini-2.5-flash:<method>`; `tunedModels/x` keeps its collection."""
    name = model if "/" in model else f"models/{model}"
    return f"{quote(name, safe='/')}:{method}"


class GeminiTransport:
    def __init__(self, client: genai.Client, *, timeout_s: float) -> None:
        self._api = client._api_client
        self._timeout_s = timeout_s

    async def generate(self, model: str, body: dict[str, Any]) -> str:
        """The JSON text of one `generateContent` answer, within the client's whole-request timeout."""
        request = self._api._build_request("post", model_path(model, "generateContent"), {})
        request.data = _ENCODER.encode(body)
        response = await self._api._async_request(request, stream=False)
        return cast(str, response.response_stream[0])

    async def stream(self, model: str, body: dict[str, Any]) -> AsyncGenerator[bytes, None]:
        """The raw `alt=sse` body as it arrives. A stream may run longer than `timeout_s`: the
        timeout bounds getting the response head and then each wait for more bytes, and the
        server is not told a deadline."""
        request = self._api._build_request("post", model_path(model, "streamGenerateContent?alt=sse"), {})
        request.data = _ENCODER.encode(body)
        request.timeout = None
        request.headers.pop(SERVER_TIMEOUT_HEADER, None)
        async with asyncio.timeout(self._timeout_s):
            response = await self._api._async_request(request, stream=True)
        raw = cast(aiohttp.ClientResponse, response.response_stream)
        try:
            while True:
                async with asyncio.timeout(self._timeout_s):
                    data = await raw.content.readany()
                if not data:
                    return
                yield data
        finally:
            raw.release()  # back to the pool when fully read, else the connection is closed

    async def aclose(self) -> None:
        await self._api.aclose()
