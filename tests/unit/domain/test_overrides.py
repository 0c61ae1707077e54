"""Override precedence: customer+service > customer > global route, and the rule that won."""

import pytest

from domain.catalog import Override, Target
from domain.errors import InvalidRequestError
from domain.overrides import choose_route

pytestmark = pytest.mark.unit

ALIASES = {"fast", "smart", "cheap"}
PROVIDERS = {"openai", "together"}


def ov(oid: str, customer: str = "c1", service: str | None = None, model: str | None = None, **to: object) -> Override:
    return Override(id=oid, customer_id=customer, service=service, model=model, **to)  # type: ignore[arg-type]


ANY_SERVICE = ov("o-any", alias="cheap")
BILLING = ov("o-billing", service="billing", alias="smart")
BILLING_FAST = ov("o-billing-fast", service="billing", model="fast", target=Target(provider="openai", model="gpt-x"))
FAST_ANYWHERE = ov("o-fast", model="fast", alias="smart")
OTHER_CUSTOMER = ov("o-other", customer="c2", alias="smart")


@pytest.mark.parametrize(
    ("overrides", "customer", "service", "model", "expected_model", "expected_rule"),
    [
        # no override: the global route, a pinned provider, or a bare model
        ((), "c1", "billing", "fast", "fast", "route:fast"),
        ((), None, None, "fast", "fast", "route:fast"),
        ((), "c1", None, "openai/gpt-x", "openai/gpt-x", "pinned:openai/gpt-x"),
        ((), "c1", None, "meta-llama/Llama-3", "meta-llama/Llama-3", "model:meta-llama/Llama-3"),
        ((), "c1", None, "gpt-4o", "gpt-4o", "model:gpt-4o"),
        # customer on every service beats the global route
        ((ANY_SERVICE,), "c1", "billing", "fast", "cheap", "override:customer:o-any"),
        ((ANY_SERVICE,), "c1", None, "fast", "cheap", "override:customer:o-any"),
        # customer+service beats customer, whatever the storage order
        ((ANY_SERVICE, BILLING), "c1", "billing", "fast", "smart", "override:customer+service:o-billing"),
        ((BILLING, ANY_SERVICE), "c1", "billing", "fast", "smart", "override:customer+service:o-billing"),
        # another service: the customer-wide override
        ((ANY_SERVICE, BILLING), "c1", "search", "fast", "cheap", "override:customer:o-any"),
        # within a level, the override for the requested model wins
        ((BILLING, BILLING_FAST), "c1", "billing", "fast", "openai/gpt-x", "override:customer+service:o-billing-fast"),
        ((BILLING, BILLING_FAST), "c1", "billing", "smart", "smart", "override:customer+service:o-billing"),
        ((ANY_SERVICE, FAST_ANYWHERE), "c1", None, "fast", "smart", "override:customer:o-fast"),
        # a model-specific override does not catch other models
        ((FAST_ANYWHERE,), "c1", None, "cheap", "cheap", "route:cheap"),
        # a service-level customer override beats a model-specific customer-wide one
        ((FAST_ANYWHERE, BILLING), "c1", "billing", "fast", "smart", "override:customer+service:o-billing"),
        # another customer's override never applies; nor does any without a customer
        ((OTHER_CUSTOMER,), "c1", None, "fast", "fast", "route:fast"),
        ((ANY_SERVICE,), None, None, "fast", "fast", "route:fast"),
        # no model asked for: an override decides
        ((ANY_SERVICE,), "c1", "billing", None, "cheap", "override:customer:o-any"),
        ((BILLING,), "c1", "billing", None, "smart", "override:customer+service:o-billing"),
    ],
)
def test_choose_route_precedence(
    overrides: tuple[Override, ...],
    customer: str | None,
    service: str | None,
    model: str | None,
    expected_model: str,
    expected_rule: str,
) -> None:
    choice = choose_route(
        model=model, customer_id=customer, service=service, overrides=overrides, aliases=ALIASES, providers=PROVIDERS
    )
    assert (choice.model, choice.rule) == (expected_model, expected_rule)


@pytest.mark.parametrize("overrides", [(), (BILLING,), (OTHER_CUSTOMER,)])
def test_no_model_and_no_override_is_refused(overrides: tuple[Override, ...]) -> None:
    with pytest.raises(InvalidRequestError) as info:
        choose_route(
            model=None, customer_id="c1", service="search", overrides=overrides, aliases=ALIASES, providers=PROVIDERS
        )
    assert info.value.param == "model"


@pytest.mark.parametrize(("alias", "target"), [(None, None), ("fast", Target(provider="openai", model="m"))])
def test_an_override_names_exactly_one_destination(alias: str | None, target: Target | None) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Override(id="x", customer_id="c", alias=alias, target=target)
