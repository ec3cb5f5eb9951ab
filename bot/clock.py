"""The service's one clock: "now" and "today" as the county lives them (Asia/Shanghai).

Why: policy dates (a standard that rises on 1 July), ages and the day's danger counts are
Beijing dates, and a server on UTC is eight hours behind: between 00:00 and 08:00 Beijing time
`date.today()` there is still yesterday, so the chat and the API would screen one household
against different parameters. Every date and datetime in `bot/` comes from here (a test keeps
it so); `source` is the one place the wall clock is read, which tests replace to stand at any
instant. Epoch seconds for TTLs and freshness windows (`time.time()`) have no zone and stay as
they are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")


def _system_now() -> datetime:
    return datetime.now(UTC)


source: Callable[[], datetime] = _system_now  # an aware datetime, any zone


def now() -> datetime:
    """This instant, in Asia/Shanghai."""
    return source().astimezone(LOCAL)


def today() -> date:
    """Today's date in Asia/Shanghai, whatever the host's time zone."""
    return now().date()


def local(timestamp: float) -> datetime:
    """A Unix timestamp as Asia/Shanghai time (for staff-facing listings)."""
    return datetime.fromtimestamp(timestamp, LOCAL)
