"""`SdkLlmProviderFactory`: a configured `Provider` -> its adapter, with one SDK client each."""

from __future__ import annotations

from adapters.llm.anthropic import build_anthropic_provider
from adapters.llm.common.secrets import sensitive_header_values
from adapters.llm.gemini import build_gemini_provider
from adapters.llm.mistral import build_mistral_provider
from adapters.llm.mock import MockLlmProvider
from adapters.llm.openai import MaxTokensField, OpenAILlmProvider, build_openai_client
from adapters.llm.openai.client import OPENAI_BASE_URL
from application.ports.llm import LlmProvider, LlmProviderFactory
from domain.catalog import Provider, ProviderKind
from domain.errors import InvalidRequestError, UnsupportedFeatureError

TOGETHER_BASE_URL = "https://api.together.xyz/v1"

# kind -> (default base URL, name of the output-token limit field) for kinds on the OpenAI wire
_OPENAI_WIRE: dict[ProviderKind, tuple[str | None, MaxTokensField]] = {
    ProviderKind.OPENAI: (OPENAI_BASE_URL, "max_completion_tokens"),
    ProviderKind.TOGETHER: (TOGETHER_BASE_URL, "max_tokens"),
    ProviderKind.CUSTOM: (None, "max_tokens"),  # vLLM, Ollama, LM Studio, ...: base_url required
}


class SdkLlmProviderFactory(LlmProviderFactory):
    def create(self, provider: Provider) -> LlmProvider:
        """No network call: SDK clients connect lazily on the first request."""
        if provider.kind is ProviderKind.MOCK:
            return MockLlmProvider(name=provider.name)
        if provider.kind is ProviderKind.ANTHROPIC:
            return build_anthropic_provider(provider)
        if provider.kind is ProviderKind.GEMINI:
            return build_gemini_provider(provider)
        if provider.kind is ProviderKind.MISTRAL:
            return build_mistral_provider(provider)
        if provider.kind not in _OPENAI_WIRE:
            raise UnsupportedFeatureError(f"provider kind '{provider.kind}' is not supported yet")
        default_url, max_tokens_field = _OPENAI_WIRE[provider.kind]
        base_url = provider.base_url or default_url
        if base_url is None:
            raise InvalidRequestError(
                f"provider '{provider.name}' of kind '{provider.kind}' needs a base_url", param="base_url"
            )
        client = build_openai_client(
            base_url=base_url,
            api_key=provider.api_key,
            timeout_s=provider.timeout_s,
            extra_headers=provider.extra_headers,
        )
        header_secrets = sensitive_header_values(provider.extra_headers)
        own_authorization = any(k.lower() == "authorization" for k in provider.extra_headers)
        return OpenAILlmProvider(
            client,
            name=provider.name,
            max_tokens_field=max_tokens_field,
            omit_authorization=not provider.api_key and not own_authorization,
            secrets=header_secrets,
        )
