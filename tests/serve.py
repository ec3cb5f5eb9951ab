"""`python tests/serve.py`: the real server (server.py's app and uvicorn options) plus instruments.

Used by `tests/servers.py` to run several real worker processes against one Redis. The only
addition is the `tally` flow (started by the menu key `tally`): it records every text it hears,
in order, and answers with all of them, so an update lost between two workers shows as a missing
text. A text starting with `慢` sleeps `SLOW_SECONDS` (environment, default 0) inside the flow —
while the turn holds the resident's queue and the message's claim — so a test can kill a worker
mid-turn. `POST /_crash` is a bug on purpose: it raises an exception whose message quotes the
request body, as pydantic's and many libraries' errors do, to show what reaches the log.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn
from fastapi import Request

from bot.app import create_app
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.settings import get_settings
from server import uvicorn_options


class TallyFlow(Flow):
    name = "tally"
    first_step = "listen"

    async def start(self, ctx: Context) -> Turn:
        return Turn(await self.prompt(ctx), next_step="listen")

    async def prompt(self, ctx: Context) -> list[Reply]:
        return [Reply("tally:" + ",".join(ctx.state.data.get("seen", [])))]

    async def handle(self, ctx: Context, text: str) -> Turn:
        if text.startswith("慢"):
            await asyncio.sleep(float(os.environ.get("SLOW_SECONDS", "0")))
        ctx.state.data.setdefault("seen", []).append(text)
        return Turn(await self.prompt(ctx), next_step="listen")


def main() -> None:
    settings = get_settings()
    app = create_app(settings)
    app.state.engine.flows["tally"] = TallyFlow()

    @app.post("/_crash", include_in_schema=False)
    async def crash(request: Request) -> None:
        raise ValueError("could not handle " + (await request.body()).decode())

    uvicorn.run(app, **uvicorn_options(settings))


if __name__ == "__main__":
    main()
