import pytest

from bot.app import create_app
from bot.errors import ConfigError
from bot.settings import Settings


def test_development_defaults_need_nothing() -> None:
    settings = Settings(_env_file=None)
    assert settings.app_env == "development"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_production_refuses_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)  # the suite runs with a developer's REDIS_URL set
    settings = Settings(app_env="production", _env_file=None)
    assert {"REDIS_URL", "WECHAT_TOKEN", "SECRET_KEY", "DATA_KEYS"} <= set(settings.problems())
    with pytest.raises(ConfigError) as info:
        create_app(settings)
    assert "REDIS_URL" in str(info.value)


def test_production_with_real_values_has_no_problems() -> None:
    settings = Settings(
        app_env="production", redis_url="redis://10.0.0.1:6379/0", wechat_token="t0k3n",
        wechat_appid="wxb11529c136998cb6", secret_key="s" * 40, api_key="k",
        data_keys="prod1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=", data_key_id="prod1",
        _env_file=None,
    )
    assert settings.problems() == []
