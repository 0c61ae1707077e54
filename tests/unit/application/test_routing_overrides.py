"""Overrides, splits, the service API and the admin views, over the in-memory catalog."""

from decimal import Decimal

import pytest

from application.admin.resolve_route import ResolveRoute
from application.chat.command import ChatCommand
from application.generate import GenerateCommand, GenerateText
from application.ports.catalog import CatalogSnapshot
from application.ports.llm import LlmProvider
from application.provider_health import ReportProviderHealth
from application.usage.price_book import PriceBook
from domain.catalog import Override, Provider, ProviderKind, Route, Target, Tenant
from domain.chat import ChatRequest, Message, Role
from domain.errors import InvalidRequestError, ProviderErrorKind
from domain.pricing import ModelPrice, PriceKey, TokenPrice
from tests.unit.application.fakes import ScriptedLlmProvider, StaticPrices
from tests.unit.application.routing_harness import Harness, harness
from tests.unit.application.test_chat import OK, fail

pytestmark = pytest.mark.unit

TENANT = Tenant(id="t1", name="billing")
SPLIT = (Target(provider="a", model="big", weight=80), Target(provider="b", model="small", weight=20))
OVERRIDES = (
    Override(id="o1", customer_id="vip", alias="split"),
    Override(id="o2", customer_id="vip", service="billing", target=Target(provider="b", model="pinned")),
)
SNAPSHOT = CatalogSnapshot(
    providers={n: Provider(id=n, name=n, kind=ProviderKind.MOCK, models=("pinned",)) for n in ("a", "b")},
    routes={
        "fast": Route(id="r1", alias="fast", targets=(Target(provider="a", model="fa"),)),
        "split": Route(id="r2", alias="split", targets=SPLIT),
    },
    overrides={"vip": OVERRIDES},
    version="1",
)


def command(customer: str | None, service: str = "billing", model: str = "fast") -> ChatCommand:
    request = ChatRequest(model=model, messages=(Message(role=Role.USER, content="hi"),))
    return ChatCommand(tenant=TENANT, request=request, request_id="r", service=service, customer_id=customer)


@pytest.mark.parametrize(
    ("customer", "service", "provider", "model", "rule"),
    [
        (None, "billing", "a", "fa", "route:fast"),
        ("someone", "billing", "a", "fa", "route:fast"),
        ("vip", "billing", "b", "pinned", "override:customer+service:o2"),
    ],
)
async def test_the_rule_that_wins_routes_the_request(
    customer: str | None, service: str, provider: str, model: str, rule: str
) -> None:
    adapters: dict[str, LlmProvider] = {n: ScriptedLlmProvider(n, [OK]) for n in ("a", "b")}
    h = await harness(SNAPSHOT, adapters)
    result = await h.complete.execute(command(customer, service))
    assert (result.target.provider, result.target.model, result.rule) == (provider, model, rule)
    assert h.sink.records[0].route_rule == rule


async def test_a_split_is_sticky_per_customer_and_keeps_the_other_target_as_fallback() -> None:
    h = await harness(SNAPSHOT, {})
    resolve = ResolveRoute(h.catalog, h.health)
    orders = {}
    for i in range(40):
        first = await resolve.execute(model="split", customer_id=f"c{i}", service=None)
        again = await resolve.execute(model="split", customer_id=f"c{i}", service=None)
        assert first == again and first.rule == "route:split"
        orders[i] = tuple(t.target.provider for t in first.targets)
    assert set(orders.values()) == {("a", "b"), ("b", "a")}


async def test_resolve_shows_rule_targets_and_cooling() -> None:
    h = await harness(SNAPSHOT, {})
    await h.health.failed("b", fail(ProviderErrorKind.AUTH), latency_ms=1)
    resolution = await ResolveRoute(h.catalog, h.health).execute(model="fast", customer_id="vip", service="billing")
    assert (resolution.rule, resolution.model) == ("override:customer+service:o2", "b/pinned")
    ((target, cooling_until),) = [(t.target, t.cooling_until) for t in resolution.targets]
    assert target == Target(provider="b", model="pinned") and cooling_until is not None


