"""Does this message signal danger to life, and which kind? Explainable cue by cue.

Every cue found in the message is judged on its own: it is dropped when it lies inside a
look-alike (`except`: 想死你了, 跳楼价), or when a modifier its category lists applies —
a negation right before it (不是着火) or inside its gap (老公没打我), a time long past within
a few characters (去年着过火), a hypothetical (万一着火了), an emergency already over (住院花了),
a question about assistance (能申请救助吗) or something seen on television. An urgent word next
to the cue (救命, 快来, 还在里面) keeps it whatever else is said. What survives decides the
categories (in the file's priority order) and their numbers.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bot.child import ChildFailed, in_child
from bot.linear import text_grams
from bot.phrases import Hit, PhraseSet, Prepared, prepare
from bot.safety.cues import CUES_PATH, CueBook, CueError, CueGroup, load_cues
from bot.safety.model import (
    Model,
    context_features,
    corpus,
    cue_features,
    examples,
    fit,
    inputs,
    read_trained,
    rows_for,
    settings,
)
from bot.safety.numbers import EmergencyNumber, emergency_numbers

log = logging.getLogger(__name__)
URGENT_WINDOW = 10
AFTER_WINDOW = 6  # characters after a cue in which 是去年 / 倒没有 still refer to it
NEGATION_AFTER_WINDOW = 3
MAX_TEXT = 1000
MAX_NUMBERS = 4  # more would bury the first ones
CHECK_INTERVAL = 2.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """One cue found in a message and what became of it (None: it stands)."""

    group: str
    category: str
    pattern: str
    start: int
    end: int
    dropped_by: str | None


@dataclass(frozen=True, slots=True)
class Danger:
    category: str  # the first category in priority order: the one counted
    categories: tuple[str, ...]
    numbers: tuple[EmergencyNumber, ...]
    care: str
    cues: tuple[str, ...]  # the patterns that stood (for staff tools, never logged with the text)


class Detector:
    """The cues (first stage) and, when given, the learned second stage (`model.py`)."""

    def __init__(self, book: CueBook, model: Model | None = None) -> None:
        self.book = book
        self.model = model
        self._order = {cid: i for i, cid in enumerate(book.categories)}

    def verdicts(self, text: str) -> list[Verdict]:
        return self._read(text)[0]

    def _read(self, text: str) -> tuple[list[Verdict], _Lazy]:
        """The verdicts on the cues found, and the message's modifiers (searched once, for the
        verdicts and the model's context features alike)."""
        message = prepare(text[:MAX_TEXT])
        mods = _Lazy(self.book.modifiers, message)
        hits = self.book.cues.hits(message)
        if not hits:
            return [], mods
        exceptions = _Lazy(self.book.exceptions, message)
        first = [self._judge(hit, self.book.groups[hit.group], mods, exceptions) for hit in hits]
        # A cue a more specific category also read (他想不开: suicide_other) is judged there only,
        # unless that reading was itself a look-alike (娃娃误喝了农药 is poisoning, not suicide).
        readers = [(hit, v) for hit, v in zip(hits, first, strict=True) if v.dropped_by != "except"]
        return [replace(v, dropped_by="outranked")
                if v.dropped_by is None and any(_overlap(h, hit) and v.category in self._outranks(r)
                                                for h, r in readers)
                else v for hit, v in zip(hits, first, strict=True)], mods

    def rule_features(self, text: str) -> set[str]:
        verdicts, mods = self._read(text)
        return cue_features(verdicts, self._by_cues(verdicts) is not None) | context_features(mods.groups())

    def features(self, text: str, stands: bool = False) -> set[str]:
        """The second stage's features of a message (`stands`: a cue stands on it)."""
        verdicts, mods = self._read(text)
        return self._features(text, verdicts, mods, stands)

    def _features(self, text: str, verdicts: list[Verdict], mods: _Lazy, stands: bool) -> set[str]:
        found = text_grams(text)  # a new set: the cues' features join it in place, not a copy
        found |= cue_features(verdicts, stands)
        found |= context_features(mods.groups())  # what the message is about besides a cue
        return found

    def detect(self, text: str) -> Danger | None:
        verdicts, mods = self._read(text)
        danger = self._by_cues(verdicts)
        if self.model is None:
            return danger
        if danger is not None:
            vetoed = self.model.veto is not None and self.model.overrules(
                self._features(text, verdicts, mods, True))
            return None if vetoed else danger
        features = self._features(text, verdicts, mods, False)
        if not self.model.heard(features):
            return None
        categories = self.model.categories_for(features)
        return self._danger(categories, categories, ("(model)",))

    def _by_cues(self, verdicts: list[Verdict]) -> Danger | None:
        kept = self._enough([v for v in verdicts if v.dropped_by is None])
        if not kept:
            return None
        categories = sorted({v.category for v in kept}, key=self._order.__getitem__)
        outranked = {o for c in categories for o in self.book.categories[c].outranks}
        categories = [c for c in categories if c not in outranked]
        groups = sorted({v.group for v in kept if v.category in categories},
                        key=lambda g: (self._order[self.book.groups[g].category], "#" not in g, g))
        return self._danger(categories, groups,
                            tuple(dict.fromkeys(v.pattern for v in kept if v.category in categories)))

    def _danger(self, categories: list[str], groups: list[str], cues: tuple[str, ...]) -> Danger:
        known = emergency_numbers()
        numbers = list(dict.fromkeys(n for g in groups for n in self.book.groups[g].numbers))[:MAX_NUMBERS]
        return Danger(categories[0], tuple(categories), tuple(known[n] for n in numbers),
                      self.book.categories[categories[0]].care, cues)

    def _enough(self, kept: list[Verdict]) -> list[Verdict]:
        """Drop the cues of groups that need several distinct cues and have fewer (symptom clusters)."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for v in kept:
            taken = spans.setdefault(v.group, [])
            if all(v.end <= start or end <= v.start for start, end in taken):
                taken.append((v.start, v.end))
        return [v for v in kept if len(spans[v.group]) >= self.book.groups[v.group].at_least]

    # -- judging one cue ---------------------------------------------------------------------------

    def _judge(self, hit: Hit, group: CueGroup, mods: _Lazy, exceptions: _Lazy) -> Verdict:
        def verdict(reason: str | None) -> Verdict:
            return Verdict(group.name, group.category, hit.pattern, hit.start, hit.end, reason)

        if any(_overlap(e, hit) for e in exceptions.get(group.category)):
            return verdict("except")
        if group.needs and not mods.get(f"needs:{group.name}"):
            return verdict("needs")
        if "negated" in group.cancelled_by and self._negated(hit, mods):
            return verdict("negated")
        if "reported" in group.cancelled_by and mods.get("reported:anywhere"):
            return verdict("reported")
        urgent = any(u.start < hit.end + URGENT_WINDOW and hit.start - URGENT_WINDOW < u.end
                     for u in mods.get("urgent"))
        if urgent:
            return verdict(None)
        for name in ("past", "hypothetical"):
            if name in group.cancelled_by and self._near(hit, mods, name):
                return verdict(name)
        for name in ("settled", "aid", "recovered", "joking"):
            if name in group.cancelled_by and self._anywhere(hit, mods, name):
                return verdict(name)
        return verdict(None)

    def _negated(self, hit: Hit, mods: _Lazy) -> bool:
        window = self.book.windows.get("negated", 1)
        masks = mods.get("negated:except")
        for neg in mods.get("negated:before"):
            if _inside_any(neg, masks):
                continue
            if hit.start - window <= neg.end <= hit.start and neg.start < hit.start:
                return True
            if any(low <= neg.start and neg.end == high for low, high in hit.gaps):
                return True
        after = mods.get("negated:after")
        return any(hit.end <= neg.start <= hit.end + NEGATION_AFTER_WINDOW for neg in after)

    def _anywhere(self, hit: Hit, mods: _Lazy, name: str) -> bool:
        """Whether an `anywhere` modifier applies: found in the message, or within its `window` of
        the cue when the cue file gives one (a long question about 临时救助 with a gas leak told
        in another sentence is about the leak too). A modifier inside the cue is a homophone of
        part of it (xue zhi bu zhu: 补助 in 止不住)."""
        window = self.book.windows.get(name, 0)
        return any(not _overlap(m, hit) and (not window or (m.start - hit.end <= window
                                                            and hit.start - m.end <= window))
                   for m in mods.get(f"{name}:anywhere"))

    def _near(self, hit: Hit, mods: _Lazy, name: str) -> bool:
        window = self.book.windows.get(name, 12)
        for marker in mods.get(f"{name}:before"):
            if marker.end <= hit.start and hit.start - marker.end <= window:
                return True
            if hit.in_gap(marker.start, marker.end):
                return True
        return any(hit.end <= m.start <= hit.end + AFTER_WINDOW for m in mods.get(f"{name}:after"))


    def _outranks(self, verdict: Verdict) -> tuple[str, ...]:
        return self.book.categories[verdict.category].outranks

class _Lazy:
    """The hits of a phrase set in one message by group, searched only when first asked for."""

    def __init__(self, phrases: PhraseSet, message: Prepared) -> None:
        self._phrases = phrases
        self._message = message
        self._found: dict[str, list[Hit]] | None = None

    def get(self, name: str) -> list[Hit]:
        return self._search().get(name, [])

    def groups(self) -> list[str]:
        """The groups with a hit (`past:before` …)."""
        return list(self._search())

    def _search(self) -> dict[str, list[Hit]]:
        if self._found is None:
            self._found = {}
            for hit in self._phrases.hits(self._message):
                self._found.setdefault(hit.group, []).append(hit)
        return self._found


def _overlap(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _inside_any(hit: Hit, masks: list[Hit]) -> bool:
    return any(m.start <= hit.start and hit.end <= m.end for m in masks)


def trained_on(cue_path: Path) -> Model:
    """The second stage trained on the corpus and this cue file (`make models`, or a child process)."""
    rules = Detector(load_cues(cue_path))
    chosen = settings()
    return fit(rows_for(rules, corpus() + examples(rules.book, rules)), chosen.regularisation,
               chosen.threshold, chosen.veto)


class SafetyNet:
    """The detector over the cue file, rebuilt when staff edit it (the last good version stays).

    The cues work from the first message. The model, whose features include what the cues hear, is
    read from `trained.npz` when that file was trained on the cue file as it is (milliseconds);
    otherwise (staff edited the cues, or training data changed without `make models`) the last
    model goes on serving while a child process trains a new one (seconds; the training memory
    leaves with the child), swapped in when ready, so neither a start nor a resident's message waits.
    `wait()` blocks until the current training is done (tools, benchmarks, tests)."""

    def __init__(self, path: Path = CUES_PATH, check_interval: float = CHECK_INTERVAL) -> None:
        self.path = path
        self._interval = check_interval
        self._lock = threading.Lock()
        self._signature = self._stat()
        self.detector = Detector(load_cues(path))
        self._training = self._model_for(self.detector, self._signature)
        self._checked = time.monotonic()

    def _model_for(self, rules: Detector, signature: tuple[int, int]) -> threading.Thread | None:
        """Use the stored model if it fits these cues; else keep the last one and start training."""
        stored = read_trained()
        fingerprint = inputs(self.path)
        if stored is not None and stored[0] == fingerprint:
            self.detector = Detector(rules.book, stored[1])
            return None
        meanwhile = self.detector.model or (stored[1] if stored is not None else None)
        self.detector = Detector(rules.book, meanwhile)
        log.warning("danger model file was trained on other cues or data (%s): the %s serves while "
                    "a child process trains one on these (`make models` ships it)", self.path.name,
                    "last model" if meanwhile is not None else "cue list alone")
        thread = threading.Thread(target=self._retrain, args=(rules, signature), name="danger-training",
                                  daemon=True)
        thread.start()
        return thread

    def wait(self, timeout: float | None = None) -> SafetyNet:
        if self._training is not None:
            self._training.join(timeout)
        return self

    @property
    def trained(self) -> bool:
        """Whether the model of the current cue file is in use (`/readyz` waits for it)."""
        return self._training is None or not self._training.is_alive()

    def _retrain(self, rules: Detector, signature: tuple[int, int]) -> None:
        try:
            model = in_child(trained_on, self.path)
        except ChildFailed as exc:
            log.warning("danger model: no child process (%s), training in this one", exc)
            model = trained_on(self.path)
        except CueError:
            return  # edited again meanwhile into a broken file: the next good edit trains
        if signature == self._signature:  # no newer edit meanwhile
            self.detector = Detector(rules.book, model)
            log.info("danger model trained on the edited cues is in use")

    def _stat(self) -> tuple[int, int]:
        try:
            stat = self.path.stat()
        except OSError:
            return (0, 0)
        return (stat.st_mtime_ns, stat.st_size)

    def reload_if_changed(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._interval or not self._lock.acquire(blocking=False):
            return
        try:
            self._checked = now
            signature = self._stat()
            if signature == self._signature:
                return
            self._signature = signature
            try:
                rules = Detector(load_cues(self.path))
            except CueError as exc:
                log.error("cue file edit refused, the last good version keeps working: %s",
                          "; ".join(exc.problems[:10]))
                return
            self._training = self._model_for(rules, signature)
            log.info("danger cues reloaded")
        finally:
            self._lock.release()

    def detect(self, text: str) -> Danger | None:
        self.reload_if_changed()
        return self.detector.detect(text)
