"""The shared labels (bot/knowledge/taxonomy.yaml): what an entry answers, and where else to go.

Entries carry `needs:` from this list so that the evaluation sets, written by people who never
saw the entries, can say whether an answer was right. The referral ids name the places for
questions this account does not answer (the referral directory is keyed by them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "taxonomy.yaml"


@dataclass(frozen=True, slots=True)
class Taxonomy:
    needs: frozenset[str]
    referrals: frozenset[str]


def load_taxonomy(path: Path = DEFAULT_PATH) -> Taxonomy:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    needs, referrals = data.get("needs"), data.get("referrals")
    if not isinstance(needs, dict) or not isinstance(referrals, dict) or not needs:
        raise ValueError(f"{path.name}: expected mappings `needs:` and `referrals:` of id -> description")
    return Taxonomy(frozenset(map(str, needs)), frozenset(map(str, referrals)))
