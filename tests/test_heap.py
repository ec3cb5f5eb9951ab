"""The heap settler: freezes what a warm worker holds, again only when that changes."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from bot import heap
from bot.app import create_app
from bot.heap import HeapSettler
from bot.services import Services


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # the test process must not keep a frozen heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only a collection frees it


def test_settle_freezes_survivors_and_frees_replaced_cycles() -> None:
    kept, dropped = Node(), Node()
    gone = weakref.ref(dropped)
    del dropped
    assert heap.settle() > 0
    assert gone() is None
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())  # frozen objects are out of every generation


def test_one_malloc_arena_is_harmless_to_call_again() -> None:
    first = heap.one_malloc_arena()
    assert heap.one_malloc_arena() == first  # glibc: True both times; elsewhere a no-op, False


def test_settles_once_warm_then_only_when_the_fingerprint_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    settled: list[int] = []
    monkeypatch.setattr(heap, "settle", lambda: settled.append(1) or 1)
    state: list[object] = [None]
    settler = HeapSettler(lambda: state[0])
    assert not settler.check()  # warming up: nothing frozen yet
    state[0] = (1, 2)
    assert settler.check()
    assert not settler.check()
    state[0] = (3, 2)  # a reload swapped in a new snapshot
    assert settler.check()
    assert len(settled) == 2


async def test_a_servers_app_settles_its_heap_once_warm(services: Services,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(heap, "settle", lambda: calls.append(1) or 1)
    app = create_app(services.settings, services, settle_heap=True)
    async with app.router.lifespan_context(app):
        for _ in range(100):  # the settler's first look comes at once: the test services are warm
            if calls:
                break
            await asyncio.sleep(0.01)
    assert calls == [1]
    plain = create_app(services.settings, services)
    async with plain.router.lifespan_context(plain):
        await asyncio.sleep(0.05)
    assert calls == [1]  # apps of tests and tools never freeze their process's heap
