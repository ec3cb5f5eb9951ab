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
staying frozen — and freezes again, then hands the C heap's free pages back to the system
(`malloc_trim`: the load-time temporaries, such as the pickled snapshot, are gone by then). Servers
only (`create_app(settle_heap=True)`): a test process that froze its heap would keep every earlier
test's cyclic garbage.

`one_malloc_arena`, called by `server.py` before a worker starts any thread, keeps glibc's
allocator to one arena. By default every thread that allocates (the model and knowledge loaders,
the reload checks, anyio's worker threads) gets an arena of its own, and memory freed in one
cannot serve another: a ready worker measured 280 MB of RSS with the default and 253 MB with one
arena. The threads spend their time waiting or holding the GIL, so they do not contend for it.
Both are no-ops where the C library is not glibc.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
from collections.abc import Callable, Hashable
from functools import cache
from typing import Any

log = logging.getLogger(__name__)
PERIOD = 1.0  # seconds between looks at the fingerprint (a few attribute reads)
M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h


@cache
def _glibc() -> Any | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def one_malloc_arena() -> bool:
    """One glibc malloc arena for every thread of this process (call before threads start)."""
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(M_ARENA_MAX, 1))


def settle() -> int:
    """Collect everything, freeze what survived and return the C heap's free pages to the system;
    how many objects are frozen now."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
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
