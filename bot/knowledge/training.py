"""The training corpus: residents' questions labelled with needs, and near misses with referrals.

`training/*.yaml` were written by people who never saw the product, each file by another writer
(`residents.yaml`: training/PROVENANCE.md; `residents-N.yaml`: training/PROVENANCE-residents-N.md).
The corpus is all of them, file by file in name order. It teaches the need classifier (and with
it the out-of-scope detector) how residents put things, and `python -m bot.knowledge calibrate`
chooses the matcher's weights and thresholds by cross-validation on it. It is never an entry's
phrasing, and never part of a development set: the dev sets measure what this corpus taught.

Items: `{text, needs: [ids]}` in scope, `{text, referral: <id>}` out of scope (taxonomy.yaml ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "training"  # a directory of corpus files, or one file
REFERRAL = "referral:"  # class-name prefix of an out-of-scope category in the need classifier


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: tuple[str, ...]  # need ids, best first; or one "referral:<id>"
    form: str = "plain"

    @property
    def out_of_scope(self) -> bool:
        return self.labels[0].startswith(REFERRAL)

    @property
    def referral(self) -> str | None:
        return self.labels[0][len(REFERRAL) :] if self.out_of_scope else None


def files(path: Path | None = DEFAULT_PATH) -> list[Path]:
    """The corpus files: `path` itself, or the YAML files of a directory in name order."""
    if path is None or not path.exists():
        return []
    return sorted(path.glob("*.yaml")) if path.is_dir() else [path]


def load_training(
    path: Path | None = DEFAULT_PATH,
    needs: frozenset[str] = frozenset(),
    referrals: frozenset[str] = frozenset(),
) -> tuple[Example, ...]:
    """The corpus (empty when `path` is None or missing); ids outside the given sets are refused."""
    return tuple(example for found in files(path) for example in _load_file(found, needs, referrals))


def _load_file(path: Path, needs: frozenset[str], referrals: frozenset[str]) -> list[Example]:
    raw = (
        yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        or []
    )
    examples = []
    for number, item in enumerate(raw, start=1):
        text = str(item.get("text") or "").strip()
        if "referral" in item:
            labels: tuple[str, ...] = (REFERRAL + str(item["referral"]),)
            unknown = [str(item["referral"])] if referrals and item["referral"] not in referrals else []
        else:
            labels = tuple(str(n) for n in item.get("needs") or ())
            unknown = [n for n in labels if needs and n not in needs]
        if not text or not labels:
            raise ValueError(f"{path.name} item {number}: needs `text` and `needs` or `referral`")
        if unknown:
            raise ValueError(f"{path.name} item {number}: unknown id(s) {', '.join(unknown)} (taxonomy.yaml)")
        examples.append(Example(text, labels, str(item.get("form") or "plain")))
    return examples
