"""Staff-editable word lists that shape matching (bot/knowledge/lexicon/*.yaml).

Kept as data so that civil-affairs staff can teach the bot a new dialect word or synonym without a
developer: fillers to drop, colloquial forms and domain synonyms to rewrite, and the cues that mark
a question as in or out of scope, and example questions that belong to another office
(outside.yaml, keyed by the referral ids of taxonomy.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.errors import DataError

DEFAULT_DIR = Path(__file__).resolve().parent / "lexicon"


class LexiconError(DataError):
    """A lexicon file is malformed (reported by `check` and by hot reload)."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    fillers: tuple[str, ...]
    colloquial: dict[str, str]  # spoken form -> standard form
    synonyms: dict[str, str]  # variant -> canonical term
    in_scope: tuple[str, ...]
    out_of_scope: tuple[str, ...]
    outside: dict[str, tuple[str, ...]] = field(default_factory=dict)  # referral id -> example questions


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path.name}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path.name}: expected a mapping at the top level")
    return data


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str | int) and str(v) for v in value):
        raise LexiconError(f"{where}: expected a list of non-empty words")
    return tuple(str(v) for v in value)


def load_lexicon(directory: Path = DEFAULT_DIR) -> Lexicon:
    fillers = _strings(_read(directory / "fillers.yaml").get("fillers", []), "fillers.yaml")
    colloquial_raw = _read(directory / "colloquial.yaml").get("colloquial", {})
    if not isinstance(colloquial_raw, dict):
        raise LexiconError("colloquial.yaml: expected a mapping spoken form -> standard form")
    colloquial = {str(k): str(v) for k, v in colloquial_raw.items()}
    synonyms: dict[str, str] = {}
    groups = _read(directory / "synonyms.yaml").get("synonyms", {})
    if not isinstance(groups, dict):
        raise LexiconError("synonyms.yaml: expected a mapping canonical term -> list of variants")
    for canonical, variants in groups.items():
        for variant in _strings(variants, f"synonyms.yaml: {canonical}"):
            if variant in synonyms and synonyms[variant] != str(canonical):
                raise LexiconError(
                    f"synonyms.yaml: {variant} is listed under both {synonyms[variant]} and {canonical}"
                )
            synonyms[variant] = str(canonical)
    scope = _read(directory / "scope.yaml")
    outside_raw = (
        _read(directory / "outside.yaml").get("outside", {}) if (directory / "outside.yaml").exists() else {}
    )
    if not isinstance(outside_raw, dict):
        raise LexiconError("outside.yaml: expected a mapping referral id -> list of example questions")
    outside = {str(k): _strings(v, f"outside.yaml: {k}") for k, v in outside_raw.items()}
    return Lexicon(
        fillers=fillers,
        colloquial=colloquial,
        synonyms=synonyms,
        in_scope=_strings(scope.get("in_scope", []), "scope.yaml: in_scope"),
        out_of_scope=_strings(scope.get("out_of_scope", []), "scope.yaml: out_of_scope"),
        outside=outside,
    )
