"""What an answer may cite, and which source makes which claim (policy_texts/sources.yaml, claims.yaml).

Why: an answer's 依据 line is a promise that the source says what the answer says. A task-list item
cited for a product feature or a national rule it never mentions misleads the resident and the
reviewing officer. `claims.yaml` is the reviewed mapping: each claim an answer can make, the words
that show an answer makes it (`cues`, regular expressions), and the sources that make it — task-list
items (`items`) or other sources (`sources`, ids of sources.yaml). `citation_problems` then holds
every entry to two rules: each source it cites makes one of the claims found in its answer, and
each claim found has one of its sources cited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.schema import Entry

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy_texts"
SOURCES_PATH = POLICY_DIR / "sources.yaml"
CLAIMS_PATH = POLICY_DIR / "claims.yaml"
KINDS = frozenset({"national", "provincial", "county", "service"})


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    cite: str
    kind: str
    verified: bool
    note: str


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    says: str
    cues: tuple[re.Pattern[str], ...]
    items: frozenset[int]
    sources: frozenset[str]

    def found_in(self, text: str) -> bool:
        return any(cue.search(text) for cue in self.cues)


def read_sources(path: Path = SOURCES_PATH) -> dict[str, Source]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: dict[str, Source] = {}
    for key, raw in (data.get("sources") or {}).items():
        if raw.get("kind") not in KINDS or not str(raw.get("cite") or "").strip():
            raise ValueError(f"{path.name}: {key}: needs `cite` and a kind of {sorted(KINDS)}")
        if not isinstance(raw.get("verified"), bool):
            raise ValueError(f"{path.name}: {key}: verified must be true or false")
        found[str(key)] = Source(str(key), str(raw["cite"]).strip(), raw["kind"], raw["verified"],
                                 " ".join(str(raw.get("note") or "").split()))
    return found


def _claim(raw: dict[str, Any], items: frozenset[int], sources: Mapping[str, Source], name: str) -> Claim:
    claim_id = str(raw.get("id") or "")
    cues = raw.get("cues")
    if not claim_id or not str(raw.get("says") or "").strip() or not isinstance(cues, list) or not cues:
        raise ValueError(f"{name}: every claim needs id, says and a list of cues ({claim_id or raw!r})")
    refs = frozenset(int(i) for i in raw.get("items") or ())
    cited = frozenset(str(s) for s in raw.get("sources") or ())
    if not refs and not cited:
        raise ValueError(f"{name}: claim {claim_id}: no source makes it (items or sources)")
    if refs - items or cited - set(sources):
        raise ValueError(f"{name}: claim {claim_id}: unknown items {sorted(refs - items)} "
                         f"or sources {sorted(cited - set(sources))}")
    try:
        patterns = tuple(re.compile(str(c)) for c in cues)
    except re.error as exc:
        raise ValueError(f"{name}: claim {claim_id}: bad cue ({exc})") from exc
    return Claim(claim_id, " ".join(str(raw["says"]).split()), patterns, refs, cited)


def read_claims(
    items: frozenset[int], sources: Mapping[str, Source], path: Path = CLAIMS_PATH
) -> tuple[Claim, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    claims = tuple(_claim(raw, items, sources, path.name) for raw in data.get("claims") or ())
    ids = [c.id for c in claims]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path.name}: claim ids must be unique")
    return claims


def claims_in(entry: Entry, claims: tuple[Claim, ...]) -> list[Claim]:
    return [claim for claim in claims if claim.found_in(entry.answer)]


def citation_problems(entry: Entry, claims: tuple[Claim, ...]) -> list[str]:
    """Why the entry's citations do not match the claims its answer makes (empty when they do)."""
    found = claims_in(entry, claims)
    made_items = {i for c in found for i in c.items}
    made_sources = {s for c in found for s in c.sources}
    problems = [
        f"cites task-list item {item}, but the answer makes none of the claims that item makes "
        "(policy_texts/claims.yaml); cite it only where it says what the answer says"
        for item in entry.refs if item not in made_items
    ]
    problems += [
        f"cites source {source!r}, but the answer makes none of the claims it makes (claims.yaml)"
        for source in entry.sources if source not in made_sources
    ]
    for claim in found:
        if not (claim.items & set(entry.refs) or claim.sources & set(entry.sources)):
            options = [f"item {i}" for i in sorted(claim.items)] + sorted(claim.sources)
            problems.append(f"the answer says {claim.says!r} ({claim.id}) without its source; "
                            f"cite one of: {', '.join(options)}")
    return problems
