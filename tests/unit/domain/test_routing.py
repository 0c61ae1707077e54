import pytest

from domain.catalog import Provider, ProviderKind, Route, Target
from domain.errors import ModelNotFoundError
from domain.routing import callable_models, resolve_targets

pytestmark = pytest.mark.unit


def provider(name: str, models: tuple[str, ...], priority: int = 0, enabled: bool = True) -> Provider:
    return Provider(id=name, name=name, kind=ProviderKind.OPENAI, models=models, priority=priority, enabled=enabled)


PROVIDERS = [
    provider("a", ("gpt-4o", "shared"), priority=2),
    provider("b", ("shared",), priority=1),
    provider("off", ("shared", "only-off"), priority=0, enabled=False),
]
ROUTES = {
    "fast": Route(
        id="r1", alias="fast", targets=(Target(provider="a", model="gpt-4o"), Target(provider="b", model="x"))
    ),
    "dead": Route(id="r2", alias="dead", targets=(Target(provider="off", model="shared"),)),
    "partly": Route(
        id="r3", alias="partly", targets=(Target(provider="off", model="m"), Target(provider="b", model="m"))
    ),
}


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("fast", (("a", "gpt-4o"), ("b", "x"))),
        ("partly", (("b", "m"),)),
        ("shared", (("b", "shared"), ("a", "shared"))),  # lower priority value first; disabled left out
        ("gpt-4o", (("a", "gpt-4o"),)),
        ("a/shared", (("a", "shared"),)),  # provider-pinned
    ],
)
def test_resolve_targets_orders_targets(model: str, expected: tuple[tuple[str, str], ...]) -> None:
    targets = resolve_targets(model, ROUTES, PROVIDERS)
    assert tuple((t.provider, t.model) for t in targets) == expected


@pytest.mark.parametrize("model", ["unknown", "dead", "only-off", "off/shared", "a/unknown"])
def test_resolve_targets_raises_model_not_found_when_nothing_serves_it(model: str) -> None:
    with pytest.raises(ModelNotFoundError) as info:
        resolve_targets(model, ROUTES, PROVIDERS)
    assert info.value.param == "model"


def test_callable_models_lists_aliases_and_enabled_models() -> None:
    assert callable_models(ROUTES, PROVIDERS) == ["dead", "fast", "gpt-4o", "partly", "shared"]
