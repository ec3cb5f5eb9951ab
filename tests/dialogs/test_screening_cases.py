"""The questionnaire over the rules' household cases (tests/rules/cases/*.yaml).

A simulated resident answers each question in words from a case's household (by step id, never
by reading the prompt). Two things are checked: a typical household needs few replies, and the
result in chat equals the case's expected statuses, which shows that the questions the rules
leave out never change a result.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
import redis.asyncio as aioredis

from bot.dialogs import default_flows, screening, screening_needs
from bot.dialogs.screening import ScreeningFlow
from bot.dialogs.screening_household import build
from bot.dialogs.screening_needs import SEVERAL, next_step, several
from bot.engine import Engine, Message
from bot.rules import Household, open_inputs, screen
from bot.rules.inputs import _base, _open_inputs
from bot.services import Services, build_services
from bot.settings import Settings
from tests.rules.casefile import load_cases as rules_cases

USER = "oScreeningCases0001"
DEFAULT_DAY = date(2025, 8, 1)
WORDS = {
    "spouse": "老伴",
    "child": "儿子",
    "parent": "母亲",
    "grandparent": "奶奶",
    "grandchild": "孙子",
    "sibling": "弟弟",
    "parent_in_law": "公公",
    "child_in_law": "儿媳",
    "sibling_in_law": "嫂子",
    "nephew_niece": "侄子",
    "uncle_aunt": "叔叔",
    "other": "亲戚",
}
TYPES = {
    "physical": "肢体",
    "intellectual": "智力",
    "mental": "精神",
    "visual": "视力",
    "hearing": "听力",
    "speech": "言语",
    "multiple": "多重",
    "unknown": "不清楚",
}
SCHOOLS = {
    None: "不知道",
    "none": "没上学",
    "preschool": "上幼儿园",
    "compulsory": "读小学",
    "high_school": "读高中",
    "vocational": "读职高",
    "college": "读大学",
}
PARENTS = {
    "able": "好好的",
    "deceased": "去世了",
    "missing": "联系不上",
    "incarcerated": "在坐牢",
    "disabled_or_ill": "重病",
}
SUPPORTERS = {
    "none": "没有儿女",
    "unable": "有个儿子在外地 他自己都困难 管不了",
    "able": "有个儿子在外地 条件好 能管我",
}
# Case fields the chat does not ask as such: it lets the rules decide work ability, asks the
# household's income after costs (not each kind and cost), the supporters of the household (not of
# each member), and 户籍 once.
NOT_ASKED = {
    "able_to_work",
    "incomes",
    "children_elsewhere",
    "grandchildren_elsewhere",
    "hukou",
    "disability_card",
}
NOT_ASKED_HOUSEHOLD = {"hardship_beyond_means"}
RELATIONS = set(WORDS) | {"applicant"}


def load_cases() -> list[dict[str, Any]]:
    """The rules' cases, each merged over a resident with nothing special to say (answered.yaml)."""
    return [case for _, case in rules_cases()]


def expressible(case: dict[str, Any]) -> bool:
    """Cases the questionnaire can state exactly: answered like a resident with nothing special to
    say (answered.yaml), no field it leaves to the rules or asks differently, no 城乡 unknown beside a
    known 户籍, one member per relation so that replies name them unambiguously, one earner (the chat
    asks for the household's income, not each member's)."""
    h, given = case["household"], case["given"]
    members, named = h["members"], given["members"]
    if case.get("answered", True) is False or ("area" in h and h["area"] is None):
        return False
    if any(k in m for m in named for k in NOT_ASKED) or NOT_ASKED_HOUSEHOLD & set(given):
        return False
    if "current_programs" in given and given["current_programs"] is None:
        return False
    relations = [m["relation"] for m in members[1:]]
    earners = [m for m in members if m.get("monthly_income")]
    if earners and earners[0] is not members[0] and not earners[0].get("employed"):
        return False  # the chat puts an income it cannot attribute on the resident or those who work
    return (
        len(relations) == len(set(relations))
        and all(r in RELATIONS for r in relations)
        and len(earners) <= 1
        and not any(m.get("employed") is None and "employed" in m for m in members)
    )


