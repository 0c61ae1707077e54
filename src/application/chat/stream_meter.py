"""Counts what a stream delivered, so a stream cut short still gets an honest usage record."""

from __future__ import annotations

from domain.chat import ChatRequest
from domain.completion import StreamEvent, TextDelta, ToolCallDelta, UsageReport
from domain.tokens import estimate_prompt_tokens, tokens_for_chars
from domain.usage import Usage


class StreamMeter:
    def __init__(self, request: ChatRequest, *, ttft_ms: float) -> None:
        self._request = request
        self.ttft_ms = ttft_ms
        self._chars = 0
        self._reported: Usage | None = None

    def see(self, event: StreamEvent) -> None:
        match event:
            case TextDelta(text=text):
                self._chars += len(text)
            case ToolCallDelta(name=name, arguments=arguments):
                self._chars += len(name or "") + len(arguments)
            case UsageReport(usage=usage):
                self._reported = usage

    def usage(self) -> Usage:
        """The vendor's own count when it sent one; otherwise an estimate, flagged as such."""
        if self._reported is not None:
            return self._reported
        return Usage(
            input_tokens=estimate_prompt_tokens(self._request.messages),
            output_tokens=tokens_for_chars(self._chars),
            estimated=True,
        )
