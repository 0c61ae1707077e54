import asyncio

import pytest

from application.chat.command import ChatCommand
from application.ports.catalog import CatalogSnapshot
from application.routing.config import RoutingConfig
from domain.catalog import Provider, ProviderKind, Route, Target, Tenant
from domain.chat import ChatRequest, Message, Role
from domain.completion import ChatResponse, Finish, FinishReason, StreamEvent, TextDelta, UsageReport
from domain.errors import (
    AllProvidersFailedError,
    ModelNotFoundError,
    ProviderError,
    ProviderErrorKind,
    UnsupportedFeatureError,
)
from domain.fallback import FallbackPolicy
from domain.usage import Usage
from tests.unit.application.fakes import ScriptedLlmProvider
from tests.unit.application.routing_harness import ManualClock, harness

pytestmark = pytest.mark.unit

TENANT = Tenant(id="t1", name="acme")
SNAPSHOT = CatalogSnapshot(
    providers={n: Provider(id=n, name=n, kind=ProviderKind.MOCK, models=("m",), timeout_s=0.05) for n in ("a", "b")},
    routes={
        "alias": Route(
            id="r", alias="alias", targets=(Target(provider="a", model="ma"), Target(provider="b", model="mb"))
        )
    },
    version="1",
)
OK = ChatResponse(id="x", model="mb", content="hi", usage=Usage(input_tokens=5, output_tokens=2))


def command(model: str = "alias", stream: bool = False, customer: str | None = "cust-9") -> ChatCommand:
    request = ChatRequest(model=model, messages=(Message(role=Role.USER, content="hello world"),), stream=stream)
    return ChatCommand(tenant=TENANT, request=request, request_id="req-1", service="acme", customer_id=customer)


def fail(kind: ProviderErrorKind) -> ProviderError:
    return ProviderError(f"{kind} happened", provider="a", kind=kind, status=500)


class SlowProvider(ScriptedLlmProvider):
    """Never answers in time: the gateway's own per-attempt timeout must cut it."""

    async def complete(self, request: ChatRequest) -> ChatResponse:
        await asyncio.sleep(10)
        raise AssertionError("not reached")

    async def stream(self, request: ChatRequest):  # type: ignore[no-untyped-def]
        await asyncio.sleep(10)
        yield TextDelta(text="never")


async def test_complete_falls_back_after_retryable_failure_and_logs_each_attempt() -> None:
    a, b = ScriptedLlmProvider("a", [fail(ProviderErrorKind.SERVER)]), ScriptedLlmProvider("b", [OK])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    result = await h.complete.execute(command())
    assert (result.target.provider, result.attempts, result.rule) == ("b", 2, "route:alias")
    assert b.calls[0].model == "mb"  # the vendor's model name, not the alias
    assert [(r.provider, r.attempt, r.status, r.error_kind) for r in h.sink.records] == [
        ("a", 1, 502, "server"),
        ("b", 2, 200, None),
    ]
    assert h.sink.records[0].usage == Usage()  # the failed attempt charges nothing
    assert h.sink.records[1].usage.input_tokens == 5
    assert {(r.route_rule, r.service, r.customer_id) for r in h.sink.records} == {("route:alias", "acme", "cust-9")}


@pytest.mark.parametrize("kind", [ProviderErrorKind.BAD_REQUEST, ProviderErrorKind.CONTEXT_LENGTH])
async def test_complete_does_not_retry_a_bad_request(kind: ProviderErrorKind) -> None:
    a, b = ScriptedLlmProvider("a", [fail(kind)]), ScriptedLlmProvider("b", [OK])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    with pytest.raises(AllProvidersFailedError) as info:
        await h.complete.execute(command())
    assert info.value.last.kind is kind
    assert b.calls == [] and len(h.sink.records) == 1


async def test_context_length_moves_on_when_configured() -> None:
    a, b = ScriptedLlmProvider("a", [fail(ProviderErrorKind.CONTEXT_LENGTH)]), ScriptedLlmProvider("b", [OK])
    config = RoutingConfig(fallback=FallbackPolicy.standard(context_length_moves_on=True))
    h = await harness(SNAPSHOT, {"a": a, "b": b}, config)
    assert (await h.complete.execute(command())).target.provider == "b"


async def test_complete_records_unknown_model_with_no_vendor() -> None:
    h = await harness(SNAPSHOT, {})
    with pytest.raises(ModelNotFoundError):
        await h.complete.execute(command("nope"))
    assert [(r.provider, r.status, r.route_rule) for r in h.sink.records] == [(None, 404, None)]


async def test_complete_refuses_a_model_the_tenant_may_not_use() -> None:
    limited = ChatCommand(
        tenant=Tenant(id="t2", name="x", allowed_models=("other",)), request=command().request, request_id="r"
    )
    h = await harness(SNAPSHOT, {})
    with pytest.raises(ModelNotFoundError):
        await h.complete.execute(limited)


async def test_each_attempt_has_its_own_timeout() -> None:
    a, b = SlowProvider("a", []), ScriptedLlmProvider("b", [OK])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    result = await h.complete.execute(command())
    assert result.target.provider == "b"
    assert [(r.provider, r.status, r.error_kind) for r in h.sink.records] == [("a", 504, "timeout"), ("b", 200, None)]


