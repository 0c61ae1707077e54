"""The OpenAI chat-completions wire: api.openai.com, Together and any OpenAI-compatible server."""

from adapters.llm.openai.client import build_openai_client
from adapters.llm.openai.provider import OpenAILlmProvider
from adapters.llm.openai.request import MaxTokensField

__all__ = ["MaxTokensField", "OpenAILlmProvider", "build_openai_client"]
