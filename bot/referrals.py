"""Where to go for what this account does not do: the referral directory (`data/referrals.yaml`).

A resident asking how to replace a lost ID card deserves the right office, not "I cannot
answer". `find(text)` returns the directory entry a question is about, or None; the engine calls
it when the knowledge base has no answer, and the knowledge matcher can call it for a near miss.
Entries carry official names and a phone only where the number is known (12345); the cues use
the pattern language of `bot/phrases.py`, so dialect, homophones and pinyin are heard too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.phrases import Grammar, PatternError, PhraseSet, prepare

REFERRALS_PATH = Path(__file__).parent / "data" / "referrals.yaml"


@dataclass(frozen=True, slots=True)
class Referral:
    id: str  # a referral category of the evaluation taxonomy (pension, hukou-id, …)
    name: str
    phone: str
    note: str


class Directory:
    def __init__(self, path: Path = REFERRALS_PATH) -> None:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        self.entries: dict[str, Referral] = {}
        cues: dict[str, list[str]] = {}
        for item in raw.get("referrals") or []:
            entry = Referral(str(item["id"]), str(item["name"]), str(item.get("phone") or ""),
                             str(item.get("note") or ""))
            self.entries[entry.id] = entry
            cues[entry.id] = [str(c) for c in item.get("cues") or []]
        self._order = list(self.entries)
        self._cues = PhraseSet(cues, Grammar({}))

    def find(self, text: str) -> Referral | None:
        found = {hit.group for hit in self._cues.hits(prepare(text[:500]))}
        return next((self.entries[i] for i in self._order if i in found), None)


@cache
def directory() -> Directory:
    return Directory()


def find(text: str) -> Referral | None:
    """The office a question this account does not answer belongs to, or None."""
    return directory().find(text)


def check_referrals(path: Path = REFERRALS_PATH) -> list[str]:
    """Problems in the directory file (for `python -m bot.knowledge check`)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items = raw["referrals"]
        Directory(path)
    except (OSError, yaml.YAMLError, KeyError, TypeError, PatternError) as exc:
        return [f"{path.name}: {exc}"]
    problems = []
    seen: set[str] = set()
    for item in items:
        rid = item.get("id")
        if not rid or rid in seen:
            problems.append(f"{path.name}: missing or repeated id {rid!r}")
        seen.add(rid)
        if not item.get("name") or not item.get("cues"):
            problems.append(f"{path.name}: {rid} needs a `name` and `cues`")
        phone = str(item.get("phone") or "")
        if phone and not phone.replace("-", "").isdigit():
            problems.append(f"{path.name}: {rid} phone {phone!r} is not a number")
    return problems