async def test_provider_health_reports_each_provider() -> None:
    h = await harness(SNAPSHOT, {"a": ScriptedLlmProvider("a", [OK])})
    await h.complete.execute(command(None))
    await h.health.failed("b", fail(ProviderErrorKind.AUTH), latency_ms=3)
    reports = {r.provider: r for r in await ReportProviderHealth(h.catalog, h.health).execute()}
    assert (reports["a"].stats.success_rate, reports["a"].cooling, reports["a"].key_bad) == (1.0, False, False)
    assert (reports["b"].stats.success_rate, reports["b"].cooling, reports["b"].key_bad) == (0.0, True, True)
    assert reports["b"].last_error == "auth" and reports["b"].cooling_until is not None


async def price_book(h: Harness, *entries: ModelPrice) -> PriceBook:
    book = PriceBook(StaticPrices(list(entries)), h.catalog)
    await book.reload()
    return book


def generate(**fields: object) -> GenerateCommand:
    return GenerateCommand(tenant=TENANT, request_id="g1", service="billing", **fields)  # type: ignore[arg-type]


async def test_generate_answers_with_who_served_it() -> None:
    a = ScriptedLlmProvider("a", [OK])
    h = await harness(SNAPSHOT, {"a": a})
    result = await GenerateText(h.complete, await price_book(h), h.clock).execute(
        generate(prompt="hello", system="be brief", model="fast")
    )
    assert (result.content, result.provider, result.model, result.rule) == ("hi", "a", "fa", "route:fast")
    assert (result.cost_usd, result.cached, result.usage.output_tokens) == (None, False, 2)  # no price known
    assert [(m.role, m.content) for m in a.calls[0].messages] == [(Role.SYSTEM, "be brief"), (Role.USER, "hello")]
    assert (h.sink.records[0].service, h.sink.records[0].requested_model) == ("billing", "fast")


async def test_generate_answers_the_cost_of_the_answering_attempt() -> None:
    h = await harness(SNAPSHOT, {"a": ScriptedLlmProvider("a", [OK])})
    price = TokenPrice(input_per_mtok=Decimal("1"), output_per_mtok=Decimal("2"))
    book = await price_book(h, ModelPrice(key=PriceKey(provider="a", model="fa"), price=price))
    result = await GenerateText(h.complete, book, h.clock).execute(generate(prompt="hello", model="fast"))
    assert result.cost_usd == Decimal("0.000009")  # 5 in x $1 + 2 out x $2, per million


async def test_generate_without_a_model_follows_the_customer_override() -> None:
    b = ScriptedLlmProvider("b", [OK])
    h = await harness(SNAPSHOT, {"b": b})
    messages = (Message(role=Role.USER, content="q"), Message(role=Role.ASSISTANT, content="a"))
    result = await GenerateText(h.complete, await price_book(h), h.clock).execute(
        generate(customer_id="vip", messages=messages)
    )
    assert (result.provider, result.model, result.rule) == ("b", "pinned", "override:customer+service:o2")
    assert b.calls[0].params.user == "vip" and h.sink.records[0].requested_model is None


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"model": "fast"}, "prompt"),  # neither prompt nor messages
        ({"model": "fast", "prompt": "x", "messages": (Message(role=Role.USER, content="y"),)}, "prompt"),
        ({"prompt": "x", "customer_id": "nobody"}, "model"),  # no model, no override
    ],
)
async def test_generate_refuses_what_it_cannot_route(fields: dict[str, object], param: str) -> None:
    h = await harness(SNAPSHOT, {})
    with pytest.raises(InvalidRequestError) as info:
        await GenerateText(h.complete, await price_book(h), h.clock).execute(generate(**fields))
    assert info.value.param == param
