"""`POST /api/v1/generate`: the service API. Same key, routing, fallback and usage log as the OpenAI one."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, post
from litestar.params import JSONBody

from application.generate import GenerateText
from domain.catalog import Tenant
from entrypoints.http.request_id import request_id_of
from entrypoints.http.schemas.generate import GenerateIn, GenerateOut, generate_command, generate_out


class GenerateController(Controller):
    path = "/api/v1/generate"
    tags = ["Service API"]

    @post(
        operation_id="Generate",
        status_code=200,
        summary="Generate text for a service and customer",
        description="Routed by the customer's override, else the model's route. The answer names "
        "the rule in `X-Gateway-Route`, and who served it in `X-Gateway-Provider`/`-Model`/`-Attempts`.",
    )
    @inject
    async def generate(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[GenerateIn],
        *,
        tenant: FromDishka[Tenant],
        generate: FromDishka[GenerateText],
    ) -> Response[GenerateOut]:
        request_id = request_id_of(request.scope)
        result = await generate.execute(generate_command(data, tenant=tenant, request_id=request_id))
        headers = {
            "X-Gateway-Provider": result.provider,
            "X-Gateway-Model": result.model,
            "X-Gateway-Attempts": str(result.attempts),
            "X-Gateway-Route": result.rule,
        }
        return Response(generate_out(result, request_id=request_id), headers=headers)
