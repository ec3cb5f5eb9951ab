"""The one seam to Tencent's HTTP API, on wechatpy: access token, customer-service messages, menu, OAuth.

wechatpy's ``WeChatClient`` is synchronous (requests), so every call runs in a worker thread
(``anyio.to_thread``) and the event loop never waits on Tencent. Fetching an access_token
invalidates the previous one, so every worker shares one token through wechatpy's
``RedisStorage`` on a blocking Redis client (``bot.storage.connect_sync``: same server, same tight
timeouts), kept 300 s less than Tencent's ``expires_in``. A ``SET NX`` lock lets exactly one worker
refresh it while the others wait for the new value. A call refused with "token invalid/expired"
refreshes the token (unless another worker already has) and is retried once.

Secrets and tokens travel in query strings, as Tencent requires: never log request URLs (keep the
``urllib3`` logger at WARNING). Errors leave this module as ``APIError`` without their cause, whose
text (a requests error) would carry the URL.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
import redis
import requests
from redis.exceptions import RedisError
from wechatpy import WeChatClient, WeChatOAuth
from wechatpy.constants import WeChatErrorCode
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

from bot.wechat.errors import APIError
from bot.wechat.messages import is_identifier

DEFAULT_BASE_URL = "https://api.weixin.qq.com"
TOKEN_EXPIRED = frozenset(code.value for code in (WeChatErrorCode.INVALID_CREDENTIAL,
                                                  WeChatErrorCode.INVALID_ACCESS_TOKEN,
                                                  WeChatErrorCode.EXPIRED_ACCESS_TOKEN))
REFRESH_MARGIN = 300
LOCK_TTL = 10
T = TypeVar("T")


class _TimeoutSession(requests.Session):
    """A requests session whose every request has a timeout."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def request(self, method: str, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = kwargs.get("timeout") or self._timeout
        return super().request(method, url, *args, **kwargs)


class _TokenStorage(RedisStorage):  # type: ignore[misc]
    """wechatpy's Redis storage, keeping the token REFRESH_MARGIN s shorter than Tencent says."""

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        super().set(key, value, None if ttl is None else max(int(ttl) - REFRESH_MARGIN, 60))


class _Client(WeChatClient):  # type: ignore[misc]
    # wechatpy fetches the token from a hard-coded host, with no timeout, and lets every worker
    # refresh at once (each refresh revoking the others' token); its auto_retry retries for ever.
    def __init__(self, appid: str, secret: str, redis_client: redis.Redis, base_url: str,
                 timeout: float) -> None:
        super().__init__(appid, secret, session=_TokenStorage(redis_client, prefix="wx:token"),
                         timeout=timeout, auto_retry=False)
        self.API_BASE_URL = f"{base_url}/cgi-bin/"
        self._http = _TimeoutSession(timeout)
        self._redis = redis_client
        self._lock_key = f"wx:token:{appid}:lock"

    def fetch_access_token(self, stale: str | None = None) -> dict[str, Any]:
        """Store a fresh token, unless another worker stored one other than ``stale`` meanwhile."""
        holder = secrets.token_hex(8).encode()
        deadline = time.monotonic() + LOCK_TTL
        while not self._redis.set(self._lock_key, holder, nx=True, ex=LOCK_TTL):
            if time.monotonic() > deadline:
                raise APIError("/cgi-bin/token: another worker's refresh did not finish")
            time.sleep(0.05)
        try:
            cached = self.session.get(self.access_token_key)
            if cached and cached != stale:
                return {"access_token": cached}
            params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
            return dict(self._fetch_access_token(url=f"{self.API_BASE_URL}token", params=params))
        finally:
            self.expires_at = None  # the Redis TTL alone says when a token is due, for every worker
            if self._redis.get(self._lock_key) == holder:
                self._redis.delete(self._lock_key)


class _OAuth(WeChatOAuth):  # type: ignore[misc]
    # wechatpy's OAuth requests have no timeout and a hard-coded host.
    def __init__(self, appid: str, secret: str, base_url: str, timeout: float) -> None:
        super().__init__(appid, secret, redirect_uri="", scope="snsapi_base")
        self.API_BASE_URL = f"{base_url}/"
        self._http = _TimeoutSession(timeout)


