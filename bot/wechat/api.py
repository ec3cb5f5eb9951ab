"""The one seam to Tencent's HTTP API: access token, customer-service messages, menu, OAuth.

Fetching an access_token invalidates the previous one, so every worker must share one token. It is
cached in Redis under ``wx:token:<appid>`` until 300 s before it expires, and a ``SET NX`` lock lets
exactly one worker refresh it while the others wait for the new value. A call refused with
"token invalid/expired" drops the cached token (if it is still the one used) and is retried once.

Secrets and tokens travel in query strings, as Tencent requires: never log request URLs (keep the
``httpx`` logger at WARNING).
"""

import asyncio
import json
import secrets
from typing import Any

import httpx
from redis.exceptions import RedisError

from bot.wechat.errors import APIError

DEFAULT_BASE_URL = "https://api.weixin.qq.com"
TOKEN_EXPIRED = frozenset({40001, 40014, 42001})
REFRESH_MARGIN = 300
LOCK_TTL = 10


def _as_text(value: bytes | str | None) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class WeChatAPI:
    """Async client for one official account; ``redis`` is a ``redis.asyncio`` client."""

    def __init__(
        self,
        appid: str,
        secret: str,
        redis: Any,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.appid = appid
        self._secret = secret
        self._redis = redis
        self._token_key = f"wx:token:{appid}"
        self._lock_key = f"wx:token:{appid}:lock"
        self._client = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=timeout)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> "WeChatAPI":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def _request(
        self, method: str, path: str, params: dict[str, str], payload: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"} if body is not None else None
        try:
            response = await self._client.request(method, path, params=params, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise APIError(f"{path}: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise APIError(f"{path}: HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise APIError(f"{path}: answer is not JSON") from None
        if not isinstance(data, dict):
            raise APIError(f"{path}: answer is not a JSON object")
        errcode = data.get("errcode", 0)
        if errcode:
            code = errcode if isinstance(errcode, int) else None
            raise APIError(f"{path}: errcode {errcode}", errcode=code, errmsg=str(data.get("errmsg", "")))
        return data

    async def _fetch_token(self) -> str:
        data = await self._request(
            "GET",
            "/cgi-bin/token",
            {"grant_type": "client_credential", "appid": self.appid, "secret": self._secret},
        )
        token, expires_in = data.get("access_token"), data.get("expires_in", 7200)
        if not isinstance(token, str) or not token or not isinstance(expires_in, int):
            raise APIError("/cgi-bin/token: answer has no access_token")
        await self._redis.set(self._token_key, token, ex=max(expires_in - REFRESH_MARGIN, 60))
        return token

    async def access_token(self) -> str:
        """The account's current access_token, shared by every worker through Redis."""
        try:
            return await self._shared_token()
        except RedisError as exc:
            raise APIError(f"access_token cache unavailable: {type(exc).__name__}") from None

    async def _shared_token(self) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LOCK_TTL
        while True:
            cached = _as_text(await self._redis.get(self._token_key))
            if cached:
                return cached
            holder = secrets.token_hex(8)
            if await self._redis.set(self._lock_key, holder, nx=True, ex=LOCK_TTL):
                try:
                    # Another worker may have stored a token between our GET and our lock.
                    cached = _as_text(await self._redis.get(self._token_key))
                    return cached or await self._fetch_token()
                finally:
                    if _as_text(await self._redis.get(self._lock_key)) == holder:
                        await self._redis.delete(self._lock_key)
            if loop.time() > deadline:
                raise APIError("/cgi-bin/token: another worker's refresh did not finish")
            await asyncio.sleep(0.05)

    async def _drop_token(self, token: str) -> None:
        # Only drop the token we used: another worker may already have stored a fresh one.
        # (GET-then-DEL can race with such a store; the cost is one extra refresh.)
        if _as_text(await self._redis.get(self._token_key)) == token:
            await self._redis.delete(self._token_key)

    async def _call(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` with the shared token; on an invalid/expired token refresh and retry once."""
        token = await self.access_token()
        try:
            return await self._request("POST", path, {"access_token": token}, payload)
        except APIError as exc:
            if exc.errcode not in TOKEN_EXPIRED:
                raise
            try:
                await self._drop_token(token)
            except RedisError as redis_exc:
                raise APIError(f"access_token cache unavailable: {type(redis_exc).__name__}") from None
        return await self._request("POST", path, {"access_token": await self.access_token()}, payload)

    async def send_text(self, openid: str, content: str) -> None:
        """Customer-service text message (45015: outside the 48 h window; 45047: quota used up)."""
        await self._call(
            "/cgi-bin/message/custom/send",
            {"touser": openid, "msgtype": "text", "text": {"content": content}},
        )

    async def create_menu(self, menu: dict[str, Any]) -> None:
        """Publish the custom menu (the API's ``{"button": [...]}`` shape)."""
        await self._call("/cgi-bin/menu/create", menu)

    async def oauth_openid(self, code: str) -> str:
        """Exchange a single-use ``snsapi_base`` OAuth code for the visitor's openid."""
        data = await self._request(
            "GET",
            "/sns/oauth2/access_token",
            {"appid": self.appid, "secret": self._secret, "code": code, "grant_type": "authorization_code"},
        )
        openid = data.get("openid")
        if not isinstance(openid, str) or not openid:
            raise APIError("/sns/oauth2/access_token: answer has no openid")
        return openid
