import pytest

from domain.catalog import ProviderKind
from entrypoints.settings import DEFAULT_DATABASE_URL, ConfigError, load_settings

pytestmark = pytest.mark.unit


def test_defaults_run_on_sqlite_without_redis() -> None:
    settings = load_settings({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.redis_url is None
    assert settings.port == 8200


def test_values_are_read_from_prefixed_variables() -> None:
    settings = load_settings(
        {
            "LLMGW_PORT": "9000",
            "LLMGW_WORKERS": "2",
            "LLMGW_LOG_LEVEL": "debug",
            "LLMGW_REDIS_URL": "redis://localhost:6379/1",
            "LLMGW_HOST": "",
        }
    )
    assert (settings.port, settings.workers, settings.redis_url) == (9000, 2, "redis://localhost:6379/1")
    assert settings.host == "127.0.0.1"  # an empty variable counts as unset


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"LLMGW_PORT": "abc"}, "LLMGW_PORT"),
        ({"LLMGW_PORT": "70000"}, "LLMGW_PORT"),
        ({"LLMGW_WORKERS": "0"}, "LLMGW_WORKERS"),
        ({"LLMGW_LOG_LEVEL": "chatty"}, "LLMGW_LOG_LEVEL"),
        ({"LLMGW_DATABASE_URL": "mysql://x"}, "LLMGW_DATABASE_URL"),
        ({"LLMGW_REDIS_URL": "http://x"}, "LLMGW_REDIS_URL"),
        ({"LLMGW_ADMIN_KEY": "short"}, "LLMGW_ADMIN_KEY"),
        ({"LLMGW_SECRET_KEY": "short"}, "LLMGW_SECRET_KEY"),
        ({"LLMGW_PROT": "8200"}, "LLMGW_PROT"),
        ({"OPENAI_API_KEY": "sk-test"}, "LLMGW_SECRET_KEY"),
    ],
)
def test_bad_configuration_names_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env)
    assert str(info.value).startswith(variable + ":")
    assert "\n" not in str(info.value)


def test_vendor_keys_come_from_their_usual_variables() -> None:
    settings = load_settings({"OPENAI_API_KEY": "sk-test", "LLMGW_SECRET_KEY": "x" * 32})
    assert settings.vendor_keys == {ProviderKind.OPENAI: "sk-test"}
    assert "sk-test" not in repr(settings)
