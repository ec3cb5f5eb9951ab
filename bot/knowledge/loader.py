"""Read every FAQ file of a directory into entries, collecting problems instead of stopping at the first.

Used both by the running knowledge base (which refuses a reload that has problems and keeps the
last good version) and by `python -m bot.knowledge check` (which prints them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.knowledge.schema import Entry, Problem, load_yaml, parse_entry

DEFAULT_DIR = Path(__file__).resolve().parent / "faq"
PATTERNS = ("*.yaml", "*.yml")


@dataclass(frozen=True, slots=True)
class LoadResult:
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]


def faq_files(directory: Path) -> list[Path]:
    return sorted(p for pattern in PATTERNS for p in directory.rglob(pattern) if p.is_file())


def load_directory(
    directory: Path, valid_refs: frozenset[int], valid_sources: frozenset[str] | None = None
) -> LoadResult:
    entries: list[Entry] = []
    problems: list[Problem] = []
    files = faq_files(directory)
    if not files:
        problems.append(Problem(str(directory), 0, "", "no knowledge files (*.yaml) found"))
    for path in files:
        name = path.relative_to(directory).as_posix()
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problems.append(Problem(name, 0, "", "the file must be saved as UTF-8"))
            continue
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            problems.append(Problem(name, line, "", f"not valid YAML ({getattr(exc, 'problem', exc)})"))
            continue
        if data is None:
            continue
        if not isinstance(data, list):
            problems.append(
                Problem(name, 0, "", "the file must be a list of entries (each starting with '- id:')")
            )
            continue
        for index, raw in enumerate(data):
            entry, found = parse_entry(raw, name, index, valid_refs, valid_sources)
            problems.extend(found)
            if entry is not None:
                entries.append(entry)
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            first = seen[entry.id]
            problems.append(
                Problem(entry.file, entry.line, entry.id, f"duplicate id (also in {first.file}:{first.line})")
            )
        else:
            seen[entry.id] = entry
    return LoadResult(entries=tuple(seen.values()), problems=tuple(problems))
