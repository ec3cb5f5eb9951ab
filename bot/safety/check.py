"""What can be wrong in the cue file, for `python -m bot.knowledge check` and `python -m bot.safety check`.

Beyond loading (`cues.load_cues`: structure, patterns, number ids), every category's own
`examples` must raise it and its `not_examples` must raise nothing, so a staff edit that breaks
a cue, or a new cue that fires on a known look-alike, is caught before it serves residents.
"""

from __future__ import annotations

from pathlib import Path

from bot.safety.cues import CUES_PATH, CueError, load_cues
from bot.safety.detector import Detector


def cue_problems(path: Path = CUES_PATH) -> list[str]:
    try:
        book = load_cues(path)
    except CueError as exc:
        return [f"{path.name}: {p}" for p in exc.problems]
    detector = Detector(book)
    problems = []
    for category in book.categories.values():
        if not category.examples:
            problems.append(f"{path.name}: {category.id} has no `examples`")
        for example in category.examples:
            found = detector.detect(example)
            if found is None or category.id not in found.categories:
                got = ", ".join(found.categories) if found else "nothing"
                problems.append(f"{path.name}: {category.id} example {example!r} raises {got}")
        for example in category.not_examples:
            found = detector.detect(example)
            if found is not None:
                raised = ", ".join(found.categories)
                problems.append(f"{path.name}: {category.id} look-alike {example!r} raises {raised}")
    return problems
