"""Anthropic's Messages API (api.anthropic.com or a compatible server), through the anthropic SDK."""

from adapters.llm.anthropic.provider import AnthropicLlmProvider, build_anthropic_provider
from adapters.llm.anthropic.request import DEFAULT_MAX_TOKENS

__all__ = ["DEFAULT_MAX_TOKENS", "AnthropicLlmProvider", "build_anthropic_provider"]
