"""Trained linear models as data files: written by `make models`, read by a worker in milliseconds.

The danger and intent models (`bot.linear`) are trained on data that ships with the code, so they
are trained once, by `python -m bot train` (`make models`), and stored next to their data
(`bot/safety/trained.npz`, `bot/dialogs/intents_trained.npz`) instead of in every worker at start:
training takes seconds and leaves its peak memory in the process that did it.

A file holds, per model, each class's bias and its n-gram → weight table exactly as trained (stored
as float64, read as float32 where every weight is a float32 value, summed in float64: scores and
decisions are those of a freshly trained model; a model is read into one matrix with its n-grams
found by hash, `bot.weights`), and the fingerprint of what it was
trained on: the training files, the cue and word-list files whose examples and rule features it
learned, the training settings, the source of the feature extractor and the versions of the
libraries that shape features (pypinyin, OpenCC). A reader compares it with the fingerprint of the
files it has now: a test fails when the shipped file is stale (training data edited without
`make models`), and a worker that finds it stale (a cue file edited by staff) retrains in a child
process and says so in the log.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from bot.weights import SEPARATOR, Column, Rows, Weights

log = logging.getLogger(__name__)
BOT = Path(__file__).resolve().parent
FORMAT = "linear-1"
# What turns a message into features (`bot.linear.text_grams`): its code and the libraries it calls.
FEATURE_CODE = (BOT / "linear.py", BOT / "text.py", *sorted((BOT / "phrases").glob("*.py")),
                BOT / "knowledge" / "phonetic.py")
FEATURE_PACKAGES = ("pypinyin", "opencc-python-reimplemented")

Models = Mapping[str, Mapping[str, Weights]]  # model name → class → weights


def fingerprint(files: Iterable[Path], *settings: object) -> str:
    """A digest of the files' contents (in order), the settings and the feature extractor."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in [*files, *FEATURE_CODE]:
        digest.update(b"\0file\0" + path.read_bytes())
    for name in FEATURE_PACKAGES:
        digest.update(f"\0{name}={version(name)}".encode())
    for value in settings:
        digest.update(f"\0{value!r}".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Stored:
    fingerprint: str
    models: dict[str, dict[str, Weights]]


def write(path: Path, fingerprint_: str, models: Models) -> None:
    """Store the models (compressed NumPy arrays, no pickle) with the fingerprint of their inputs."""
    vocabulary: dict[str, int] = {}
    arrays: dict[str, np.ndarray] = {"format": np.array(FORMAT), "fingerprint": np.array(fingerprint_),
                                     "names": np.array(list(models))}
    for name, classes in models.items():
        grams: list[int] = []
        weights: list[float] = []
        bounds = [0]
        for weight in classes.values():
            pairs = list(weight.table.pairs())
            grams += [vocabulary.setdefault(g, len(vocabulary)) for g, _ in pairs]
            weights += [w for _, w in pairs]
            bounds.append(len(grams))
        arrays |= {f"{name}.labels": np.array(list(classes)),
                   f"{name}.bias": np.array([w.bias for w in classes.values()], np.float64),
                   f"{name}.bounds": np.array(bounds, np.int64), f"{name}.grams": np.array(grams, np.int32),
                   f"{name}.weights": np.array(weights, np.float64)}
    if any(SEPARATOR in gram for gram in vocabulary):
        raise ValueError("an n-gram holds the vocabulary separator")
    arrays["vocabulary"] = np.array(SEPARATOR.join(vocabulary))
    with path.open("wb") as out:
        np.savez_compressed(out, **arrays)  # type: ignore[arg-type]  # (numpy stubs: kwargs typed as allow_pickle)


def _rows_of(grams: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The vocabulary numbers a model uses, ascending, and each number's row among them (-1 where
    unused): `np.unique(grams, return_inverse=True)` without sorting the grams of every class (a
    million of them for the intents, whose sort's temporaries were a worker's peak at start)."""
    present = np.zeros(size, np.bool_)
    present[grams] = True
    return np.flatnonzero(present), np.cumsum(present, dtype=np.int64) - 1


def _exact_dtype(weights: np.ndarray) -> type[np.floating]:
    """float32 if every weight is a float32 value (as trained), else float64: stored either way."""
    return np.float32 if np.array_equal(weights.astype(np.float32), weights) else np.float64


def _slices(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Where each n-gram of a stored vocabulary starts and ends in it (without a string per n-gram)."""
    codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    ends = np.append(np.flatnonzero(codes == ord(SEPARATOR)), len(codes))
    return np.append(0, ends[:-1] + 1), ends


def read(path: Path) -> Stored | None:
    """The stored models, or None (no file, or one this code cannot read: retrain)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["format"]) != FORMAT:
                return None
            text = str(data["vocabulary"])
            starts, ends = _slices(text)
            models: dict[str, dict[str, Weights]] = {}
            for name in data["names"].tolist():
                bounds = data[f"{name}.bounds"].tolist()
                labels = [str(label) for label in data[f"{name}.labels"].tolist()]
                biases = data[f"{name}.bias"].tolist()
                grams, weights = data[f"{name}.grams"], data[f"{name}.weights"]
                used, row = _rows_of(grams, len(starts))
                matrix = np.zeros((len(used), len(labels)), _exact_dtype(weights))
                for column, (low, high) in enumerate(itertools.pairwise(bounds)):
                    matrix[row[grams[low:high]], column] = weights[low:high]
                rows = Rows(text, starts[used], ends[used])
                models[name] = {label: Weights(float(bias), Column(rows, matrix, column))
                                for column, (label, bias) in enumerate(zip(labels, biases, strict=True))}
            return Stored(str(data["fingerprint"]), models)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        log.warning("model file %s unreadable (%s): it will be retrained", path.name, type(exc).__name__)
        return None
