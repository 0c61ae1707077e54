"""`/api/v1/admin/prices` bodies: USD per million tokens, as JSON numbers or strings (kept exact)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from domain.errors import InvalidRequestError
from domain.pricing import ModelPrice, PriceKey, TokenPrice

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]


class PriceIn(msgspec.Struct, forbid_unknown_fields=True):
    provider: Name  # a provider name, or a vendor kind (`openai`, `anthropic`, …) for all its providers
    model: Name
    input_per_mtok: Decimal
    output_per_mtok: Decimal
    cached_input_per_mtok: Decimal | None = None  # None: cached input is billed at the input price


class PriceOut(msgspec.Struct):
    provider: str
    model: str
    input_per_mtok: Decimal
    output_per_mtok: Decimal
    cached_input_per_mtok: Decimal | None


def price_from(data: PriceIn) -> ModelPrice:
    try:
        price = TokenPrice(
            input_per_mtok=data.input_per_mtok,
            output_per_mtok=data.output_per_mtok,
            cached_input_per_mtok=data.cached_input_per_mtok,
        )
    except ValueError as exc:
        raise InvalidRequestError(str(exc)) from None
    return ModelPrice(key=PriceKey(provider=data.provider, model=data.model), price=price)


def _plain(value: Decimal) -> Decimal:
    """3.0000000000 as stored reads 3, 0.1500000000 reads 0.15 (never 1E+1)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def price_out(entry: ModelPrice) -> PriceOut:
    cached = entry.price.cached_input_per_mtok
    return PriceOut(
        provider=entry.key.provider,
        model=entry.key.model,
        input_per_mtok=_plain(entry.price.input_per_mtok),
        output_per_mtok=_plain(entry.price.output_per_mtok),
        cached_input_per_mtok=None if cached is None else _plain(cached),
    )
