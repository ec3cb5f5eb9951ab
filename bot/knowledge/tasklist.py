"""The county task list (元江县改革完善社会救助制度任务清单) in structured form.

Every FAQ answer rests on task-list items (its `refs`); the renderer needs each item's lead unit
for the source line, and `check` needs the set of valid item numbers. The data lives in
`policy_texts/task_list.yaml`, which a test checks against the published text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "policy_texts" / "task_list.yaml"


@dataclass(frozen=True, slots=True)
class Section:
    number: int
    title: str


@dataclass(frozen=True, slots=True)
class TaskItem:
    number: int
    section: Section
    title: str
    text: str
    lead_unit: str
    responsible_units: tuple[str, ...]
    deadline: str


@dataclass(frozen=True, slots=True)
class TaskList:
    title: str
    items: dict[int, TaskItem]

    def get(self, number: int) -> TaskItem | None:
        return self.items.get(number)


def parse_task_list(data: dict) -> TaskList:
    items: dict[int, TaskItem] = {}
    for raw in data["items"]:
        item = TaskItem(
            number=int(raw["number"]),
            section=Section(int(raw["section"]["number"]), str(raw["section"]["title"])),
            title=str(raw["title"]),
            text=str(raw["text"]),
            lead_unit=str(raw["lead_unit"]),
            responsible_units=tuple(str(u) for u in raw["responsible_units"]),
            deadline=str(raw["deadline"]),
        )
        items[item.number] = item
    return TaskList(title=str(data["title"]), items=items)


def read_task_list(path: Path = DEFAULT_PATH) -> TaskList:
    with path.open(encoding="utf-8") as fh:
        return parse_task_list(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
