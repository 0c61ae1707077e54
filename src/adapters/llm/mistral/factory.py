"""A configured `Provider` of kind `mistral` -> its adapter, with its own SDK client."""

from __future__ import annotations

from importlib.metadata import version

from adapters.llm.common.secrets import sensitive_header_values
from adapters.llm.mistral.client import build_mistral_client
from adapters.llm.mistral.provider import MistralLlmProvider
from application.ports.llm import LlmProvider
from domain.catalog import Provider

# what the SDK's own user-agent hook sends (the provider skips the hooks, see provider.py)
USER_AGENT = f"mistral-client-python/{version('mistralai')}"


def build_mistral_provider(provider: Provider) -> LlmProvider:
    """No network call: the client connects on the first request. `base_url` overrides Mistral's
    server (a self-hosted or proxy endpoint, or a test's fake); extra headers go on every request,
    over the SDK's own (an `Authorization` there replaces the bearer key)."""
    client = build_mistral_client(base_url=provider.base_url, api_key=provider.api_key, timeout_s=provider.timeout_s)
    header_secrets = sensitive_header_values(provider.extra_headers)
    return MistralLlmProvider(
        client,
        name=provider.name,
        headers={"user-agent": USER_AGENT, **provider.extra_headers},
        secrets=(provider.api_key or "", *header_secrets),
    )
