"""`POST /v1/chat/completions`: OpenAI's chat API, whole or streamed as server-sent events."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, post
from litestar.params import JSONBody
from litestar.response import Stream

from application.chat.command import ChatCommand, ChatStream
from application.chat.complete_chat import CompleteChat
from application.chat.stream_chat import StreamChat
from domain.catalog import Target, Tenant
from domain.errors import GatewayError
from entrypoints.http.errors import envelope_for
from entrypoints.http.request_id import request_id_of
from entrypoints.http.schemas.chat_request import ChatCompletionBody, to_domain
from entrypoints.http.schemas.chat_response import ChatCompletion, ChunkWriter, completion_out
from entrypoints.http.schemas.errors import ErrorBody, ErrorEnvelope

log = logging.getLogger(__name__)


def _route_headers(target: Target, attempts: int, rule: str) -> dict[str, str]:
    return {
        "X-Gateway-Provider": target.provider,
        "X-Gateway-Model": target.model,
        "X-Gateway-Attempts": str(attempts),
        "X-Gateway-Route": rule,
    }


def _command(request: Request[Any, Any, Any], body: ChatCompletionBody, tenant: Tenant) -> ChatCommand:
    """The customer is the `X-Customer-Id` header, else the body's `user`; the service is the tenant."""
    chat = to_domain(body)
    customer = request.headers.get("x-customer-id", "").strip() or chat.params.user or None
    return ChatCommand(
        tenant=tenant, request=chat, request_id=request_id_of(request.scope), service=tenant.name, customer_id=customer
    )


class ChatController(Controller):
    path = "/v1/chat/completions"
    tags = ["OpenAI-compatible"]

    @post(
        operation_id="CreateChatCompletion",
        status_code=200,
        summary="Chat completion (OpenAI-compatible)",
        description="With `stream: true` the answer is `text/event-stream` of chat.completion.chunk "
        "objects ending in `data: [DONE]`.",
    )
    @inject
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ChatCompletionBody],
        *,
        tenant: FromDishka[Tenant],
        complete: FromDishka[CompleteChat],
        stream: FromDishka[StreamChat],
    ) -> Response[ChatCompletion] | Stream:
        command = _command(request, data, tenant)
        created = int(time.time())
        if command.request.stream:
            opened = await stream.execute(command)
            writer = ChunkWriter(
                request_id=command.request_id,
                model=data.model,
                created=created,
                include_usage=command.request.include_usage,
            )
            return Stream(
                _sse(opened, writer),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", **_route_headers(opened.target, opened.attempts, opened.rule)},
            )
        result = await complete.execute(command)
        body = completion_out(result.response, request_id=command.request_id, model=data.model, created=created)
        return Response(body, headers=_route_headers(result.target, result.attempts, result.rule))


async def _sse(opened: ChatStream, writer: ChunkWriter) -> AsyncIterator[bytes]:
    """Chunks, then `[DONE]`; a failure mid-stream ends it with an error event instead,
    which the openai SDK raises as an APIError: never a silent clean end."""
    try:
        async for event in opened.events:
            frame = writer.event(event)
            if frame is not None:
                yield frame
        yield writer.closing()
    except GatewayError as exc:
        envelope, _, _ = envelope_for(exc)
        yield ChunkWriter.error(envelope)
    except Exception:
        log.exception("stream failed")
        yield ChunkWriter.error(
            ErrorEnvelope(error=ErrorBody(message="Internal error in stream", type="api_error", code="internal_error"))
        )
    finally:
        await opened.events.aclose()  # type: ignore[attr-defined]