def _checked(what: str, result: Any) -> dict[str, Any]:
    if not isinstance(result, dict):  # wechatpy hands back the raw response when it is not JSON
        raise APIError(f"{what}: answer is not JSON")
    return result


def _guarded(what: str, call: Callable[[], T]) -> T:
    """Run a blocking wechatpy call, turning every failure into an APIError without its cause."""
    try:
        return call()
    except WeChatClientException as exc:
        if exc.errcode is None:
            status = getattr(exc.response, "status_code", "?")
            raise APIError(f"{what}: HTTP {status}") from None
        code = exc.errcode if isinstance(exc.errcode, int) else None
        raise APIError(f"{what}: errcode {code}", errcode=code, errmsg=str(exc.errmsg or "")) from None
    except requests.RequestException as exc:
        raise APIError(f"{what}: {type(exc).__name__}") from None
    except (RedisError, OSError) as exc:
        raise APIError(f"access_token cache unavailable: {type(exc).__name__}") from None
    except (ValueError, KeyError, TypeError):
        raise APIError(f"{what}: answer is not what Tencent documents") from None


class WeChatAPI:
    """Async face of one official account's API; ``redis_client`` is a blocking ``redis.Redis``."""

    def __init__(self, appid: str, secret: str, redis_client: redis.Redis,
                 base_url: str = DEFAULT_BASE_URL, timeout: float = 5.0) -> None:
        if not is_identifier(appid):
            raise APIError("appid has an unexpected shape")
        self.appid = appid
        self._client = _Client(appid, secret, redis_client, base_url.rstrip("/"), timeout)

    def close(self) -> None:
        self._client._http.close()

    async def access_token(self) -> str:
        """The account's current access_token, shared by every worker through Redis."""
        return await anyio.to_thread.run_sync(_guarded, "/cgi-bin/token",
                                              lambda: str(self._client.access_token))

    def _call(self, what: str, call: Callable[[], Any]) -> dict[str, Any]:
        def once_more_on_expired() -> dict[str, Any]:
            token = self._client.access_token
            try:
                return _checked(what, call())
            except WeChatClientException as exc:
                if exc.errcode not in TOKEN_EXPIRED:
                    raise
            self._client.fetch_access_token(stale=token)
            return _checked(what, call())

        return _guarded(what, once_more_on_expired)

    async def send_text(self, openid: str, content: str) -> None:
        """Customer-service text message (45015: outside the 48 h window; 45047: quota used up)."""
        await anyio.to_thread.run_sync(self._call, "/cgi-bin/message/custom/send",
                                       lambda: self._client.message.send_text(openid, content))

    async def create_menu(self, menu: dict[str, Any]) -> None:
        """Publish the custom menu (the API's ``{"button": [...]}`` shape)."""
        await anyio.to_thread.run_sync(self._call, "/cgi-bin/menu/create",
                                       lambda: self._client.menu.create(menu))


def authorize_url(appid: str, redirect_uri: str, state: str) -> str:
    """Where to send a visitor for a silent ``snsapi_base`` OAuth code."""
    return str(WeChatOAuth(appid, "", redirect_uri, scope="snsapi_base", state=state).authorize_url)


async def oauth_openid(appid: str, secret: str, code: str, base_url: str = DEFAULT_BASE_URL,
                       timeout: float = 5.0) -> str:
    """Exchange a single-use ``snsapi_base`` OAuth code for the visitor's openid."""
    what = "/sns/oauth2/access_token"

    def exchange() -> str:
        oauth = _OAuth(appid, secret, base_url.rstrip("/"), timeout)
        try:
            openid = _checked(what, oauth.fetch_access_token(code)).get("openid")
        finally:
            oauth._http.close()
        if not is_identifier(openid):
            raise APIError(f"{what}: answer has no valid openid")
        return str(openid)

    return await anyio.to_thread.run_sync(_guarded, what, exchange)
