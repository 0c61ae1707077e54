"""The vendors' list prices the price table starts from, in USD per million tokens.

As of 2025-08-15 (the vendors' public pricing pages, standard tier, prompts up to 200k tokens, no
batch discount), plus Claude Opus 4.5 and Haiku 4.5 as Anthropic lists them since their release.
Prices move: the admin API (`/api/v1/admin/prices`) is how an operator corrects or adds one; this
list only seeds an empty table. Keys are vendor kinds, so every provider of that kind gets them
unless it has its own entry. Anthropic's cache writes (1.25x input) are not modelled: the vendors'
usage reports do not separate them from fresh input.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from domain.pricing import ModelPrice, PriceKey, TokenPrice

PRICES_AS_OF: Final = "2025-08-15"


def _p(provider: str, model: str, inp: str, out: str, cached: str | None = None) -> ModelPrice:
    price = TokenPrice(
        input_per_mtok=Decimal(inp),
        output_per_mtok=Decimal(out),
        cached_input_per_mtok=None if cached is None else Decimal(cached),
    )
    return ModelPrice(key=PriceKey(provider=provider, model=model), price=price)


LIST_PRICES: Final[tuple[ModelPrice, ...]] = (
    # OpenAI: cached input as listed for prompt caching
    _p("openai", "gpt-5", "1.25", "10.00", "0.125"),
    _p("openai", "gpt-5-mini", "0.25", "2.00", "0.025"),
    _p("openai", "gpt-5-nano", "0.05", "0.40", "0.005"),
    _p("openai", "gpt-4.1", "2.00", "8.00", "0.50"),
    _p("openai", "gpt-4.1-mini", "0.40", "1.60", "0.10"),
    _p("openai", "gpt-4.1-nano", "0.10", "0.40", "0.025"),
    _p("openai", "gpt-4o", "2.50", "10.00", "1.25"),
    _p("openai", "gpt-4o-mini", "0.15", "0.60", "0.075"),
    _p("openai", "o3", "2.00", "8.00", "0.50"),
    _p("openai", "o4-mini", "1.10", "4.40", "0.275"),
    # Anthropic: cached input is the cache-read price (0.1x input)
    _p("anthropic", "claude-opus-4-5", "5.00", "25.00", "0.50"),
    _p("anthropic", "claude-opus-4-1", "15.00", "75.00", "1.50"),
    _p("anthropic", "claude-sonnet-4-5", "3.00", "15.00", "0.30"),
    _p("anthropic", "claude-sonnet-4-0", "3.00", "15.00", "0.30"),
    _p("anthropic", "claude-haiku-4-5", "1.00", "5.00", "0.10"),
    _p("anthropic", "claude-3-5-haiku-latest", "0.80", "4.00", "0.08"),
    # Google Gemini (prompts up to 200k tokens; text input)
    _p("gemini", "gemini-2.5-pro", "1.25", "10.00", "0.31"),
    _p("gemini", "gemini-2.5-flash", "0.30", "2.50", "0.075"),
    _p("gemini", "gemini-2.5-flash-lite", "0.10", "0.40", "0.025"),
    _p("gemini", "gemini-2.0-flash", "0.10", "0.40", "0.025"),
    # Mistral: no prompt-cache discount listed
    _p("mistral", "mistral-large-latest", "2.00", "6.00"),
    _p("mistral", "mistral-medium-latest", "0.40", "2.00"),
    _p("mistral", "mistral-small-latest", "0.10", "0.30"),
    _p("mistral", "codestral-latest", "0.30", "0.90"),
    # Together (Llama serverless endpoints)
    _p("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.88", "0.88"),
    _p("together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "0.18", "0.18"),
    _p("together", "meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo", "3.50", "3.50"),
    _p("together", "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", "0.27", "0.85"),
    _p("together", "meta-llama/Llama-4-Scout-17B-16E-Instruct", "0.18", "0.59"),
)
