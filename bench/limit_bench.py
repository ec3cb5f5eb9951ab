"""A resident's message limit counted by the turn queue's own script, against a round trip of its own.

Run: `REDIS_URL=redis://127.0.0.1:6379/8 PYTHONPATH=. python bench/limit_bench.py` (a database it
empties). Every message counts the resident's limit and takes their turn (`bot/turns.py`); this
times the client's CPU for both, 20 at once, as `RateLimits.hit` then `TurnQueue.turn` (the
`limits` library's script, a round trip of its own, as before `MOVING_WINDOW`) and as
`TurnQueue.turn` with a `Window`, alternating three times, and prints the ratio.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable

from bot.services import build_services
from bot.settings import Settings
from bot.storage import connect

MESSAGES, AT_ONCE = 2000, 20


async def main() -> None:
    url = os.environ.get("REDIS_URL")
    if not url:
        print("limit_bench: skipped, needs REDIS_URL (a database it may empty)")
        return
    settings = Settings(_env_file=None, app_env="test", rate_limit_messages="1000000/minute")
    redis = connect(url, 1.0)
    await redis.flushdb()
    services = build_services(settings, redis=redis)
    turns, limits, sessions = services.turns, services.limits, services.sessions

    async def separate(user: str) -> None:
        await limits.hit("messages", user)
        async with turns.turn(user, sessions.key(user)) as held:
            held.write(b"session", 60)

    async def in_the_turn(user: str) -> None:
        window = limits.window("messages", turns.hash_tag(user))
        async with turns.turn(user, sessions.key(user), window=window) as held:
            held.write(b"session", 60)

    ways: dict[str, Callable[[str], Awaitable[None]]] = {"separate round trip": separate,
                                                          "counted in the turn": in_the_turn}
    cost: dict[str, list[float]] = {name: [] for name in ways}
    for round_ in range(3):
        for name, way in ways.items():
            started = time.process_time()
            for batch in range(MESSAGES // AT_ONCE):
                await asyncio.gather(*(way(f"o{round_}{name[0]}{batch}-{i}") for i in range(AT_ONCE)))
            cost[name].append((time.process_time() - started) / MESSAGES * 1e6)
    await redis.aclose()
    for name, figures in cost.items():
        print(f"{name}: {', '.join(f'{f:.0f}' for f in figures)} µs of client CPU per message")
    before, after = (statistics.median(cost[name]) for name in ways)
    print(f"ratio (median): {after / before:.2f}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    asyncio.run(main())
