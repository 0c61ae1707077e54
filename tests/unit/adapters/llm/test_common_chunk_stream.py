"""The `data: {chunk}` … `data: [DONE]` stream shape, with a minimal vendor chunk decoder."""

from __future__ import annotations

import pytest

from adapters.llm.common.chunk_stream import ChunkStreamParser
from adapters.llm.common.sse import SseEvent
from domain.completion import Finish, FinishReason, StreamEvent, TextDelta, UsageReport
from domain.usage import Usage

pytestmark = pytest.mark.unit

USAGE = Usage(input_tokens=3, output_tokens=2)


class Truncated(ConnectionError):
    pass


class TextChunks(ChunkStreamParser):
    """A chunk is its text; `!` marks the finish, `$` carries the usage, `boom` is an in-band error."""

    truncated = Truncated

    def _chunk(self, event: SseEvent) -> list[StreamEvent]:
        if event.data == b"boom":
            raise RuntimeError("in-band error")
        if event.data == b"$":
            self._usage = USAGE
            return []
        if event.data == b"!":
            self._finish = FinishReason.LENGTH
            return []
        return [TextDelta(text=event.data.decode())]


def test_usage_and_finish_are_held_until_done_and_nothing_after_it_counts() -> None:
    parser = TextChunks()

    events = list(parser.feed(b"data: Hi\n\ndata: !\n\ndata: $\n\ndata: [DONE]\n\ndata: late\n\n"))

    assert events == [TextDelta(text="Hi"), UsageReport(usage=USAGE), Finish(reason=FinishReason.LENGTH)]
    assert parser.done and parser.close() == []


def test_without_done_the_end_of_the_body_flushes_them() -> None:
    parser = TextChunks()

    events = [*parser.feed(b"data: Hi\n\ndata: !\n\n"), *parser.close()]

    assert events == [TextDelta(text="Hi"), Finish(reason=FinishReason.LENGTH)]


def test_an_unterminated_done_at_the_end_still_counts() -> None:
    parser = TextChunks()
    list(parser.feed(b"data: Hi\n\ndata: [DONE]"))

    assert parser.close() == [Finish(reason=FinishReason.STOP)] and parser.done


def test_a_body_that_ends_before_the_finish_is_truncated() -> None:
    parser = TextChunks()
    list(parser.feed(b"data: Hi\n\n"))

    with pytest.raises(Truncated):
        parser.close()


def test_events_before_an_in_band_error_in_the_same_read_reach_the_caller() -> None:
    seen: list[StreamEvent] = []

    with pytest.raises(RuntimeError):
        for event in TextChunks().feed(b"data: a\n\ndata: b\n\ndata: boom\n\ndata: c\n\n"):
            seen.append(event)

    assert seen == [TextDelta(text="a"), TextDelta(text="b")]
