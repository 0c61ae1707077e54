"""`/api/v1/admin/prices`: USD per million tokens by (provider or vendor kind, model)."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, put
from litestar.params import JSONBody, QueryParameter

from application.admin.prices import ManagePrices
from domain.pricing import PriceKey
from entrypoints.http.admin_auth import admin_guard
from entrypoints.http.schemas.prices import PriceIn, PriceOut, price_from, price_out

Name = Annotated[str, QueryParameter(min_length=1, max_length=255)]


class PricesController(Controller):
    path = "/api/v1/admin/prices"
    tags = ["Admin: prices"]
    guards = [admin_guard]

    @get(operation_id="ListPrices", summary="Every price, by provider (or vendor kind) and model")
    @inject
    async def list_all(self, *, prices: FromDishka[ManagePrices]) -> list[PriceOut]:
        return [price_out(e) for e in await prices.list()]

    @put(operation_id="PutPrice", summary="Set the price of a model (creates or replaces)")
    @inject
    async def put_one(self, data: JSONBody[PriceIn], *, prices: FromDishka[ManagePrices]) -> PriceOut:
        return price_out(await prices.put(price_from(data)))

    @delete(operation_id="DeletePrice", summary="Remove a price: the model's cost becomes unknown")
    @inject
    async def remove(self, provider: Name, model: Name, *, prices: FromDishka[ManagePrices]) -> None:
        await prices.delete(PriceKey(provider=provider, model=model))
