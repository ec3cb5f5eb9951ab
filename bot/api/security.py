"""Guards for `/api/v1/*`: a per-address rate limit everywhere, an API key in production.

The limit comes first, so a wrong key costs a guess from the same budget. The address is the
connecting peer, or the client named by X-Forwarded-For when that peer is a trusted proxy
(`TRUSTED_PROXIES`, applied by the app's proxy-headers middleware before any route runs).
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from bot.ratelimit import client_address


async def limit_by_address(request: Request) -> None:
    verdict = await request.app.state.services.limits.hit("api", client_address(request))
    if not verdict.allowed:
        raise HTTPException(status_code=429, detail="too many requests from this address",
                            headers={"Retry-After": str(verdict.retry_after)})


async def require_api_key(request: Request) -> None:
    settings = request.app.state.services.settings
    if not settings.production:
        return
    given = request.headers.get("x-api-key", "")
    if not settings.api_key or not hmac.compare_digest(given.encode(), settings.api_key.encode()):
        raise HTTPException(status_code=401, detail="missing or wrong X-API-Key")
