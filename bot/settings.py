"""One settings object for the whole service, read from the environment (and an optional `.env`).

Every variable is listed in the README. Development defaults let `make run` work on a fresh
machine; `APP_ENV=production` refuses placeholders (see `Settings.problems`).
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_PLACEHOLDER = "dev-only-change-me"
# 32 zero-ish bytes, base64: fine for development, refused in production.
DEV_DATA_KEY = "dev1:" + base64.b64encode(b"development-key-not-for-prod!!!!").decode()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    app_env: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"

    # WeChat official account (公众号 basic configuration page).
    wechat_token: str = DEV_PLACEHOLDER
    wechat_appid: str = "wx0000000000000000"
    wechat_aes_key: str = ""  # EncodingAESKey (43 chars); empty = plaintext mode only
    wechat_secret: str = ""  # AppSecret; needed for the menu, customer-service and OAuth APIs
    wechat_api_base: str = "https://api.weixin.qq.com"
    wechat_verified: bool = False  # verified account: customer-service messages allowed
    wechat_transfer_enabled: bool = False  # answer 人工 with transfer_customer_service
    wechat_oauth_enabled: bool = False  # check the H5 viewer's openid through snsapi_base
    timestamp_window: int = 300  # seconds a webhook timestamp may differ from now
    webhook_deadline: float = 4.0  # seconds before the webhook gives up waiting for the engine
    max_body_bytes: int = 64 * 1024

    # Storage.
    redis_url: str | None = None  # None = embedded in-process server (state lost at exit)
    redis_timeout: float = 0.3
    session_ttl: int = 30 * 60  # idle conversation state
    resume_ttl: int = 7 * 24 * 3600  # an unfinished questionnaire can be resumed this long
    dedup_ttl: int = 120  # WeChat retries arrive within ~15 s

    # Secrets. DATA_KEYS = "kid:base64key[,kid:base64key…]"; DATA_KEY_ID picks the one that encrypts.
    secret_key: str = DEV_PLACEHOLDER  # HMAC for opaque user keys and signed links
    data_keys: str = DEV_DATA_KEY
    data_key_id: str = "dev1"
    api_key: str = ""  # required for /api/v1/* in production

    # Contact details shown to residents; empty values are left out of replies.
    hotline: str = ""  # the county's social-assistance hotline, once 县民政局 confirms it is live
    office_hours: str = ""
    bureau_phone: str = ""
    bureau_address: str = ""
    emergency_numbers: str = ""  # empty: the `general` list of bot/data/emergency_numbers.yaml

    # Applications and hand-off (issue 5).
    public_base_url: str = "http://127.0.0.1:8000"
    link_ttl: int = 24 * 3600
    draft_ttl: int = 30 * 24 * 3600
    handoff: Literal["link", "http", "township"] = "link"
    banshitong_url: str = ""
    intake_url: str = ""
    intake_secret: str = ""
    staff_users: str = ""  # "user:township_code:password_hash[,…]"

    feature_flags: dict[str, bool] = Field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.app_env == "production"

    @property
    def safe_mode(self) -> bool:
        return bool(self.wechat_aes_key)

    def problems(self) -> list[str]:
        """What stops this configuration from serving real residents (names only, no values)."""
        found: list[str] = []
        if not self.redis_url:
            found.append("REDIS_URL")
        if self.wechat_token == DEV_PLACEHOLDER:
            found.append("WECHAT_TOKEN")
        if self.wechat_appid.startswith("wx000"):
            found.append("WECHAT_APPID")
        if self.secret_key == DEV_PLACEHOLDER or len(self.secret_key) < 32:
            found.append("SECRET_KEY")
        if self.data_keys == DEV_DATA_KEY:
            found.append("DATA_KEYS")
        if not self.api_key:
            found.append("API_KEY")
        if self.handoff == "http" and not (self.intake_url and self.intake_secret):
            found.append("INTAKE_URL/INTAKE_SECRET")
        return found


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
