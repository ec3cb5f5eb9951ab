"""One immutable version of the knowledge: every file read, checked and indexed together.

`build_snapshot` reads the FAQ entries, lexicon, wording, task list, sources, numbers, taxonomy,
calibration and training corpus named by `Sources`, and refuses the lot (KnowledgeError, every
problem listed) if anything is wrong, so a reload never serves half-edited knowledge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot import phonebook
from bot.errors import DataError
from bot.knowledge import calibration as calibration_module
from bot.knowledge import lexicon as lexicon_module
from bot.knowledge import loader, render, tasklist
from bot.knowledge import sources as citations
from bot.knowledge import taxonomy as taxonomy_module
from bot.knowledge import training as training_module
from bot.knowledge.matcher import Index
from bot.knowledge.normalize import Normalizer
from bot.knowledge.schema import Entry, Problem
from bot.rules.parameters import Parameters


class KnowledgeError(DataError):
    """The knowledge files cannot be loaded; `problems` says why, file by file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the knowledge files; first: {problems[0]}")
        self.problems = problems

    def __reduce__(self) -> tuple[type[KnowledgeError], tuple[list[Problem]]]:
        return (type(self), (self.problems,))  # raised in a child process, re-raised here whole


@dataclass(frozen=True, slots=True)
class Sources:
    faq_dir: Path = loader.DEFAULT_DIR
    lexicon_dir: Path = lexicon_module.DEFAULT_DIR
    wording: Path = render.DEFAULT_WORDING
    tasks: Path = tasklist.DEFAULT_PATH
    sources: Path = citations.SOURCES_PATH
    claims: Path = citations.CLAIMS_PATH
    numbers: tuple[Path, ...] = phonebook.DEFAULT_PATHS
    taxonomy: Path = taxonomy_module.DEFAULT_PATH
    calibration: Path | None = calibration_module.DEFAULT_PATH  # None: the prior model
    training: Path | None = training_module.DEFAULT_PATH  # None: phrasings only

    def signature(self) -> tuple[tuple[str, int, int], ...]:
        paths = [
            *loader.faq_files(self.faq_dir),
            *sorted(self.lexicon_dir.glob("*.yaml")),
            self.wording,
            self.tasks,
            self.sources,
            self.claims,
            *self.numbers,
            self.taxonomy,
            *([self.calibration] if self.calibration else []),
            *training_module.files(self.training),
        ]
        found = []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Snapshot:
    entries: dict[str, Entry]
    index: Index
    renderer: render.Renderer
    normalizer: Normalizer
    signature: tuple[tuple[str, int, int], ...]
    claims: tuple[citations.Claim, ...] = ()
    training: tuple[training_module.Example, ...] = ()


def build_snapshot(sources: Sources, parameters: Callable[[], Parameters]) -> Snapshot:
    signature = sources.signature()
    try:
        tasks = tasklist.read_task_list(sources.tasks)
        normalizer = Normalizer(lexicon_module.load_lexicon(sources.lexicon_dir))
        wording = render.load_wording(sources.wording)
        cited = citations.read_sources(sources.sources)
        claims = citations.read_claims(frozenset(tasks.items), cited, sources.claims)
        numbers = phonebook.read_numbers(sources.numbers)
        labels = taxonomy_module.load_taxonomy(sources.taxonomy)
        model = calibration_module.load_model(sources.calibration)
        training = training_module.load_training(sources.training, labels.needs, labels.referrals)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KnowledgeError([Problem(exc.__class__.__name__, 0, "", str(exc))]) from exc
    result = loader.load_directory(sources.faq_dir, frozenset(tasks.items), frozenset(cited), labels.needs)
    unknown = sorted(set(normalizer.lexicon.outside) - labels.referrals)
    problems = list(result.problems) + [
        Problem("outside.yaml", 0, name, "not a referral id of taxonomy.yaml") for name in unknown
    ]
    if problems:
        raise KnowledgeError(problems)
    return Snapshot(
        entries={e.id: e for e in result.entries},
        index=Index(result.entries, normalizer, model, training),
        renderer=render.Renderer(tasks, wording, parameters, cited, numbers),
        normalizer=normalizer,
        signature=signature,
        claims=claims,
        training=training,
    )
