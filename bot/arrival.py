"""When each request arrived, and a deadline for its body.

Two attacks on the clock: a flood, where requests wait in the server before any route sees them,
and a slow body, where a signed request trickles in (or stalls) to hold a worker. Both are
answered by measuring from arrival. `ArrivalMiddleware` stamps `request.state.arrival` (the event
loop's clock, the same one `Delivery` uses) as the first thing the application does with a
request, so the webhook's 4 s count from there, not from when its route finally ran; and it gives
the whole body `BODY_TIMEOUT` seconds from arrival, then answers 408 and closes the connection.
"""

from __future__ import annotations

import asyncio

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ArrivalMiddleware:
    def __init__(self, app: ASGIApp, body_timeout: float) -> None:
        self.app = app
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        arrival = loop.time()
        scope.setdefault("state", {})["arrival"] = arrival
        body_deadline = arrival + self.body_timeout
        body_done = False

        async def receive_in_time() -> Message:
            nonlocal body_done
            if body_done:  # after the body, receive() only waits for a disconnect
                return await receive()
            try:  # a timeout, not `wait_for`: on Python 3.11 that runs every receive as a task of its own
                async with asyncio.timeout_at(body_deadline):
                    message = await receive()
            except TimeoutError:
                # Raised inside the route, so the app's HTTP exception handling answers it.
                raise HTTPException(408, "request body too slow", headers={"Connection": "close"}) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        await self.app(scope, receive_in_time, send)
