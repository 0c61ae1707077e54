"""The LLM contract suite against the Gemini adapter: the real google-genai SDK and our adapter,
built by `build_gemini_provider`, talking to `FakeGemini`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from adapters.llm.gemini import build_gemini_provider
from application.ports.llm import LlmProvider
from domain.catalog import Provider, ProviderKind
from tests.contract.llm.harness import FAST_TIMEOUT_S, PROVIDER_NAME
from tests.fakes.fake_gemini import FakeFunctionCall, FakeGemini, Reply, closed_port_url
from tests.fakes.gemini_wire import error_info

API_KEY = "AIzaSyTest-0123456789abcdefghijklmnopq"

# fault -> the error the fake answers with (HTTP status, Google's message, details), as Gemini sends it
HTTP_FAULTS: dict[str, tuple[int, str, tuple[dict[str, object], ...]]] = {
    "rate_limited": (429, "You exceeded your current quota, please check your plan and billing details.", ()),
    "auth": (401, "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                  "login cookie or other valid authentication credential.",
             (error_info("ACCESS_TOKEN_TYPE_UNSUPPORTED"),)),
    "bad_request": (400, "* GenerateContentRequest.generation_config.temperature: must be in [0, 2]", ()),
    "context_length": (400, "The input token count (1290583) exceeds the maximum number of tokens "
                            "allowed (1048576).", ()),
    "not_found": (404, "models/gemini-nope is not found for API version v1, or is not supported for "
                       "generateContent.", ()),
    "server": (500, "An internal error has occurred. Please retry or report in "
                    "https://developers.generativeai.google/guide/troubleshooting", ()),
    "overloaded": (503, "The model is overloaded. Please try again later.", ()),
}


@dataclass
class GeminiHarness:
    fake: FakeGemini
    opened: list[LlmProvider] = field(default_factory=list)
    model: str = "gemini-2.5-flash"

    def provider(self, *, base_url: str | None = None, timeout_s: float = 5.0) -> LlmProvider:
        config = Provider(id="p-gemini", name=PROVIDER_NAME, kind=ProviderKind.GEMINI,
                          base_url=base_url or self.fake.url, api_key=API_KEY, timeout_s=timeout_s)
        provider = build_gemini_provider(config)
        self.opened.append(provider)
        return provider

    def script_tool_call(self, name: str, *, times: int = 1) -> None:
        call = FakeFunctionCall(name=name, args={"city": "Paris", "unit": "c"})
        self.fake.script(*[Reply(text=None, function_calls=(call,))] * times)

    def arrange_fault(self, fault: str) -> tuple[LlmProvider, str]:
        """A provider and a model name that make the next call fail with `fault`."""
        if fault == "timeout":
            self.fake.script(Reply(latency_s=1.0))
            return self.provider(timeout_s=FAST_TIMEOUT_S), self.model
        if fault == "connection":
            return self.provider(base_url=closed_port_url()), self.model
        if fault == "stream_cut":
            self.fake.script(Reply(text="one two three four five six seven eight nine ten", cut_after=3))
            return self.provider(), self.model
        status, message, details = HTTP_FAULTS[fault]
        self.fake.fail_next(status, message, details=details, retry_delay="2s" if status == 429 else None)
        return self.provider(), self.model


@asynccontextmanager
async def open_harness() -> AsyncIterator[GeminiHarness]:
    async with FakeGemini() as fake:
        harness = GeminiHarness(fake)
        try:
            yield harness
        finally:
            for provider in harness.opened:
                await provider.aclose()
