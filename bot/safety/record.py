"""The safety net's verdicts on every message of its sets, recorded: a code change that alters one is caught.

The check runs on every message and is tuned for speed (phrase keys, search windows, n-grams by
slices); such work must change no verdict. `tests/safety/verdicts.json` holds the verdict of the
shipped cue file and model (categories, numbers, standing cues; no text, each message named by a
digest) on the development set, both training corpora, the ordinary messages and the cue file's own
examples, with a digest of those data files. The test compares today's verdicts with it. When the
data themselves change (a cue edit, new training items), `python -m bot.safety record` lists the
verdicts that changed for review, and `--write` records the new ones.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.memo import digest
from bot.phonebook import EMERGENCY_PATH
from bot.safety.cues import CUES_PATH, load_cues
from bot.safety.detector import Danger
from bot.safety.evaluate import DEFAULT_DEVSET, load_devset
from bot.safety.model import MODEL_PATH, ORDINARY_PATH, TRAINING_PATHS, corpus

RECORD_PATH = DEFAULT_DEVSET.parents[1] / "verdicts.json"
DATA = (CUES_PATH, *TRAINING_PATHS, ORDINARY_PATH, MODEL_PATH, EMERGENCY_PATH, DEFAULT_DEVSET)
Record = dict[str, list[list[str]] | None]


def data_digest(paths: tuple[Path, ...] = DATA) -> str:
    """A digest of the data the verdicts follow from (not of the code that computes them)."""
    found = hashlib.sha256()
    for path in paths:
        found.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return found.hexdigest()


def messages() -> list[str]:
    """Every message the net is developed on, each once, in a stable order."""
    book = load_cues()
    ordinary = [str(item["text"]) for item in yaml.safe_load(ORDINARY_PATH.read_text(encoding="utf-8"))]
    cue_examples = [t for c in book.categories.values() for t in (*c.examples, *c.not_examples)]
    found = [c.text for c in load_devset()] + [t for t, _, _ in corpus()] + ordinary + cue_examples
    return list(dict.fromkeys(found))


def name(text: str) -> str:
    return digest(text).hex()[:16]


def shown(danger: Danger | None) -> list[list[str]] | None:
    if danger is None:
        return None
    return [list(danger.categories), [n.number for n in danger.numbers], list(danger.cues)]


def verdicts(detect: Callable[[str], Danger | None], texts: list[str]) -> Record:
    return {name(text): shown(detect(text)) for text in texts}


def read(path: Path = RECORD_PATH) -> tuple[str, Record]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return str(raw["data"]), dict(raw["verdicts"])


def write(record: Record, path: Path = RECORD_PATH) -> None:
    """One message a line, so a review of a change reads line by line."""
    rows = ",\n".join(f"{json.dumps(key)}: {json.dumps(record[key], ensure_ascii=False)}"
                       for key in sorted(record))
    path.write_text(f'{{"data": "{data_digest()}", "verdicts": {{\n{rows}\n}}}}\n', encoding="utf-8")


def changes(recorded: Record, now: Record, texts: list[str] | None = None) -> list[str]:
    """What differs, one line per message, shown by its text when `texts` has it (else its digest)."""
    known = {name(text): text for text in texts or ()}
    lines = []
    for key in sorted(recorded.keys() | now.keys()):
        shown_as = known.get(key, key)
        if key not in now:
            lines.append(f"{shown_as}: no longer in the sets (was {recorded[key]})")
        elif key not in recorded:
            lines.append(f"{shown_as}: new, {now[key]}")
        elif recorded[key] != now[key]:
            lines.append(f"{shown_as}: {recorded[key]} -> {now[key]}")
    return lines
