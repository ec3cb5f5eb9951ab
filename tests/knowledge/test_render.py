"""Placeholders become today's county figure with unit and date; the source line comes from refs."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.knowledge.render import Renderer, load_wording, placeholders
from bot.knowledge.schema import Entry
from bot.knowledge.sources import read_sources
from bot.knowledge.tasklist import read_task_list
from bot.phonebook import phonebook
from bot.rules.parameters import Parameters, load_parameters, parse_parameters


def _entry(answer: str, refs: tuple[int, ...], sources: tuple[str, ...] = ()) -> Entry:
    return Entry("x", "q", (), answer, refs, "standards", dt.date(2026, 1, 1), "f.yaml", 1, sources)


def _renderer(params: Parameters) -> Renderer:
    return Renderer(read_task_list(), load_wording(), lambda: params, read_sources(), phonebook())


@pytest.fixture
def verified() -> Parameters:
    entry = {"value": 800, "verified": True, "source": "县民政局文件"}
    return parse_parameters(
        {
            "parameters": {
                "dibao.urban_monthly": {
                    "unit": "元/人·月",
                    "updated_yearly": "07-01",
                    "county": [
                        {"effective_from": dt.date(2025, 7, 1), **entry},
                        {"effective_from": dt.date(2026, 7, 1), **entry, "value": 820},
                    ],
                },
                "linshi.amount": {
                    "unit": "元",
                    "county": [
                        {
                            "effective_from": dt.date(2025, 1, 1),
                            "value": None,
                            "verified": False,
                            "source": "未知",
                        }
                    ],
                },
            }
        }
    )


def test_source_line_groups_items_by_lead_unit() -> None:
    renderer = _renderer(load_parameters())
    assert renderer.source_line((4,)) == "依据：任务清单第4条（牵头单位：县医疗保障局）"
    assert renderer.source_line((1, 18, 4)) == (
        "依据：任务清单第1、18条（牵头单位：县民政局）；第4条（牵头单位：县医疗保障局）"
    )


def test_source_line_names_other_sources_after_the_task_list() -> None:
    renderer = _renderer(load_parameters())
    assert renderer.source_line((18,), ("dibao-measures", "service")) == (
        "依据：任务清单第18条（牵头单位：县民政局）；《最低生活保障审核确认办法》（民发〔2021〕57号）；本服务说明"
    )
    assert renderer.source_line((), ("civil-code",)) == "依据：《中华人民共和国民法典》"


def test_unverified_county_value_from_the_shipped_parameters() -> None:
    text = _renderer(load_parameters()).render(
        _entry("城市低保标准是$[dibao.urban_monthly]。", (2,)), dt.date(2025, 8, 1)
    )
    params = load_parameters().lookup("dibao.urban_monthly", on=dt.date(2025, 8, 1), scope="county")
    assert params is not None and not params.verified
    assert text.splitlines() == [
        f"城市低保标准是{params.value}元/人·月。",
        "注：以上标准自2025年7月1日起执行，以县民政局公布为准。",
        "依据：任务清单第2条（牵头单位：县民政局）",
    ]


def test_verified_value_in_force_on_the_day(verified: Parameters) -> None:
    renderer = _renderer(verified)
    entry = _entry("标准是$[dibao.urban_monthly]。", (2,))
    assert renderer.render(entry, dt.date(2026, 6, 30)).splitlines()[:2] == [
        "标准是800元/人·月。",
        "注：以上标准自2025年7月1日起执行。",
    ]
    assert renderer.render(entry, dt.date(2026, 7, 1)).startswith("标准是820元/人·月。")


def test_a_standard_past_its_yearly_revision_says_it_may_have_changed(verified: Parameters) -> None:
    renderer = _renderer(verified)
    entry = _entry("标准是$[dibao.urban_monthly]。", (2,))
    text = renderer.render(entry, dt.date(2027, 7, 2))  # the 2027 revision is due, the newest is 2026
    assert text.startswith("标准是820元/人·月。")
    note = text.splitlines()[1]
    assert "2026年7月1日" in note and "7月1日前后调整" in note and "可能已经有新标准" in note
    assert "民政办" in note  # where to ask
    assert "可能已经有新标准" not in renderer.render(entry, dt.date(2027, 6, 30))


def test_shipped_standards_are_stale_on_2026_12_01() -> None:
    entry = _entry("标准是$[dibao.urban_monthly]。", (2,))
    text = _renderer(load_parameters()).render(entry, dt.date(2026, 12, 1))
    assert "可能已经有新标准" in text and "2025年7月1日" in text


def test_other_unverified_figures_get_a_plain_note() -> None:
    text = _renderer(load_parameters()).fill("年满$[tekun.elderly_age]的老人。", dt.date(2026, 12, 1))
    assert text.splitlines() == ["年满60周岁的老人。", load_wording().rule_note_unverified]


def test_phone_numbers_come_from_the_phone_book() -> None:
    renderer = _renderer(load_parameters())
    text = renderer.fill("着火打$[tel.fire]，有人受伤打$[tel.ambulance]。", dt.date(2026, 12, 1))
    assert text == f"着火打{phonebook()['fire'].number}，有人受伤打{phonebook()['ambulance'].number}。"
    assert renderer.fill("打$[tel.nobody]", dt.date(2026, 12, 1)) == "打（号码以县民政局公布为准）"


def test_unknown_value_is_never_invented(verified: Parameters) -> None:
    text = _renderer(verified).fill(
        "临时救助金额是$[linshi.amount]，另见$[no.such.name]。", dt.date(2026, 1, 1)
    )
    assert text == "临时救助金额是（具体标准以县民政局公布为准），另见（具体标准以县民政局公布为准）。"


def test_placeholders_and_literal_template_text() -> None:
    assert placeholders("$[a.b] 和 $[c_d.e1]") == ["a.b", "c_d.e1"]
    text = _renderer(load_parameters()).fill("{{ x }} <b>不会被执行</b>", dt.date(2026, 1, 1))
    assert text == "{{ x }} <b>不会被执行</b>"