class Resident:
    """Answers each step from a household in the API's request shape."""

    def __init__(self, household: dict[str, Any]) -> None:
        self.h = household
        self.members = household["members"]

    def answer(self, step: str, answers: dict[str, Any], as_of: date) -> str:
        topic, _, index = step.partition(":")
        draft = build(answers, as_of)
        if topic in SEVERAL:
            return " ".join(self.one(SEVERAL_TOPIC[topic], i, draft) for i in several(topic, draft))
        return self.one(topic, int(index) if index else None, draft)

    def _member(self, index: int, draft: Any) -> dict[str, Any]:
        if index == 0:
            return self.members[0]
        wanted = draft.members[index].relation
        return next(m for m in self.members[1:] if m["relation"] == wanted)

    def one(self, topic: str, index: int | None, draft: Any) -> str:
        h = self.h
        member = self._member(index, draft) if index is not None else self.members[0]
        word = WORDS.get(member["relation"], "")
        if topic == "place":
            hukou, area = h.get("hukou", "yuanjiang"), h.get("area", "rural")
            if hukou is None:
                return "不知道"
            town = "住在县城" if area == "urban" else "住在农村"
            return (
                {"yuanjiang": "元江的", "yunnan_other": "户口在墨江", "outside_yunnan": "四川的"}[hukou]
                + " "
                + town
            )
        if topic == "permit":
            years = h.get("residence_permit_years", 0)
            return "不知道" if years is None else "没有" if years == 0 else f"办了{years}年"
        if topic in ("age", "member_age"):
            age = member.get("age")
            return "不知道" if age is None else f"{word}{age}岁" if topic == "member_age" else f"{age}岁"
        if topic == "household":
            others = [
                f"{WORDS[m['relation']]}{'' if m.get('age') is None else str(m['age']) + '岁'}"
                for m in self.members[1:]
            ]
            return " ".join(others) or "就我一个"
        if topic == "health":
            if any(m.get("serious_illness", False) is None for m in self.members):
                return "不知道"
            said = [
                ("我" if i == 0 else WORDS[m["relation"]]) + "有残疾证"
                for i, m in enumerate(self.members)
                if m.get("disability_type") or m.get("disability_grade")
            ]
            said += [
                ("我" if i == 0 else WORDS[m["relation"]]) + "得了癌症"
                for i, m in enumerate(self.members)
                if m.get("serious_illness")
            ]
            return " ".join(said) or "都没有"
        if topic in ("disabled_who", "ill_who"):
            key = ("disability_type", "disability_grade") if topic == "disabled_who" else ("serious_illness",)
            return (
                " ".join(
                    str(i + 1)
                    for i, p in enumerate(draft.members)
                    if any(self._member(i, draft).get(k) for k in key)
                )
                or "不知道"
            )
        if topic == "disability_type":
            return TYPES.get(member.get("disability_type") or "unknown", "不清楚")
        if topic == "disability_grade":
            grade = member.get("disability_grade")
            return "不清楚" if grade is None else f"{grade}级"
        if topic == "illness":
            return "癌症" if member.get("serious_illness") else "不严重"
        if topic == "school":
            return f"{word}{SCHOOLS[member.get('in_school')]}"
        if topic == "parents":
            father, mother = member.get("father", "able"), member.get("mother", "able")
            if father is None or mother is None:
                return "不知道"
            return f"爸爸{PARENTS[father]} 妈妈{PARENTS[mother]}"
        return self._household_topic(topic)

    def _household_topic(self, topic: str) -> str:
        h = self.h
        if topic == "work":
            workers = [
                ("我" if i == 0 else WORDS[m["relation"]])
                for i, m in enumerate(self.members)
                if m.get("employed")
            ]
            return " ".join(w + "在打工" for w in workers) or "都没有工作"
        if topic == "income":
            incomes = [m.get("monthly_income", 0) for m in self.members]
            return (
                "不知道" if None in incomes else f"一个月{sum(incomes):g}元" if sum(incomes) else "没有收入"
            )
        if topic == "current":
            current = h.get("current_programs", [])
            names = {"dibao": "低保", "tekun": "五保"}
            return " ".join(names[p] for p in current if p in names) or "没有"
        if topic == "supporters":
            supporter = h.get("supporter", "able")
            return "不知道" if supporter is None else SUPPORTERS[supporter]
        if topic in ("property", "savings", "house", "car"):
            return self._property(topic)
        if topic == "earnings":  # asked together: who earns, then the month's income
            return self._household_topic("work") + " " + self._household_topic("income")
        if topic == "hardship":  # asked together: the hardships, then this year's medical costs
            return self._emergency() + " 看病" + self._household_topic("medical_spending")
        if topic == "emergency":
            return self._emergency()
        if topic == "medical_spending":
            expense = h.get("rigid_expense_monthly", 0)
            return "不知道" if expense is None else f"一年{expense * 12:g}元" if expense else "没有花钱"
        if topic == "pension":
            return "没有"
        raise AssertionError(topic)

    def _property(self, topic: str) -> str:
        h = self.h
        assets, homes = h.get("financial_assets", 0), h.get("homes", 1)
        car, shop = h.get("vehicle_over_50k_bought_12m", False), h.get("non_residential_property", False)
        housing = h.get("housing", "safe")
        parts = {
            "savings": "存款不知道" if assets is None else f"存款{assets:g}元" if assets else "存款没有",
            "house": "房子不知道"
            if homes is None or housing is None
            else "没有房子 租的"
            if housing == "none"
            else f"{homes}处房子" + (" 是危房" if housing == "dangerous" else ""),
            "car": "车不知道"
            if car is None or shop is None
            else " ".join(w for w, on in (("有一辆小车", car), ("有个铺面", shop)) if on) or "车也没有",
        }
        if topic == "property":
            return " ".join(parts.values())
        return parts[topic].removeprefix("存款").removeprefix("房子").removeprefix("车")

    def _emergency(self) -> str:
        h = self.h
        flags = [
            h.get("disaster_affected", False),
            h.get("sudden_hardship", False),
            h.get("legal_issue", False),
        ]
        if None in flags:
            return "不知道"
        said = [w for w, on in zip(("遭了洪灾", "出了车祸", "要打官司"), flags, strict=True) if on]
        return " ".join(said) or "没有"


