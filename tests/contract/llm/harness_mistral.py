"""The LLM contract suite against the Mistral adapter: the real mistralai SDK and `FakeMistral`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from adapters.llm.mistral import build_mistral_provider
from application.ports.llm import LlmProvider
from domain.catalog import Provider, ProviderKind
from tests.contract.llm.harness import FAST_TIMEOUT_S, PROVIDER_NAME
from tests.fakes.fake_mistral import FakeMistral, FakeToolCall, Reply, closed_port_url

API_KEY = "mistral-test-0123456789abcdef0123"

# fault -> the error the fake answers with, as Mistral words it: (status, message, type, code)
HTTP_FAULTS: dict[str, tuple[int, str, str | None, str | None]] = {
    "rate_limited": (429, "Rate limit exceeded", "rate_limited", "1300"),
    "auth": (401, "Unauthorized", None, None),
    "bad_request": (400, "Invalid 'temperature': must be between 0 and 1.5", "invalid_request_error", None),
    "context_length": (400, "Prompt contains 40960 tokens and 0 draft tokens, too large for model with "
                            "32768 maximum context length", "invalid_request_error", None),
    "not_found": (404, "Not Found", None, None),
    "server": (500, "Internal server error", "internal_server_error", "1000"),
    "overloaded": (503, "Service unavailable, please try again later", "service_unavailable", None),
}


@dataclass
class MistralHarness:
    fake: FakeMistral
    opened: list[LlmProvider] = field(default_factory=list)
    model: str = "mistral-small-latest"

    def provider(self, *, base_url: str | None = None, timeout_s: float = 5.0) -> LlmProvider:
        config = Provider(id="p-mistral", name=PROVIDER_NAME, kind=ProviderKind.MISTRAL,
                          base_url=base_url or self.fake.url, api_key=API_KEY, timeout_s=timeout_s)
        provider = build_mistral_provider(config)
        self.opened.append(provider)
        return provider

    def script_tool_call(self, name: str, *, times: int = 1) -> None:
        call = FakeToolCall(id="D681PevKs", name=name, arguments='{"city": "Paris", "unit": "c"}')
        self.fake.script(*[Reply(tool_calls=(call,))] * times)

    def arrange_fault(self, fault: str) -> tuple[LlmProvider, str]:
        """A provider and a model name that make the next call fail with `fault`."""
        if fault == "timeout":
            self.fake.script(Reply(latency_s=1.0))
            return self.provider(timeout_s=FAST_TIMEOUT_S), self.model
        if fault == "connection":
            return self.provider(base_url=closed_port_url()), self.model
        if fault == "stream_cut":
            self.fake.script(Reply(text="one two three four five six seven eight nine ten", cut_after=4))
            return self.provider(), self.model
        status, message, error_type, code = HTTP_FAULTS[fault]
        self.fake.fail_next(status, message=message, type=error_type, code=code,
                            retry_after="2" if status == 429 else None)
        return self.provider(), self.model


@asynccontextmanager
async def open_harness() -> AsyncIterator[MistralHarness]:
    async with FakeMistral() as fake:
        harness = MistralHarness(fake)
        try:
            yield harness
        finally:
            for provider in harness.opened:
                await provider.aclose()
