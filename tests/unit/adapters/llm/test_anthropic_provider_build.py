"""build_anthropic_provider: one SDK client per provider, configured by us and not by the environment."""

from __future__ import annotations

import anthropic
import pytest

from adapters.llm.anthropic import AnthropicLlmProvider, build_anthropic_provider
from domain.catalog import Provider, ProviderKind

pytestmark = pytest.mark.unit


def client_of(**fields: object) -> anthropic.AsyncAnthropic:
    provider = build_anthropic_provider(Provider(id="p", name="p", kind=ProviderKind.ANTHROPIC, **fields))  # type: ignore[arg-type]
    assert isinstance(provider, AnthropicLlmProvider)
    return provider._client


@pytest.fixture(autouse=True)
def ambient_anthropic_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-from-the-host")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "https://elsewhere.test")
    monkeypatch.setenv("ANTHROPIC_OPEN_TELEMETRY", "true")


async def test_defaults_to_anthropic_with_our_key_timeout_and_no_retries() -> None:
    client = client_of(api_key="sk-ant-ours", timeout_s=7.5)
    try:
        assert str(client.base_url).rstrip("/") == "https://api.anthropic.com"
        assert client.api_key == "sk-ant-ours" and client.auth_token is None
        assert (client.max_retries, client.timeout) == (0, 7.5)
        assert isinstance(client._client, anthropic.DefaultAioHttpClient)
        assert client._tracer is None  # no spans, whatever ANTHROPIC_OPEN_TELEMETRY says
    finally:
        await client.close()


async def test_a_configured_base_url_wins() -> None:
    client = client_of(api_key="k", base_url="https://proxy.test/anthropic")
    try:
        assert str(client.base_url) == "https://proxy.test/anthropic/"
    finally:
        await client.close()
