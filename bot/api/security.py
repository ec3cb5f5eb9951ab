"""The API key guard for `/api/v1/*`: open in development, a key from settings in production."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request


async def require_api_key(request: Request) -> None:
    settings = request.app.state.services.settings
    if not settings.production:
        return
    given = request.headers.get("x-api-key", "")
    if not settings.api_key or not hmac.compare_digest(given.encode(), settings.api_key.encode()):
        raise HTTPException(status_code=401, detail="missing or wrong X-API-Key")
