"""The knowledge base the engine and the API ask: match, decide, render, and reload edited files.

Staff edit the YAML files while the server runs. Each `ask` starts (at most every two seconds) a
check on a thread of whether any knowledge, lexicon or wording file changed; if so that thread
rebuilds everything into a new immutable snapshot and swaps it in. A rebuild takes seconds and
`ask` runs on the server's event loop, so meanwhile the old snapshot goes on answering. A rebuild
that fails is logged with its problems and the last good snapshot keeps serving, so a typo never
takes the bot down. `reload_if_changed` does the same check and rebuild in the caller's thread.

A server's knowledge base is `isolated`: every snapshot (at start and on reload) is built in a child
process (`bot.child`) and arrives pickled, so the worker never imports scikit-learn and the build's
peak memory (the fits, their intermediate matrices) leaves with the child instead of staying in
the worker's RSS. Tools and tests build in-process. A server's first snapshot is built
`in_background`, so the server listens at once: until it arrives every use raises `Starting`
(a `Busy`: residents get the busy text, the API 503, the danger reply still goes out) and `ready`
is False (`/readyz` says so); a first build that fails ends the process, as it would at boot.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot import clock
from bot.child import ChildFailed, in_child
from bot.errors import Busy
from bot.knowledge.answer import CANDIDATES, CLARIFY_OPTIONS, Answer, Candidate, decide
from bot.knowledge.matcher import Ranking, Scored
from bot.knowledge.normalize import Key
from bot.knowledge.snapshot import KnowledgeError, Snapshot, Sources, build_snapshot
from bot.rules.parameters import Parameters, load_parameters

log = logging.getLogger(__name__)

CHECK_INTERVAL = 2.0
MAX_QUESTION = 500


class Starting(Busy):
    """The first snapshot is still being built (a server that has just started)."""


class KnowledgeBase:
    def __init__(
        self,
        sources: Sources | None = None,
        parameters: Callable[[], Parameters] = load_parameters,
        today: Callable[[], dt.date] = clock.today,
        check_interval: float = CHECK_INTERVAL,
        isolated: bool = False,
        in_background: bool = False,
    ) -> None:
        """`isolated`: build every snapshot in a child process (servers; see the module's doc);
        `in_background`: the first one too on a thread, returning at once."""
        self.sources = sources or Sources()
        self._parameters = parameters
        self._today = today
        self._interval = check_interval
        self._isolated = isolated
        self._lock = threading.Lock()
        self._latest: Snapshot | None = None
        self._failed_signature: tuple[tuple[str, int, int], ...] | None = None
        self._checked = time.monotonic()
        self._reloader: threading.Thread | None = None
        if in_background:
            self._first = threading.Thread(target=self._first_build, name="knowledge-first", daemon=True)
            self._first.start()
        else:
            self._latest = self._build()

    def _first_build(self) -> None:
        try:
            with self._lock:  # no reload check while it runs
                self._latest = self._build()
                self._checked = time.monotonic()
        except Exception as exc:  # the server cannot answer policy questions: stop as at boot
            problems = exc.problems[:10] if isinstance(exc, KnowledgeError) else [type(exc).__name__]
            log.critical("knowledge: the first build failed, stopping: %s", "; ".join(map(str, problems)))
            logging.shutdown()
            os._exit(3)  # uvicorn's code for a startup failure: its supervisor does not restart it

    @property
    def ready(self) -> bool:
        """Whether the first snapshot has arrived."""
        return self._latest is not None

    @property
    def _snapshot(self) -> Snapshot:
        if self._latest is None:
            raise Starting("the knowledge base is still being built")
        return self._latest

    @classmethod
    def from_directory(cls, path: str | Path | None = None, **kwargs: Any) -> KnowledgeBase:
        sources = Sources(faq_dir=Path(path)) if path is not None else Sources()
        return cls(sources, **kwargs)

    def _build(self) -> Snapshot:
        if not self._isolated:
            return build_snapshot(self.sources, self._parameters)
        try:
            return in_child(build_snapshot, self.sources, self._parameters)
        except ChildFailed as exc:
            log.warning("knowledge: no child process (%s), building in this one", exc)
            return build_snapshot(self.sources, self._parameters)

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def reload_if_changed(self, force: bool = False) -> bool:
        """Rebuild when a source file changed; True if a new version was swapped in."""
        now = time.monotonic()
        if not force and now - self._checked < self._interval:
            return False
        if not self._lock.acquire(blocking=False):
            return False  # another thread is checking; keep serving the current snapshot
        try:
            self._checked = now
            if self._latest is None:  # the first build failed or is still running
                return False
            signature = self.sources.signature()
            if signature in (self._snapshot.signature, self._failed_signature):
                return False
            try:
                fresh = self._build()
            except KnowledgeError as exc:
                self._failed_signature = signature
                log.error(
                    "knowledge reload refused, still serving the last good version (%d entries): %s",
                    len(self._snapshot.entries),
                    "; ".join(map(str, exc.problems[:10])),
                )
                return False
            self._latest = fresh
            self._failed_signature = None
            log.info("knowledge reloaded: %d entries", len(fresh.entries))
            return True
        finally:
            self._lock.release()

    def _reload_in_background(self) -> None:
        """Past the check interval, check for edits and rebuild on a thread of its own."""
        now = time.monotonic()
        if now - self._checked < self._interval or self._lock.locked():
            return
        self._checked = now  # the asks that follow at once start no second thread
        self._reloader = threading.Thread(target=self.reload_if_changed, kwargs={"force": True},
                                          name="knowledge-reload", daemon=True)
        self._reloader.start()

    def wait_reload(self, timeout: float | None = None) -> None:
        """Until the last check started by `ask` has finished (for tools and tests)."""
        if self._reloader is not None:
            self._reloader.join(timeout)

    def key(self, question: str) -> Key:
        return self._snapshot.normalizer.key(question[:MAX_QUESTION])

    def search(self, question: str, limit: int = CANDIDATES) -> list[Scored]:
        return self.rank(question, limit).entries

    def rank(self, question: str, limit: int = CANDIDATES) -> Ranking:
        snapshot = self._snapshot
        return snapshot.index.rank(snapshot.normalizer.key(question[:MAX_QUESTION]), limit)

    def ask(self, question: str) -> Answer:
        self._reload_in_background()
        snapshot = self._snapshot
        key = snapshot.normalizer.key(question[:MAX_QUESTION])
        ranking = snapshot.index.rank(key, CANDIDATES)
        ranked = ranking.entries
        candidates = tuple(Candidate(s.entry.id, s.entry.question, s.entry.refs, s.score) for s in ranked)
        best = ranked[0].score if ranked else 0.0
        status, outside = decide(snapshot, key, ranking)
        if outside:
            return Answer("fallback", None, None, (), best, (), True, ranking.referral)
        if status == "answer":
            top = ranked[0]
            text = snapshot.renderer.render(top.entry, self._today())
            return Answer("answer", text, top.entry.id, top.entry.refs, top.score, candidates)
        if status == "clarify":
            floor = 100 * snapshot.index.model.thresholds.option
            offered = tuple(c for c in candidates[:CLARIFY_OPTIONS] if c.score >= floor)
            return Answer("clarify", None, None, (), best, offered)
        return Answer("fallback", None, None, (), best, candidates)

    def answer_entry(self, entry_id: str) -> Answer:
        """Render one entry (the resident picked it after a clarification)."""
        self._reload_in_background()
        snapshot = self._snapshot
        entry = snapshot.entries.get(entry_id)
        if entry is None:
            return Answer("fallback", None, None, (), 0.0, ())
        text = snapshot.renderer.render(entry, self._today())
        return Answer("answer", text, entry.id, entry.refs, 100.0, ())
