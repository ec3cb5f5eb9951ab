"""Keep CPython's garbage collector off what a server worker holds for good.

A ready worker holds about 200,000 objects that live as long as it does: the knowledge snapshot,
the cues and word lists, the models' tables, pypinyin's dictionaries. A full collection walks
every one of them, and under load one ran every second or two, 0.1–0.4 s of CPU each while every
request in flight waited: about a tenth of a worker's CPU and most of its p99 (the load benchmark's
figures, issue 14). `gc.freeze` moves them into a generation no collection looks at; the young
objects of each request are collected as before.

What a worker holds for good changes at a few moments: warm-up ends (a model trained in the
background, the first knowledge snapshot) and a knowledge reload swaps in a new snapshot.
`HeapSettler` watches a cheap fingerprint of them (object ids) and, when it changes, unfreezes,
collects once — so the snapshot that was replaced is freed, reference cycles included, instead of
staying frozen — and freezes again. Servers only (`create_app(settle_heap=True)`): a test process
that froze its heap would keep every earlier test's cyclic garbage.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable, Hashable

log = logging.getLogger(__name__)
PERIOD = 5.0  # seconds between looks at the fingerprint


def settle() -> int:
    """Collect everything, then freeze what survived; how many objects are frozen now."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


class HeapSettler:
    """Calls `settle` whenever `fingerprint()` (None: still warming up) takes a new value."""

    def __init__(self, fingerprint: Callable[[], Hashable | None], period: float = PERIOD) -> None:
        self.fingerprint = fingerprint
        self.period = period
        self.settled: Hashable | None = None

    def check(self) -> bool:
        """Settle if what the worker holds for good changed since the last time; whether it did."""
        current = self.fingerprint()
        if current is None or current == self.settled:
            return False
        frozen = settle()
        self.settled = current
        log.info("heap settled: %d long-lived objects frozen", frozen)
        return True

    async def run(self) -> None:
        while True:
            self.check()
            await asyncio.sleep(self.period)
