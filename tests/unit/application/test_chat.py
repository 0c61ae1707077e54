import pytest

from application.chat.command import ChatCommand
from application.chat.complete_chat import CompleteChat
from application.chat.stream_chat import StreamChat
from application.ports.catalog import CatalogSnapshot
from domain.catalog import Provider, ProviderKind, Route, Target, Tenant
from domain.chat import ChatRequest, Message, Role
from domain.completion import ChatResponse, Finish, FinishReason, TextDelta, UsageReport
from domain.errors import AllProvidersFailedError, ModelNotFoundError, ProviderError, ProviderErrorKind
from domain.usage import Usage
from tests.unit.application.fakes import RecordingSink, ScriptedLlmProvider, TickingClock, live_catalog

pytestmark = pytest.mark.unit

TENANT = Tenant(id="t1", name="acme")
SNAPSHOT = CatalogSnapshot(
    providers={n: Provider(id=n, name=n, kind=ProviderKind.MOCK, models=("m",)) for n in ("a", "b")},
    routes={
        "alias": Route(
            id="r", alias="alias", targets=(Target(provider="a", model="ma"), Target(provider="b", model="mb"))
        )
    },
    version="1",
)
OK = ChatResponse(id="x", model="mb", content="hi", usage=Usage(input_tokens=5, output_tokens=2))


def command(model: str = "alias", stream: bool = False) -> ChatCommand:
    request = ChatRequest(model=model, messages=(Message(role=Role.USER, content="hello world"),), stream=stream)
    return ChatCommand(tenant=TENANT, request=request, request_id="req-1")


def fail(kind: ProviderErrorKind) -> ProviderError:
    return ProviderError(f"{kind} happened", provider="a", kind=kind, status=500)


async def test_complete_falls_back_after_retryable_failure_and_logs_each_attempt() -> None:
    a, b = ScriptedLlmProvider("a", [fail(ProviderErrorKind.SERVER)]), ScriptedLlmProvider("b", [OK])
    sink = RecordingSink()
    result = await CompleteChat(await live_catalog(SNAPSHOT, {"a": a, "b": b}), sink, TickingClock()).execute(command())
    assert (result.target.provider, result.attempts) == ("b", 2)
    assert b.calls[0].model == "mb"  # the vendor's model name, not the alias
    assert [(r.provider, r.attempt, r.status, r.error_kind) for r in sink.records] == [
        ("a", 1, 502, "server"),
        ("b", 2, 200, None),
    ]
    assert sink.records[1].usage.input_tokens == 5


async def test_complete_does_not_retry_a_bad_request() -> None:
    a, b = ScriptedLlmProvider("a", [fail(ProviderErrorKind.BAD_REQUEST)]), ScriptedLlmProvider("b", [OK])
    sink = RecordingSink()
    with pytest.raises(AllProvidersFailedError) as info:
        await CompleteChat(await live_catalog(SNAPSHOT, {"a": a, "b": b}), sink, TickingClock()).execute(command())
    assert info.value.last.kind is ProviderErrorKind.BAD_REQUEST
    assert b.calls == [] and len(sink.records) == 1


async def test_complete_records_unknown_model_with_no_vendor() -> None:
    sink = RecordingSink()
    with pytest.raises(ModelNotFoundError):
        await CompleteChat(await live_catalog(SNAPSHOT, {}), sink, TickingClock()).execute(command("nope"))
    assert [(r.provider, r.status) for r in sink.records] == [(None, 404)]


async def test_complete_refuses_a_model_the_tenant_may_not_use() -> None:
    limited = ChatCommand(
        tenant=Tenant(id="t2", name="x", allowed_models=("other",)), request=command().request, request_id="r"
    )
    with pytest.raises(ModelNotFoundError):
        await CompleteChat(await live_catalog(SNAPSHOT, {}), RecordingSink(), TickingClock()).execute(limited)


async def test_stream_falls_back_before_first_event_only() -> None:
    events = [
        TextDelta(text="hel"),
        TextDelta(text="lo"),
        UsageReport(usage=Usage(input_tokens=3, output_tokens=2)),
        Finish(reason=FinishReason.STOP),
    ]
    a = ScriptedLlmProvider("a", [[fail(ProviderErrorKind.OVERLOADED)]])
    b = ScriptedLlmProvider("b", [events])
    sink = RecordingSink()
    opened = await StreamChat(await live_catalog(SNAPSHOT, {"a": a, "b": b}), sink, TickingClock()).execute(
        command(stream=True)
    )
    received = [e async for e in opened.events]
    assert received == events and opened.target.provider == "b"
    assert [(r.provider, r.status) for r in sink.records] == [("a", 503), ("b", 200)]
    assert sink.records[1].usage.output_tokens == 2 and sink.records[1].ttft_ms is not None


async def test_stream_failure_after_first_event_is_raised_and_never_retried() -> None:
    a = ScriptedLlmProvider("a", [[TextDelta(text="par"), fail(ProviderErrorKind.CONNECTION)]])
    b = ScriptedLlmProvider("b", [[TextDelta(text="never")]])
    sink = RecordingSink()
    opened = await StreamChat(await live_catalog(SNAPSHOT, {"a": a, "b": b}), sink, TickingClock()).execute(
        command(stream=True)
    )
    received = []
    with pytest.raises(ProviderError):
        async for event in opened.events:
            received.append(event)
    assert received == [TextDelta(text="par")] and b.calls == []
    (record,) = sink.records
    assert (record.status, record.error_kind, record.usage.estimated, record.usage.output_tokens) == (
        502,
        "connection",
        True,
        1,
    )


async def test_stream_closed_by_client_is_recorded_with_tokens_so_far() -> None:
    a = ScriptedLlmProvider(
        "a", [[TextDelta(text="12345678"), TextDelta(text="more"), Finish(reason=FinishReason.STOP)]]
    )
    sink = RecordingSink()
    opened = await StreamChat(await live_catalog(SNAPSHOT, {"a": a}), sink, TickingClock()).execute(
        command(stream=True)
    )
    await anext(opened.events)
    await opened.events.aclose()
    (record,) = sink.records
    assert (record.status, record.error_kind, record.usage.output_tokens) == (499, "client_disconnected", 2)
