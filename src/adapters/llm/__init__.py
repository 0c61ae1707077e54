"""LLM vendor adapters: one package per wire protocol, built by `SdkLlmProviderFactory`."""
