"""Harnesses that let one contract suite run against every `LlmProvider` adapter.

`openai`: the real adapter and SDK, built by the production factory, against `FakeOpenAI`.
`mock`: the deterministic mock vendor, whose fault demos are chosen by model name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.llm.factory import SdkLlmProviderFactory
from adapters.llm.mock import CUT_MODEL, FAIL_PREFIX
from application.ports.llm import LlmProvider
from domain.catalog import Provider, ProviderKind
from domain.chat import ChatRequest
from domain.completion import StreamEvent
from tests.fakes.fake_openai import FakeOpenAI, FakeToolCall, Reply, closed_port_url

API_KEY = "sk-test-0123456789abcdef"
PROVIDER_NAME = "vendor-under-test"
FAST_TIMEOUT_S = 0.2

# fault -> the error the fake server answers with (status, message, code)
HTTP_FAULTS: dict[str, tuple[int, str, str | None]] = {
    "rate_limited": (429, "Rate limit reached for requests per min (RPM).", "rate_limit_exceeded"),
    "auth": (401, "Incorrect API key provided: sk-test-***cdef.", "invalid_api_key"),
    "bad_request": (400, "Invalid value for 'temperature': must be at most 2.", None),
    "context_length": (400, "This model's maximum context length is 128000.", "context_length_exceeded"),
    "not_found": (404, "The model `gpt-nope` does not exist.", "model_not_found"),
    "server": (500, "The server had an error while processing your request.", None),
    "overloaded": (503, "The engine is currently overloaded, please try again later.", None),
}


@dataclass
class Harness:
    adapter: str
    fake: FakeOpenAI | None
    opened: list[LlmProvider] = field(default_factory=list)
    model: str = "gpt-4o-mini"

    def provider(self, *, base_url: str | None = None, timeout_s: float = 5.0) -> LlmProvider:
        if self.fake is None:
            config = Provider(id="p-mock", name=PROVIDER_NAME, kind=ProviderKind.MOCK)
        else:
            config = Provider(id="p-oai", name=PROVIDER_NAME, kind=ProviderKind.OPENAI,
                              base_url=base_url or self.fake.url, api_key=API_KEY, timeout_s=timeout_s)
        provider = SdkLlmProviderFactory().create(config)
        self.opened.append(provider)
        return provider

    def script_tool_call(self, name: str, *, times: int = 1) -> None:
        """The fake answers with a tool call; the mock calls the forced tool by itself."""
        if self.fake is not None:
            call = FakeToolCall(id="call_abc123", name=name, arguments='{"city": "Paris", "unit": "c"}')
            self.fake.script(*[Reply(tool_calls=(call,))] * times)

    def arrange_fault(self, fault: str) -> tuple[LlmProvider, str]:
        """A provider and a model name that make the next call fail with `fault`."""
        if self.fake is None:
            return self.provider(), CUT_MODEL if fault == "stream_cut" else f"{FAIL_PREFIX}{fault}"
        if fault == "timeout":
            self.fake.script(Reply(latency_s=1.0))
            return self.provider(timeout_s=FAST_TIMEOUT_S), self.model
        if fault == "connection":
            return self.provider(base_url=closed_port_url()), self.model
        if fault == "stream_cut":
            self.fake.script(Reply(text="one two three four five six seven eight nine ten", cut_after=4))
            return self.provider(), self.model
        status, message, code = HTTP_FAULTS[fault]
        self.fake.fail_next(status, message=message, code=code, retry_after="2" if status == 429 else None)
        return self.provider(), self.model


async def collect(provider: LlmProvider, request: ChatRequest) -> list[StreamEvent]:
    return [event async for event in provider.stream(request)]
