"""The structured task list must say exactly what the published text says (after the recorded repairs)."""

from __future__ import annotations

import re

import yaml

from bot.knowledge.tasklist import DEFAULT_PATH, read_task_list

ORIGINAL = DEFAULT_PATH.parent / "yuanjiang-task-list-2021.txt"
SECTION_NUMERALS = "一二三四五六"


def _repairs() -> list[dict]:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["repairs"]


def _parse_original() -> dict[int, dict]:
    """Independent parse of the published text: numbered paragraph, then 牵头/责任/完成时限 lines."""
    text = ORIGINAL.read_text(encoding="utf-8")
    for repair in _repairs():
        assert text.count(repair["original"]) == 1, repair
        text = text.replace(repair["original"], repair["repaired"])
    items: dict[int, dict] = {}
    section = None
    current: dict | None = None
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        if m := re.fullmatch(r"([一二三四五六])、(.+)", line):
            section = (SECTION_NUMERALS.index(m[1]) + 1, m[2])
        elif m := re.fullmatch(r"(\d+)\.([^。]+)。(.+)", line):
            current = {"section": section, "title": m[2], "text": m[3]}
            items[int(m[1])] = current
        elif current is not None and (m := re.fullmatch(r"(牵头单位|责任单位|完成时限):(.+)", line)):
            current[m[1]] = m[2]
    return items


def test_original_is_the_published_scrape() -> None:
    text = ORIGINAL.read_text(encoding="utf-8")
    assert text.startswith("元江县改革完善社会救助制度任务清单")
    assert "2021-12-26" in text
    assert "〔202032号" in text  # kept unrepaired: repairs live beside it


def test_repairs_are_documented() -> None:
    notes = (DEFAULT_PATH.parent / "REPAIRS.md").read_text(encoding="utf-8")
    for repair in _repairs():
        assert f"`{repair['original']}`" in notes and f"`{repair['repaired']}`" in notes


def test_all_24_items_match_the_original() -> None:
    original = _parse_original()
    tasks = read_task_list()
    assert sorted(original) == list(range(1, 25))
    assert sorted(tasks.items) == list(range(1, 25))
    for number, src in original.items():
        item = tasks.items[number]
        assert item.number == number
        assert (item.section.number, item.section.title) == src["section"]
        assert item.title == src["title"]
        assert item.text == src["text"]
        assert item.lead_unit == src["牵头单位"]
        assert "、".join(item.responsible_units) == re.sub(r",", "、", src["责任单位"])
        assert item.deadline == src["完成时限"]


def test_known_values() -> None:
    tasks = read_task_list()
    assert tasks.items[4].lead_unit == "县医疗保障局"
    assert tasks.items[9].lead_unit == "县委政法委"
    assert tasks.items[16].lead_unit == "县文明办"
    assert tasks.items[1].deadline == "2021年10月底前"
    assert tasks.items[22].deadline == "2021年6月底前,并长期坚持"
    assert tasks.items[23].deadline == "2021年12月底前,并长期坚持"
    assert tasks.items[19].deadline == "2021年底前"
    assert tasks.items[21].responsible_units[4:6] == ("县财政局", "县人力资源和社会保障局")
    assert sorted({i.section.number for i in tasks.items.values()}) == [1, 2, 3, 4, 5, 6]
    assert tasks.items[13].section.title == "完善急难社会救助"
