"""policy_texts/REVIEW.md: every entry with its sources and review date, and what is unverified.

Why: before launch 县民政局 signs off what the bot tells residents. The review file has hand-written
parts (how the review was done, open questions) and two parts generated from the data — the entry
table and the list of unverified figures and sources — so they cannot drift from what ships.
`python -m bot.knowledge review` rewrites the generated parts; a test fails when they are stale.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

from bot.knowledge.snapshot import Snapshot
from bot.knowledge.sources import Source
from bot.rules.parameters import Parameters

REVIEW_PATH = Path(__file__).resolve().parents[2] / "policy_texts" / "REVIEW.md"
_SECTION = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end -->)", re.S)
_DATE = re.compile(r"<!-- review-date: (\d{4}-\d{2}-\d{2}) -->")


def review_date(text: str) -> dt.date:
    """The day the review speaks of (the figures in force then), written in the file itself."""
    match = _DATE.search(text)
    if match is None:
        raise ValueError("REVIEW.md lacks its <!-- review-date: YYYY-MM-DD --> line")
    return dt.date.fromisoformat(match.group(1))


def entries_table(snapshot: Snapshot) -> str:
    rows = ["| entry | file | task-list items | other sources | reviewed |", "|---|---|---|---|---|"]
    for entry in sorted(snapshot.entries.values(), key=lambda e: (e.file, e.line)):
        items = "、".join(map(str, entry.refs)) or "–"
        rows.append(f"| `{entry.id}` | {entry.file} | {items} | {', '.join(entry.sources) or '–'} "
                    f"| {entry.reviewed.isoformat()} |")
    return "\n".join(rows)


def unverified_list(params: Parameters, sources: Mapping[str, Source], on: dt.date) -> str:
    lines = [f"Figures in force on {on.isoformat()} that 县民政局 has not verified "
             "(`policy_texts/parameters.yaml`, county scope):", ""]
    lines += ["| parameter | value | since | source |", "|---|---|---|---|"]
    for name in params.names():
        value = params.lookup(name, on)
        if value is None or value.verified:
            continue
        shown = "unknown" if value.value is None else f"{value.value:g} {value.unit}"
        stale = " (due for the yearly revision)" if params.stale(name, on) else ""
        lines.append(f"| `{name}` | {shown}{stale} | {value.effective_from.isoformat()} | {value.source} |")
    lines += ["", "Sources cited by answers, as we hold them; not yet checked against the official "
              "documents (`policy_texts/sources.yaml`):", ""]
    lines += [f"- `{s.id}` — {s.cite}: {s.note}" for s in sources.values() if not s.verified]
    return "\n".join(lines)


def refresh(text: str, parts: Mapping[str, str]) -> str:
    """The review text with each generated section replaced by `parts[name]`."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{parts[name]}\n{match.group(4)}" if name in parts else match.group(0)

    return _SECTION.sub(replace, text)


def generated_parts(snapshot: Snapshot, params: Parameters, sources: Mapping[str, Source],
                    on: dt.date) -> dict[str, str]:
    return {"entries": entries_table(snapshot), "unverified": unverified_list(params, sources, on)}
