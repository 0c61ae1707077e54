"""Mistral's chat-completions API (api.mistral.ai, or a compatible endpoint) through the mistralai SDK."""

from adapters.llm.mistral.client import build_mistral_client
from adapters.llm.mistral.factory import build_mistral_provider
from adapters.llm.mistral.provider import MistralLlmProvider

__all__ = ["MistralLlmProvider", "build_mistral_client", "build_mistral_provider"]
