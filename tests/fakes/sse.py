"""Streaming from the fake servers: SSE frames, pacing, and an abrupt socket cut."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Iterator
from typing import Any

from aiohttp import web

CUT_GRACE_S = 0.05  # lets the client read the chunks already sent before the socket dies


async def stream(
    request: web.Request, frames: Iterable[bytes], *, headers: dict[str, str],
    cut_after: int | None = None, chunk_delay_s: float = 0.0, tail: bytes = b"",
) -> web.StreamResponse:
    """Writes `frames` (paced by `chunk_delay_s`), then `tail`; with `cut_after`, aborts the socket
    instead of sending frame number `cut_after`, so the client sees a truncated body."""
    resp = web.StreamResponse(headers=headers)
    await resp.prepare(request)
    for sent, frame in enumerate(frames):
        if cut_after is not None and sent >= cut_after:
            await asyncio.sleep(CUT_GRACE_S)
            assert request.transport is not None
            request.transport.abort()
            return resp
        await resp.write(frame)
        if chunk_delay_s:
            await asyncio.sleep(chunk_delay_s)
    if tail:
        await resp.write(tail)
    await resp.write_eof()
    return resp


def data_frames(events: Iterable[Any], *, broken_at: int | None = None, eol: bytes = b"\n") -> Iterator[bytes]:
    """One `data: <json>` SSE event per item; the one at index `broken_at` carries invalid JSON."""
    for sent, event in enumerate(events):
        data = b"{not json" if sent == broken_at else json.dumps(event).encode()
        yield b"data: " + data + eol + eol
