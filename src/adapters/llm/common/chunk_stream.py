"""The chat-completions stream shape OpenAI set and others copied: `data: {chunk}` SSE events
ending with `data: [DONE]`. The usage and finish reason are held and emitted together, usage
first, at `[DONE]` or at the end of the body; a vendor's parser decodes the chunks."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator

from adapters.llm.common.sse import SseEvent, SseReader
from domain.completion import Finish, FinishReason, StreamEvent, UsageReport
from domain.usage import Usage

DONE = b"[DONE]"


class ChunkStreamParser(ABC):
    truncated: type[Exception]  # the vendor's error for a body that ends before the finish reason

    def __init__(self) -> None:
        self._sse = SseReader()
        self._finish: FinishReason | None = None  # set by `_chunk` from the chunk carrying it
        self._usage: Usage | None = None  # likewise; the last one wins
        self.done = False  # `[DONE]` seen: the caller may stop reading

    @abstractmethod
    def _chunk(self, event: SseEvent) -> list[StreamEvent]:
        """One chunk's deltas; raises the vendor's `InBandError` or a msgspec error on a bad chunk."""

    def feed(self, data: bytes) -> Iterator[StreamEvent]:
        """Events completed by these bytes, each as soon as its SSE event is read, so the events before
        an in-band error in the same read still reach the caller."""
        for event in self._sse.feed(data):
            yield from self._dispatch(event)

    def close(self) -> list[StreamEvent]:
        """At the end of the body: the held usage and finish, unless `[DONE]` already flushed them."""
        if self.done:
            return []
        last = self._sse.close()  # an event the server did not terminate with a blank line
        events = [] if last is None else self._dispatch(last)
        if self.done:
            return events
        if self._finish is None:
            raise self.truncated("the stream ended before the answer was finished")
        return events + self._flush()

    def _dispatch(self, event: SseEvent) -> list[StreamEvent]:
        if self.done:  # nothing after [DONE] counts
            return []
        if event.data == DONE:
            self.done = True
            return self._flush()
        return self._chunk(event)

    def _flush(self) -> list[StreamEvent]:
        events: list[StreamEvent] = [] if self._usage is None else [UsageReport(usage=self._usage)]
        events.append(Finish(reason=self._finish or FinishReason.STOP))
        return events
