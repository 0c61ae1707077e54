"""SdkLlmProviderFactory: kind -> adapter, with no network call."""

from __future__ import annotations

import openai
import pytest

from adapters.llm.anthropic import AnthropicLlmProvider
from adapters.llm.factory import TOGETHER_BASE_URL, SdkLlmProviderFactory
from adapters.llm.gemini import GeminiLlmProvider
from adapters.llm.mistral import MistralLlmProvider
from adapters.llm.mock import MockLlmProvider
from adapters.llm.openai import OpenAILlmProvider, build_openai_client
from domain.catalog import Provider, ProviderKind
from domain.errors import InvalidRequestError

pytestmark = pytest.mark.unit


def config(kind: ProviderKind, **fields: object) -> Provider:
    return Provider(id="p", name="p", kind=kind, **fields)  # type: ignore[arg-type]


def base_url(provider: object) -> str:
    assert isinstance(provider, OpenAILlmProvider)
    return str(provider._client.base_url)


@pytest.mark.parametrize(
    ("kind", "fields", "url"),
    [
        (ProviderKind.OPENAI, {"api_key": "sk-x"}, "https://api.openai.com/v1/"),
        (ProviderKind.TOGETHER, {"api_key": "tg-x"}, TOGETHER_BASE_URL + "/"),
        (ProviderKind.OPENAI, {"api_key": "sk-x", "base_url": "https://proxy.test/v1"}, "https://proxy.test/v1/"),
        (ProviderKind.CUSTOM, {"base_url": "http://localhost:8000/v1"}, "http://localhost:8000/v1/"),
    ],
)
async def test_openai_wire_kinds_get_the_openai_adapter(
    kind: ProviderKind, fields: dict[str, str], url: str
) -> None:
    provider = SdkLlmProviderFactory().create(config(kind, **fields))
    try:
        assert base_url(provider) == url
    finally:
        await provider.aclose()


def test_mock_kind_gets_the_mock_vendor() -> None:
    assert isinstance(SdkLlmProviderFactory().create(config(ProviderKind.MOCK)), MockLlmProvider)


@pytest.mark.parametrize(
    ("kind", "adapter"),
    [
        (ProviderKind.ANTHROPIC, AnthropicLlmProvider),
        (ProviderKind.GEMINI, GeminiLlmProvider),
        (ProviderKind.MISTRAL, MistralLlmProvider),
    ],
)
async def test_each_vendor_kind_gets_its_own_adapter(kind: ProviderKind, adapter: type) -> None:
    provider = SdkLlmProviderFactory().create(config(kind, api_key="k"))
    try:
        assert isinstance(provider, adapter)
    finally:
        await provider.aclose()


def test_custom_kind_needs_a_base_url() -> None:
    with pytest.raises(InvalidRequestError, match="base_url"):
        SdkLlmProviderFactory().create(config(ProviderKind.CUSTOM))


async def test_client_has_no_retries_and_the_provider_timeout() -> None:
    client = build_openai_client(base_url="http://x.test/v1", api_key="k", timeout_s=7.5, extra_headers={})
    try:
        assert client.max_retries == 0
        assert client.timeout == 7.5
        assert isinstance(client._client, openai.DefaultAioHttpClient)
    finally:
        await client.close()
