"""Runs the `LlmProvider` contract suite against the Anthropic adapter: the real adapter and SDK,
built by `build_anthropic_provider`, against `FakeAnthropic`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from adapters.llm.anthropic import build_anthropic_provider
from application.ports.llm import LlmProvider
from domain.catalog import Provider, ProviderKind
from tests.contract.llm.harness import FAST_TIMEOUT_S, PROVIDER_NAME
from tests.fakes.fake_anthropic import FakeAnthropic, FakeToolUse, Reply, closed_port_url

API_KEY = "sk-ant-api03-test-0123456789abcdef"

# fault -> the error the fake answers with (status, Anthropic error type, message), as Anthropic words them.
# `overloaded` is a 503 because the shared suite expects that status; Anthropic's own 529 is tested apart.
HTTP_FAULTS: dict[str, tuple[int, str, str]] = {
    "rate_limited": (429, "rate_limit_error",
                     "Number of request tokens has exceeded your per-minute rate limit."),
    "auth": (401, "authentication_error", "invalid x-api-key"),
    "bad_request": (400, "invalid_request_error",
                    "max_tokens: 300000 > 64000, which is the maximum allowed number of output tokens"),
    "context_length": (400, "invalid_request_error", "prompt is too long: 213462 tokens > 200000 maximum"),
    "not_found": (404, "not_found_error", "model: claude-nope"),
    "server": (500, "api_error", "Internal server error"),
    "overloaded": (503, "overloaded_error", "Overloaded"),
}


@dataclass
class AnthropicHarness:
    fake: FakeAnthropic
    opened: list[LlmProvider] = field(default_factory=list)
    model: str = "claude-haiku-4-5"

    def provider(self, *, base_url: str | None = None, timeout_s: float = 5.0) -> LlmProvider:
        config = Provider(id="p-anthropic", name=PROVIDER_NAME, kind=ProviderKind.ANTHROPIC,
                          base_url=base_url or self.fake.url, api_key=API_KEY, timeout_s=timeout_s)
        provider = build_anthropic_provider(config)
        self.opened.append(provider)
        return provider

    def script_tool_call(self, name: str, *, times: int = 1) -> None:
        call = FakeToolUse(id="toolu_01A09q90qw90lq917835lq9", name=name, input={"city": "Paris", "unit": "c"})
        self.fake.script(*[Reply(text=None, tool_uses=(call,))] * times)

    def arrange_fault(self, fault: str) -> tuple[LlmProvider, str]:
        """A provider and a model name that make the next call fail with `fault`."""
        if fault == "timeout":
            self.fake.script(Reply(latency_s=1.0))
            return self.provider(timeout_s=FAST_TIMEOUT_S), self.model
        if fault == "connection":
            return self.provider(base_url=closed_port_url()), self.model
        if fault == "stream_cut":  # message_start, content_block_start, ping, then two text deltas
            self.fake.script(Reply(text="one two three four five six seven eight nine ten", cut_after=5))
            return self.provider(), self.model
        status, type_, message = HTTP_FAULTS[fault]
        self.fake.fail_next(status, type=type_, message=message, retry_after="2" if status == 429 else None)
        return self.provider(), self.model


@asynccontextmanager
async def open_harness() -> AsyncIterator[AnthropicHarness]:
    async with FakeAnthropic() as fake:
        harness = AnthropicHarness(fake)
        try:
            yield harness
        finally:
            for provider in harness.opened:
                await provider.aclose()
