"""The Gemini Developer API (generativelanguage.googleapis.com) through google-genai."""

from adapters.llm.gemini.provider import GeminiLlmProvider, build_gemini_provider

__all__ = ["GeminiLlmProvider", "build_gemini_provider"]
