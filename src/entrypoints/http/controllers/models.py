"""`GET /v1/models`: the aliases and models this tenant may call."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get

from application.models import ListModels
from domain.catalog import Tenant
from entrypoints.http.schemas.models import ModelList, ModelOut


class ModelsController(Controller):
    path = "/v1/models"
    tags = ["OpenAI-compatible"]

    @get(operation_id="ListModels", summary="Models and aliases this key may call")
    @inject
    async def list_models(self, *, tenant: FromDishka[Tenant], models: FromDishka[ListModels]) -> ModelList:
        return ModelList(data=[ModelOut(id=name) for name in models.execute(tenant)])
