"""The deterministic `mock` vendor: no network, for demos, load tests and the e2e suite."""

from adapters.llm.mock.provider import CUT_MODEL, FAIL_PREFIX, MockLlmProvider

__all__ = ["CUT_MODEL", "FAIL_PREFIX", "MockLlmProvider"]