async def test_the_request_deadline_stops_further_attempts() -> None:
    clock = ManualClock()

    class TakesASecond(ScriptedLlmProvider):
        async def complete(self, request: ChatRequest) -> ChatResponse:
            clock.advance(1.0)
            raise fail(ProviderErrorKind.SERVER)

    b = ScriptedLlmProvider("b", [OK])
    h = await harness(SNAPSHOT, {"a": TakesASecond("a", []), "b": b}, RoutingConfig(request_deadline_s=0.5), clock)
    with pytest.raises(AllProvidersFailedError) as info:
        await h.complete.execute(command())
    assert info.value.last.kind is ProviderErrorKind.SERVER
    assert b.calls == [] and len(h.sink.records) == 1


EVENTS: list[StreamEvent] = [
    TextDelta(text="hel"),
    TextDelta(text="lo"),
    UsageReport(usage=Usage(input_tokens=3, output_tokens=2)),
    Finish(reason=FinishReason.STOP),
]


async def test_stream_falls_back_before_first_event_only() -> None:
    a = ScriptedLlmProvider("a", [[fail(ProviderErrorKind.OVERLOADED)]])
    b = ScriptedLlmProvider("b", [EVENTS])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    opened = await h.stream.execute(command(stream=True))
    received = [e async for e in opened.events]
    assert received == EVENTS and (opened.target.provider, opened.rule) == ("b", "route:alias")
    assert [(r.provider, r.status) for r in h.sink.records] == [("a", 503), ("b", 200)]
    assert h.sink.records[1].usage.output_tokens == 2 and h.sink.records[1].ttft_ms is not None


async def test_stream_first_event_has_a_timeout_too() -> None:
    a, b = SlowProvider("a", []), ScriptedLlmProvider("b", [EVENTS])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    opened = await h.stream.execute(command(stream=True))
    assert [e async for e in opened.events] == EVENTS
    assert [(r.provider, r.error_kind) for r in h.sink.records] == [("a", "timeout"), ("b", None)]


async def test_stream_failure_after_first_event_is_raised_and_never_retried() -> None:
    a = ScriptedLlmProvider("a", [[TextDelta(text="par"), fail(ProviderErrorKind.CONNECTION)]])
    b = ScriptedLlmProvider("b", [[TextDelta(text="never")]])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    opened = await h.stream.execute(command(stream=True))
    received = []
    with pytest.raises(ProviderError):
        async for event in opened.events:
            received.append(event)
    assert received == [TextDelta(text="par")] and b.calls == []
    (record,) = h.sink.records
    assert (record.status, record.error_kind, record.usage.estimated, record.usage.output_tokens) == (
        502,
        "connection",
        True,
        1,
    )
    assert (await h.store.states(["a"]))["a"].failures == 1  # counted against the provider


async def test_stream_closed_by_client_is_recorded_with_tokens_so_far() -> None:
    a = ScriptedLlmProvider(
        "a", [[TextDelta(text="12345678"), TextDelta(text="more"), Finish(reason=FinishReason.STOP)]]
    )
    h = await harness(SNAPSHOT, {"a": a})
    opened = await h.stream.execute(command(stream=True))
    await anext(opened.events)
    await opened.events.aclose()
    (record,) = h.sink.records
    assert (record.status, record.error_kind, record.usage.output_tokens) == (499, "client_disconnected", 2)
    assert await h.store.states(["a"]) == {}  # the client leaving is not the provider's failure


def cannot(param: str = "temperature") -> UnsupportedFeatureError:
    return UnsupportedFeatureError(f"{param} is not supported by this vendor", param=param)


async def test_a_target_that_cannot_honour_a_field_hands_over_to_the_next() -> None:
    a, b = ScriptedLlmProvider("a", [cannot()]), ScriptedLlmProvider("b", [OK])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    result = await h.complete.execute(command())
    assert (result.target.provider, result.attempts) == ("b", 2)
    assert [(r.provider, r.status, r.error_kind) for r in h.sink.records] == [
        ("a", 400, "unsupported_parameter"),
        ("b", 200, None),
    ]
    assert await h.store.states(["a"]) == {}  # not the vendor's failure: its health is untouched


async def test_when_no_target_can_honour_a_field_the_refusal_is_answered() -> None:
    a, b = ScriptedLlmProvider("a", [cannot()]), ScriptedLlmProvider("b", [cannot()])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    with pytest.raises(UnsupportedFeatureError) as info:
        await h.complete.execute(command())
    assert info.value.param == "temperature"


async def test_a_vendor_failure_outranks_a_refusal_in_the_answer() -> None:
    a, b = ScriptedLlmProvider("a", [fail(ProviderErrorKind.SERVER)]), ScriptedLlmProvider("b", [cannot()])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    with pytest.raises(AllProvidersFailedError) as info:
        await h.complete.execute(command())
    assert info.value.last.kind is ProviderErrorKind.SERVER


async def test_a_stream_target_that_cannot_honour_a_field_hands_over_before_any_byte() -> None:
    events = [TextDelta(text="hi"), Finish(reason=FinishReason.STOP)]
    a, b = ScriptedLlmProvider("a", [cannot()]), ScriptedLlmProvider("b", [events])
    h = await harness(SNAPSHOT, {"a": a, "b": b})
    opened = await h.stream.execute(command(stream=True))
    assert [e async for e in opened.events] == events and opened.target.provider == "b"
