"""The safety net a process serves: the detector over the cue file, rebuilt when staff edit it.

The cues work at once; the learned second stage is read from `trained.npz` when it was trained on
the cue file as it is, otherwise a child process trains one while the last model goes on serving.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from bot.child import ChildFailed, in_child
from bot.safety.cues import CUES_PATH, CueError, load_cues
from bot.safety.detector import Danger, Detector
from bot.safety.model import Model, corpus, examples, fit, inputs, read_trained, rows_for, settings

log = logging.getLogger(__name__)
CHECK_INTERVAL = 2.0


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
