"""Settings: development defaults, what production refuses, and what every environment refuses."""

from __future__ import annotations

import base64
import logging
import os
import secrets

import httpx
import pytest
import redis.asyncio as aioredis

from bot.app import create_app
from bot.errors import ConfigError
from bot.services import build_services
from bot.settings import Settings

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def production(**overrides: object) -> Settings:
    """Production settings with real-looking values (random secrets, safe mode)."""
    values: dict[str, object] = {
        "app_env": "production", "redis_url": "redis://127.0.0.1:6379/0", "wechat_token": "Yj2026tok3n",
        "wechat_appid": "wxb11529c136998cb6", "wechat_aes_key": AES_KEY,
        "secret_key": secrets.token_urlsafe(32), "api_key": secrets.token_urlsafe(24),
        "data_keys": "prod1:" + base64.b64encode(os.urandom(32)).decode(), "data_key_id": "prod1",
        "public_base_url": "https://assist.example.cn", "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def test_development_defaults_need_nothing() -> None:
    settings = Settings(_env_file=None)
    assert settings.app_env == "development"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.errors() == []


def test_production_refuses_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)  # the suite runs with a developer's REDIS_URL set
    settings = Settings(app_env="production", _env_file=None)
    assert {"REDIS_URL", "WECHAT_TOKEN", "SECRET_KEY", "DATA_KEYS", "API_KEY"} <= set(settings.problems())
    with pytest.raises(ConfigError) as info:
        create_app(settings)
    assert "REDIS_URL" in str(info.value)


def test_production_with_real_values_has_no_problems() -> None:
    assert production().problems() == []
    assert production().webhook_mode == "safe"


@pytest.mark.parametrize("overrides, problem", [
    ({"wechat_token": "a"}, "WECHAT_TOKEN"),  # WeChat: 3–32 letters and digits
    ({"wechat_token": "tok-en!"}, "WECHAT_TOKEN"),
    ({"wechat_token": "x" * 33}, "WECHAT_TOKEN"),
    ({"secret_key": "a" * 32}, "SECRET_KEY"),
    ({"secret_key": "password" * 5}, "SECRET_KEY"),
    ({"secret_key": secrets.token_urlsafe(8)}, "SECRET_KEY"),
    ({"data_keys": "prod1:" + base64.b64encode(b"a" * 32).decode()}, "DATA_KEYS"),
    ({"data_keys": "prod1:" + base64.b64encode(b"development-key-not-for-prod!!!!").decode()}, "DATA_KEYS"),
    ({"data_keys": "prod1:" + base64.b64encode(os.urandom(32)).decode()
      + ",old:" + base64.b64encode(b"0123456789abcdef" * 2).decode()}, "DATA_KEYS"),
    ({"api_key": "k"}, "API_KEY"),
])
def test_production_refuses_weak_secrets(overrides: dict[str, object], problem: str) -> None:
    settings = production(**overrides)
    assert any(found.startswith(problem) for found in settings.problems())
    with pytest.raises(ConfigError):
        create_app(settings)


def test_aes_key_must_have_the_consoles_shape() -> None:
    settings = production(wechat_aes_key=AES_KEY[:-1])
    assert any("WECHAT_AES_KEY" in e for e in settings.errors())
    with pytest.raises(ConfigError):
        create_app(settings)


def test_mode_defaults_to_safe_with_a_key_and_plain_without() -> None:
    assert Settings(_env_file=None).webhook_mode == "plain"
    assert Settings(wechat_aes_key=AES_KEY, _env_file=None).webhook_mode == "safe"
    compatible = Settings(wechat_aes_key=AES_KEY, wechat_mode="compatible", _env_file=None)
    assert compatible.webhook_mode == "compatible"
    assert any("WECHAT_AES_KEY" in e for e in Settings(wechat_mode="safe", _env_file=None).errors())


@pytest.mark.parametrize("mode", ["plain", "compatible"])
def test_production_refuses_plaintext_unless_the_operator_opts_in(
        mode: str, redis_client: aioredis.Redis, caplog: pytest.LogCaptureFixture) -> None:
    refused = production(wechat_mode=mode)
    assert any(p.startswith("WECHAT_MODE") for p in refused.problems())
    with pytest.raises(ConfigError):
        create_app(refused)
    allowed = production(wechat_mode=mode, wechat_allow_plaintext=True)
    assert allowed.problems() == []
    caplog.set_level(logging.WARNING)
    create_app(allowed, build_services(allowed, redis=redis_client))
    assert any("!!!" in r.getMessage() and "WECHAT_MODE" in r.getMessage() for r in caplog.records)


def test_a_dedup_memory_shorter_than_the_timestamp_window_is_refused() -> None:
    settings = Settings(app_env="test", dedup_ttl=120, timestamp_window=300, _env_file=None)
    assert any("DEDUP_TTL" in e for e in settings.errors())
    with pytest.raises(ConfigError, match="DEDUP_TTL"):
        create_app(settings)
    assert Settings(timestamp_window=600, _env_file=None).replay_ttl >= 600  # the default follows


@pytest.mark.parametrize("name", ["rate_limit_messages", "rate_limit_api", "rate_limit_staff_login_account"])
def test_rate_limits_must_parse(name: str) -> None:
    for bad in ("lots", "0/minute", ""):
        assert any(name.upper() in e for e in Settings(**{name: bad}, _env_file=None).errors())  # type: ignore[arg-type]


async def test_schema_and_docs_are_off_in_production(redis_client: aioredis.Redis) -> None:
    for settings, status in ((production(), 404), (Settings(app_env="test", _env_file=None), 200)):
        app = create_app(settings, build_services(settings, redis=redis_client))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            assert (await c.get("/openapi.json")).status_code == status
            assert (await c.get("/docs")).status_code == status


def test_links_follow_host_and_port_when_public_base_url_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.application.links import page_url
    from server import startup_lines

    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "8731")
    settings = Settings(_env_file=None)
    assert settings.public_base_url == "http://127.0.0.1:8731" and settings.links_follow_host
    assert page_url(settings, "rec1", "user1").startswith("http://127.0.0.1:8731/a/")
    assert any("http://127.0.0.1:8731" in line and "HOST/PORT" in line for line in startup_lines(settings))
    assert Settings(_env_file=None, host="0.0.0.0").public_base_url == "http://127.0.0.1:8731"
    assert Settings(_env_file=None, host="::1").public_base_url == "http://[::1]:8731"
    assert "PUBLIC_BASE_URL" in production(public_base_url="").problems()


def test_a_set_public_base_url_is_kept_and_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    from server import startup_lines

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://assist.example.cn")
    settings = Settings(_env_file=None, port=8731)
    assert settings.public_base_url == "https://assist.example.cn" and not settings.links_follow_host
    assert any(line.startswith("Links in replies start with https://assist.example.cn")
               for line in startup_lines(settings))
    assert settings.local_url == "http://127.0.0.1:8731"
