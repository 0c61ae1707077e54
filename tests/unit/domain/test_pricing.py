from decimal import Decimal

import pytest

from domain.price_list import LIST_PRICES
from domain.pricing import PriceTable, TokenPrice, cost_of
from domain.usage import Usage

MINI = TokenPrice(
    input_per_mtok=Decimal("0.15"), output_per_mtok=Decimal("0.60"), cached_input_per_mtok=Decimal("0.075")
)
NO_CACHE_PRICE = TokenPrice(input_per_mtok=Decimal("2"), output_per_mtok=Decimal("6"))


@pytest.mark.parametrize(
    ("usage", "price", "expected"),
    [
        (Usage(), MINI, "0"),
        (Usage(input_tokens=1_000_000), MINI, "0.15"),
        (Usage(output_tokens=1_000_000), MINI, "0.60"),
        # 1000 fresh * 0.15 + 0 cached + 500 out * 0.60 = 150 + 300 = 450 / 1e6
        (Usage(input_tokens=1000, output_tokens=500), MINI, "0.00045"),
        # 800 fresh * 0.15 + 200 cached * 0.075 + 500 * 0.60 = 120 + 15 + 300 = 435 / 1e6
        (Usage(input_tokens=1000, cached_tokens=200, output_tokens=500), MINI, "0.000435"),
        # reasoning tokens are inside output_tokens: billed once, at the output price
        (Usage(input_tokens=10, output_tokens=100, reasoning_tokens=80), MINI, "0.0000615"),
        # no cached price: cached input billed as input: 1000 * 2 + 10 * 6 = 2060 / 1e6
        (Usage(input_tokens=1000, cached_tokens=400, output_tokens=10), NO_CACHE_PRICE, "0.00206"),
        # one cached token at 0.075/M = 7.5e-8, exact at 1e-10
        (Usage(input_tokens=1, cached_tokens=1), MINI, "0.000000075"),
        # cached beyond input (a vendor bug) is capped at input: 3 cached * 0.075 = 2.25e-7
        (Usage(input_tokens=3, cached_tokens=9), MINI, "0.000000225"),
        # rounding half-even at 1e-10: 1 token at 0.00005/M = 5e-11 -> 0
        (Usage(input_tokens=1), TokenPrice(input_per_mtok=Decimal("0.00005"), output_per_mtok=Decimal(0)), "0"),
        (Usage(input_tokens=3), TokenPrice(input_per_mtok=Decimal("0.00005"), output_per_mtok=Decimal(0)), "2E-10"),
    ],
)
def test_cost_of_matches_hand_computed_values(usage: Usage, price: TokenPrice, expected: str) -> None:
    assert cost_of(usage, price) == Decimal(expected)


def test_negative_or_infinite_prices_are_refused() -> None:
    with pytest.raises(ValueError, match="not negative"):
        TokenPrice(input_per_mtok=Decimal("-1"), output_per_mtok=Decimal(1))
    with pytest.raises(ValueError, match="finite"):
        TokenPrice(input_per_mtok=Decimal(1), output_per_mtok=Decimal("Infinity"))


def test_a_provider_entry_beats_its_kind_and_an_unknown_model_has_no_cost() -> None:
    own = TokenPrice(input_per_mtok=Decimal(1), output_per_mtok=Decimal(1))
    table = PriceTable(prices={("openai", "gpt-4o-mini"): MINI, ("azure-east", "gpt-4o-mini"): own})
    usage = Usage(input_tokens=1_000_000)
    assert table.cost(usage, provider="azure-east", kind="openai", model="gpt-4o-mini") == Decimal(1)
    assert table.cost(usage, provider="openai-main", kind="openai", model="gpt-4o-mini") == Decimal("0.15")
    assert table.cost(usage, provider="openai-main", kind="openai", model="gpt-unknown") is None
    assert table.cost(usage, provider=None, kind=None, model=None) is None


def test_no_tokens_cost_nothing_even_without_a_price() -> None:
    assert PriceTable().cost(Usage(), provider=None, kind=None, model=None) == Decimal(0)
    assert PriceTable().cost(Usage(), provider="openai-main", kind="openai", model="gpt-unknown") == Decimal(0)


def test_the_list_prices_cover_each_vendor_once_per_model() -> None:
    keys = [(p.key.provider, p.key.model) for p in LIST_PRICES]
    assert len(keys) == len(set(keys))
    assert {provider for provider, _ in keys} == {"openai", "anthropic", "gemini", "mistral", "together"}