SEVERAL_TOPIC = {"ages": "member_age", "schools": "school"}
_RUNS: dict[str, tuple[int, dict[str, Any]]] = {}
_CHOSEN: dict[str, list[tuple[dict[str, Any], date, str | None]]] = {}  # answers, day, question chosen


async def run(case: dict[str, Any], redis: aioredis.Redis) -> tuple[int, dict[str, Any]]:
    """Replies needed and the stored result for one case (each case is run once per session)."""
    if case["name"] not in _RUNS:
        await redis.flushdb()  # the suite's database: each case starts from nothing
        _RUNS[case["name"]] = await _converse(case, redis)
    return _RUNS[case["name"]]


async def _converse(case: dict[str, Any], redis: aioredis.Redis) -> tuple[int, dict[str, Any]]:
    chosen = _CHOSEN.setdefault(case["name"], [])
    real = screening.next_step

    def recording(answers: Any, as_of: date) -> str | None:
        step = real(answers, as_of)
        chosen.append((dict(answers), as_of, step))
        return step

    screening.next_step = recording
    try:
        return await _play(case, redis)
    finally:
        screening.next_step = real


async def _play(case: dict[str, Any], redis: aioredis.Redis) -> tuple[int, dict[str, Any]]:
    as_of = case.get("as_of", DEFAULT_DAY)
    services: Services = build_services(Settings(_env_file=None), redis=redis)
    flows = default_flows()
    flows["screening"] = ScreeningFlow(today=lambda: as_of)
    engine = Engine(services, flows=flows)
    resident = Resident(case["household"])
    for text in ("自测", "同意"):
        await engine.handle(Message(user=USER, text=text))
    replies = 1
    for _ in range(40):
        state = (await services.sessions.load(USER)).flow
        assert state is not None, case["name"]
        if state.step == "summary":
            break
        text = (
            "对"
            if state.step.startswith("confirm:")
            else "跳过"
            if state.tries >= 2
            else resident.answer(state.step, state.data["answers"], as_of)
        )
        await engine.handle(Message(user=USER, text=text))
        replies += 1
    await engine.handle(Message(user=USER, text="对"))
    stored = await services.screenings.load(USER)
    assert stored is not None, case["name"]
    return replies + 1, stored


CASE_LIST = load_cases()


@contextmanager
def from_scratch() -> Iterator[None]:
    """The question choice without its shortcuts: each candidate question's household evaluated on
    its own (no `like`), and every candidate tried (no stop at `floor`). The rules' caches are
    emptied on the way in and out, so that neither way reuses what the other worked out."""
    saved = screening_needs.open_inputs, screening_needs.floor
    _base.cache_clear()
    _open_inputs.cache_clear()
    screening_needs.open_inputs = lambda h, d, only=None, like=None: open_inputs(h, d, only=only)  # type: ignore[assignment]
    screening_needs.floor = lambda statuses: (9, 9)  # type: ignore[assignment]  # no rank reaches it
    try:
        yield
    finally:
        screening_needs.open_inputs, screening_needs.floor = saved
        _base.cache_clear()
        _open_inputs.cache_clear()


async def test_the_shortcuts_choose_the_questions_evaluating_everything_chooses(
        redis_client: aioredis.Redis) -> None:
    for case in CASE_LIST:
        await run(case, redis_client)
    turns = [turn for case in CASE_LIST for turn in _CHOSEN[case["name"]]]
    with from_scratch():
        plain = [next_step(answers, as_of) for answers, as_of, _ in turns]
    assert plain == [step for _, _, step in turns]
    assert len(turns) > 1000 and sum(s not in screening_needs.ALWAYS for s in plain) > 500


async def test_a_typical_household_needs_at_most_twelve_replies_at_the_median(
        redis_client: aioredis.Redis) -> None:
    counts = [(await run(case, redis_client))[0] for case in CASE_LIST]
    median = statistics.median(counts)
    print(f"replies over {len(counts)} cases: median {median}, max {max(counts)}, min {min(counts)}")
    assert len(counts) >= 80
    assert median <= 12


@pytest.mark.parametrize("case", [c for c in CASE_LIST if expressible(c)], ids=lambda c: c["name"])
async def test_chat_result_matches_the_rules_case(case: dict[str, Any], redis_client: aioredis.Redis) -> None:
    _, stored = await run(case, redis_client)
    statuses = {r["program"]: r["status"] for r in stored["results"]}
    expected = case["expect"]
    assert {p: statuses[p] for p in expected} == expected
    direct = screen(Household.from_dict(stored["household"]), date.fromisoformat(stored["as_of"]))
    assert set(statuses) == {r.program for r in direct.results}  # the stored household is the rules' shape
