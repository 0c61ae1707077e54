"""What a call cost: list prices in USD per million tokens, and the arithmetic. Pure, Decimal only."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal

import msgspec

from domain.usage import Usage

MILLION = Decimal(1_000_000)
# The usage log stores cost as NUMERIC(20, 10): costs are rounded to that precision here, once, so the
# value computed in memory is the value summed in the database.
COST_QUANTUM = Decimal("1e-10")
FREE = Decimal(0)


class TokenPrice(msgspec.Struct, frozen=True, kw_only=True):
    """USD per million tokens. `cached_input_per_mtok` None: cached input is billed as input."""

    input_per_mtok: Decimal
    output_per_mtok: Decimal
    cached_input_per_mtok: Decimal | None = None

    def __post_init__(self) -> None:
        for value in (self.input_per_mtok, self.output_per_mtok, self.cached_input_per_mtok):
            if value is not None and (not value.is_finite() or value < 0):
                raise ValueError("prices must be finite and not negative")


class PriceKey(msgspec.Struct, frozen=True, kw_only=True):
    """`provider` is a provider name from the catalog or a vendor kind (`openai`, `anthropic`, …)."""

    provider: str
    model: str


class ModelPrice(msgspec.Struct, frozen=True, kw_only=True):
    key: PriceKey
    price: TokenPrice


def cost_of(usage: Usage, price: TokenPrice) -> Decimal:
    """Vendors count cached tokens inside `input_tokens` and reasoning tokens inside `output_tokens`:
    the cached part is billed at the cached price, the rest of the input at the input price, and all
    output (reasoning included) at the output price. Rounded half-even to 1e-10 USD."""
    cached = min(max(usage.cached_tokens, 0), usage.input_tokens)
    fresh = usage.input_tokens - cached
    cached_rate = price.input_per_mtok if price.cached_input_per_mtok is None else price.cached_input_per_mtok
    total = fresh * price.input_per_mtok + cached * cached_rate + usage.output_tokens * price.output_per_mtok
    return (total / MILLION).quantize(COST_QUANTUM, rounding=ROUND_HALF_EVEN)


class PriceTable(msgspec.Struct, frozen=True, kw_only=True):
    """Prices by (provider, model). A provider's own entry beats its vendor kind's list price."""

    prices: Mapping[tuple[str, str], TokenPrice] = msgspec.field(default_factory=dict)

    @classmethod
    def of(cls, entries: list[ModelPrice] | tuple[ModelPrice, ...]) -> PriceTable:
        return cls(prices={(e.key.provider, e.key.model): e.price for e in entries})

    def find(self, *, provider: str, kind: str | None, model: str) -> TokenPrice | None:
        found = self.prices.get((provider, model))
        if found is None and kind is not None:
            found = self.prices.get((kind, model))
        return found

    def cost(self, usage: Usage, *, provider: str | None, kind: str | None, model: str | None) -> Decimal | None:
        """None when the model has no price: the cost is unknown, never zero. No tokens cost nothing."""
        if usage.total_tokens == 0:
            return FREE
        if provider is None or model is None:
            return None
        price = self.find(provider=provider, kind=kind, model=model)
        return None if price is None else cost_of(usage, price)
