"""One settings object for the whole service, read from the environment (and an optional `.env`).

Every variable is listed in the README. Development defaults let `make run` work on a fresh
machine; `APP_ENV=production` refuses placeholders and weak secrets (see `Settings.problems`), and
every environment refuses combinations that would open a hole (see `Settings.errors`).
"""

from __future__ import annotations

import base64
import ipaddress
from functools import lru_cache
from typing import Literal

from limits import parse
from pydantic import PrivateAttr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.secret_strength import WECHAT_AES_KEY, WECHAT_TOKEN, weak_data_key, weak_secret
from bot.storage import Topology

DEV_PLACEHOLDER = "dev-only-change-me"
# 32 zero-ish bytes, base64: fine for development, refused in production.
DEV_DATA_KEY = "dev1:" + base64.b64encode(b"development-key-not-for-prod!!!!").decode()
WebhookMode = Literal["plain", "compatible", "safe"]
RATE_LIMITS = ("rate_limit_messages", "rate_limit_reports", "rate_limit_applications", "rate_limit_api",
               "rate_limit_staff_login_address", "rate_limit_staff_login_account")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    app_env: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"  # json: one object per line, for a log collector

    # WeChat official account (公众号 basic configuration page).
    wechat_token: str = DEV_PLACEHOLDER
    wechat_appid: str = "wx0000000000000000"
    wechat_aes_key: str = ""  # EncodingAESKey (43 chars); empty = plaintext mode only
    wechat_mode: WebhookMode | None = None  # default: safe with an AES key, plain without
    wechat_allow_plaintext: bool = False  # production may run plain/compatible only with this
    wechat_secret: str = ""  # AppSecret; needed for the menu, customer-service and OAuth APIs
    wechat_api_base: str = "https://api.weixin.qq.com"
    wechat_verified: bool = False  # verified account: customer-service messages allowed
    wechat_transfer_enabled: bool = False  # answer 人工 with transfer_customer_service
    wechat_oauth_enabled: bool = False  # check the H5 viewer's openid through snsapi_base
    timestamp_window: int = 300  # seconds a webhook timestamp may differ from now
    webhook_deadline: float = 4.0  # seconds before the webhook gives up waiting for the engine
    max_body_bytes: int = 64 * 1024
    body_timeout: float = 5.0  # seconds from arrival for the whole request body (408 beyond)
    max_concurrency: int = 1000  # connections + requests per process before uvicorn answers 503
    trusted_proxies: str = "127.0.0.1,::1"  # peers whose X-Forwarded-For names the client

    # Rate limits ("N/minute", "N/5 minutes", "N/day"), shared by all workers through Redis.
    rate_limit_messages: str = "30/minute"  # per resident, every channel
    rate_limit_reports: str = "5/day"  # per resident
    rate_limit_applications: str = "5/day"  # per resident
    rate_limit_api: str = "120/minute"  # per source address, /api/v1/*
    rate_limit_staff_login_address: str = "10/15 minutes"  # sign-in attempts per source address
    rate_limit_staff_login_account: str = "20/5 minutes"  # sign-in attempts per account name
    audit_max_entries: int = 1_000_000  # cap of the staff audit stream (≈ 6 months of busy use)

    # Storage.
    # None = embedded in-process server (state lost at exit); redis+sentinel:// and redis+cluster://
    # name a Sentinel-managed primary or a cluster (bot/storage.py).
    redis_url: str | None = None
    redis_timeout: float = 0.3
    session_ttl: int = 30 * 60  # idle conversation state
    resume_ttl: int = 7 * 24 * 3600  # an unfinished questionnaire can be resumed this long
    dedup_ttl: int | None = None  # accepted requests and replies; default TIMESTAMP_WINDOW
    knowledge_dir: str = ""  # FAQ files the server answers from; empty = bot/knowledge/faq

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
    public_base_url: str = ""  # empty: links follow HOST/PORT (see `local_url`)
    _links_follow_host: bool = PrivateAttr(default=False)
    link_ttl: int = 24 * 3600
    draft_ttl: int = 30 * 24 * 3600
    handoff: Literal["link", "http", "township"] = "link"
    banshitong_url: str = ""
    intake_url: str = ""
    intake_secret: str = ""
    staff_users: str = ""  # "user:township_code:password_hash[,…]"

    # Operations: who may read /metrics in production (bot/metrics.py).
    metrics_token: str = ""  # Authorization: Bearer <token>
    metrics_allow: str = "127.0.0.1/32,::1/128"  # networks that may scrape without the token

    @property
    def production(self) -> bool:
        return self.app_env == "production"

    @model_validator(mode="after")
    def _links_default_to_where_the_server_listens(self) -> Settings:
        if not self.public_base_url:
            self.public_base_url = self.local_url
            self._links_follow_host = True
        return self

    @property
    def local_url(self) -> str:
        """Where a client on this machine reaches `python server.py` (HOST/PORT)."""
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    @property
    def links_follow_host(self) -> bool:
        """True when PUBLIC_BASE_URL is unset and links are made from HOST/PORT."""
        return self._links_follow_host

    @property
    def webhook_mode(self) -> WebhookMode:
        """How `/wechat` treats bodies: `safe` needs AES and msg_signature, `plain` reads XML."""
        if self.wechat_mode is not None:
            return self.wechat_mode
        return "safe" if self.wechat_aes_key else "plain"

    @property
    def replay_ttl(self) -> int:
        """Seconds an accepted webhook request (and its reply) is remembered at least."""
        return self.dedup_ttl if self.dedup_ttl is not None else self.timestamp_window

    @property
    def metrics_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(net.strip(), strict=False) for net in self.metrics_allow.split(",")
                if net.strip()]

    def errors(self) -> list[str]:
        """Combinations refused in every environment (names the settings, never their values)."""
        found: list[str] = []
        if self.webhook_mode != "plain" and not self.wechat_aes_key:
            found.append(f"WECHAT_MODE={self.webhook_mode} needs WECHAT_AES_KEY")
        if self.wechat_aes_key and not WECHAT_AES_KEY.fullmatch(self.wechat_aes_key):
            found.append("WECHAT_AES_KEY must be the 43 letters and digits from the console")
        if self.replay_ttl < self.timestamp_window:
            found.append("DEDUP_TTL must be at least TIMESTAMP_WINDOW (a replay would be processed again)")
        if self.body_timeout <= 0 or self.max_concurrency < 1:
            found.append("BODY_TIMEOUT and MAX_CONCURRENCY must be positive")
        try:
            Topology.parse(self.redis_url or "")
        except ConfigError as exc:
            found.append(str(exc))
        try:
            self.metrics_networks  # noqa: B018 (parsed to be checked)
        except ValueError:
            found.append("METRICS_ALLOW must be addresses or networks, comma-separated")
        if self.metrics_token and weak_secret(self.metrics_token, min_length=24):
            found.append("METRICS_TOKEN must be at least 24 random characters")
        for name in RATE_LIMITS:
            try:
                usable = parse(getattr(self, name)).amount >= 1
            except ValueError:
                usable = False
            if not usable:
                found.append(f"{name.upper()} must look like 30/minute or 5/day")
        return found

    def problems(self) -> list[str]:
        """What stops this configuration from serving real residents (names only, no values)."""
        found: list[str] = []
        if not self.redis_url:
            found.append("REDIS_URL")
        if self.wechat_token == DEV_PLACEHOLDER or not WECHAT_TOKEN.fullmatch(self.wechat_token):
            found.append("WECHAT_TOKEN")
        if self.wechat_appid.startswith("wx000"):
            found.append("WECHAT_APPID")
        if self.webhook_mode != "safe" and not self.wechat_allow_plaintext:
            found.append("WECHAT_MODE (plaintext needs WECHAT_ALLOW_PLAINTEXT=true)")
        if self.secret_key == DEV_PLACEHOLDER or weak_secret(self.secret_key):
            found.append("SECRET_KEY")
        keys = [part.partition(":")[2] for part in self.data_keys.split(",") if part.strip()]
        if self.data_keys == DEV_DATA_KEY or not keys or any(map(weak_data_key, keys)):
            found.append("DATA_KEYS")
        if weak_secret(self.api_key, min_length=24):
            found.append("API_KEY")
        if self.links_follow_host:  # a resident's phone cannot open the server's own address
            found.append("PUBLIC_BASE_URL")
        if self.handoff == "http" and not (self.intake_url and self.intake_secret):
            found.append("INTAKE_URL/INTAKE_SECRET")
        return found


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
