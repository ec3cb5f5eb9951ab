"""`python -m bot train [--check]` (`make models`): train the shipped models and store them as data.

The danger model (`bot/safety/trained.npz`) and the intent model (`bot/dialogs/intents_trained.npz`)
are trained on files that ship with the code; workers read them at start instead of training
(`bot.modelfile`). Rerun after editing any training input (a training corpus, cues.yaml, the
intents' word lists, the settings files, the feature code) or merging such an edit; `--check` only
says which files are stale (exit 1), as the test suite does.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from bot.dialogs import intent_model
from bot.dialogs.intents import trained_model
from bot.safety import model as danger_model
from bot.safety.cues import CUES_PATH
from bot.safety.net import trained_on


def stale() -> list[Path]:
    """The shipped model files not trained on the inputs as they are now."""
    found = []
    danger = danger_model.read_trained()
    if danger is None or danger[0] != danger_model.inputs(CUES_PATH):
        found.append(danger_model.TRAINED_PATH)
    intents = intent_model.read_trained()
    if intents is None or intents[0] != intent_model.inputs():
        found.append(intent_model.TRAINED_PATH)
    return found


def _timed(name: str, path: Path, train: Callable[[], None]) -> None:
    start = time.perf_counter()
    train()
    print(f"{name}: trained in {time.perf_counter() - start:.1f} s, written to {path.name} "
          f"({path.stat().st_size / 1024:.0f} KB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot train", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only list the stale model files (exit 1)")
    args = parser.parse_args(argv)
    if args.check:
        found = stale()
        for path in found:
            print(f"stale: {path} (run `make models`)")
        return 1 if found else 0
    _timed("danger model", danger_model.TRAINED_PATH, lambda: danger_model.write_trained(
        trained_on(CUES_PATH), danger_model.inputs(CUES_PATH)))
    _timed("intent model", intent_model.TRAINED_PATH, lambda: intent_model.write_trained(
        trained_model(), intent_model.inputs()))
    return 0
