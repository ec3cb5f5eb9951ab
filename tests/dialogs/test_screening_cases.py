"""The questionnaire over the rules' household cases (tests/rules/cases/*.yaml).

A simulated resident answers every question from a case's household, the way a resident would
type it. Two things are measured: how many questions a household needs (the median must stay
≤ 12), and that the result in chat equals the rules' expected statuses, which shows the questions
skipped by `when` conditions never change a result.
"""

from __future__ import annotations

import re
import statistics
from datetime import date
from typing import Any

import pytest
from fakeredis import FakeAsyncRedis

from bot.dialogs import default_flows
from bot.dialogs.screening import ScreeningFlow
from bot.dialogs.screening_household import walk
from bot.dialogs.screening_questions import questionnaire
from bot.engine import Engine, Message
from bot.rules import Household, screen
from bot.screening_results import ScreeningResults
from bot.services import Services, build_services
from bot.settings import Settings
from tests.rules.casefile import load_cases as rules_cases

USER = "oScreeningCases0001"
DEFAULT_DAY = date(2025, 8, 1)
WORDS = {"spouse": "老伴", "child": "儿子", "parent": "母亲", "grandparent": "奶奶", "grandchild": "孙子",
         "sibling": "弟弟", "parent_in_law": "公公", "child_in_law": "儿媳", "nephew_niece": "侄子",
         "sibling_in_law": "亲戚", "uncle_aunt": "叔叔", "other": "亲戚"}
PLACES = {("yuanjiang", "urban"): "1", ("yuanjiang", "rural"): "2", ("yunnan_other", None): "3",
          ("outside_yunnan", None): "4"}
TYPES = ["physical", "intellectual", "mental", "visual", "hearing", "speech", "multiple"]
SCHOOLS = ["none", "preschool", "compulsory", "high_school", "vocational", "college"]
PARENTS = ["able", "deceased", "missing", "incarcerated", "disabled_or_ill"]
SUPPORTERS = ["none", "unable", "able"]
# Case fields the chat does not ask as such (it lets the rules decide, or asks the household total),
# and issue 12's inputs the questionnaire does not ask yet (issue 10 rebuilds it on them).
NOT_ASKED = {"able_to_work", "incomes", "hukou", "children_elsewhere", "grandchildren_elsewhere"}
NOT_ASKED_HOUSEHOLD = {"hardship_beyond_means"}
NOT_OFFERED = {"sibling_in_law", "uncle_aunt"}


def load_cases() -> list[dict[str, Any]]:
    return [case for _, case in rules_cases()]


def expressible(case: dict[str, Any]) -> bool:
    """Cases the questionnaire can state exactly: no per-member income split it cannot know, no
    fields it leaves to the rules."""
    given, members = case["given"], case["household"]["members"]
    if case.get("answered", True) is False or NOT_ASKED_HOUSEHOLD & set(given):
        return False
    if any(m["relation"] in NOT_OFFERED for m in members):
        return False
    if "area" in case["household"] and case["household"]["area"] is None:
        return False  # the chat asks 户籍 and 城乡 in one question
    earners = [m for m in members if m.get("monthly_income")]
    if any(key in m for m in given["members"] for key in NOT_ASKED) or len(earners) > 1:
        return False
    if earners and earners[0] is not members[0] and not earners[0].get("employed"):
        return False  # the chat gives a household total to the workers, else to the resident
    return not any(m.get("employed") and not m.get("monthly_income") for m in members)


class Resident:
    """Answers each question from a household in the API's request shape."""

    def __init__(self, household: dict[str, Any]) -> None:
        self.h = household
        self.members = household["members"]

    def member(self, step: str) -> dict[str, Any]:
        return self.members[int(step.partition(":")[2])]

    def answer(self, step: str, answers: dict[str, Any], as_of: date) -> str:
        h, kind = self.h, step.partition(":")[0]
        if kind == "member":
            index = int(step.partition(":")[2])
            if index >= len(self.members):
                return "没有了"
            other = self.members[index]
            age = "" if other.get("age") is None else f" {other['age']}岁"
            return WORDS[other["relation"]] + age
        method = getattr(self, f"_{kind}", None)
        if method is not None:
            return method(step, answers, as_of)
        return self._unknown_or(h.get(kind))

    @staticmethod
    def _unknown_or(value: Any, text: str | None = None) -> str:
        return "不知道" if value is None else text if text is not None else str(value)

    def _place(self, *_: Any) -> str:
        hukou, area = self.h.get("hukou", "yuanjiang"), self.h.get("area", "rural")
        if hukou is None or (hukou == "yuanjiang" and area is None):
            return "不知道"
        return PLACES[(hukou, area if hukou == "yuanjiang" else None)]

    def _permit(self, *_: Any) -> str:
        years = self.h.get("residence_permit_years", 0)
        return self._unknown_or(years, "没有" if years == 0 else f"{years}年")

    def _area(self, *_: Any) -> str:
        area = self.h.get("area", "rural")
        return self._unknown_or(area, "1" if area == "urban" else "2")

    def _age(self, *_: Any) -> str:
        age = self.members[0].get("age")
        return self._unknown_or(age, f"{age}岁")

    def _member_age(self, step: str, *_: Any) -> str:
        return "不知道"

    def _health(self, *_: Any) -> str:
        if any(m.get("serious_illness", False) is None for m in self.members):
            return "不知道"
        flags = []
        if any(m.get("disability_type") or m.get("disability_grade") for m in self.members):
            flags.append("1")
        if any(m.get("serious_illness") for m in self.members):
            flags.append("2")
        return " ".join(flags) or "没有"

    def _disabled_who(self, *_: Any) -> str:
        return " ".join(str(i + 1) for i, m in enumerate(self.members)
                        if m.get("disability_type") or m.get("disability_grade"))

    def _ill_who(self, *_: Any) -> str:
        return " ".join(str(i + 1) for i, m in enumerate(self.members) if m.get("serious_illness"))

    def _disability_type(self, step: str, *_: Any) -> str:
        kind = self.member(step).get("disability_type")
        if kind in (None, "unknown"):
            return "不知道"
        return str(TYPES.index(kind) + 1)

    def _disability_grade(self, step: str, *_: Any) -> str:
        grade = self.member(step).get("disability_grade")
        return self._unknown_or(grade, f"{grade}级")

    def _school(self, step: str, *_: Any) -> str:
        return self._unknown_or(self.member(step).get("in_school"),
                                str(SCHOOLS.index(self.member(step).get("in_school") or "none") + 1))

    def _parent(self, value: str | None) -> str:
        return self._unknown_or(value, str(PARENTS.index(value) + 1) if value else None)

    def _father(self, step: str, *_: Any) -> str:
        return self._parent(self.member(step).get("father", "able"))

    def _mother(self, step: str, *_: Any) -> str:
        return self._parent(self.member(step).get("mother", "able"))

    def _other_parent(self, step: str, *_: Any) -> str:
        member = self.member(step)
        parents = [member.get("father", "able"), member.get("mother", "able")]
        return self._parent(next((p for p in parents if p != "able"), "able"))

    def _work(self, step: str, answers: dict[str, Any], as_of: date) -> str:
        workers = walk(answers, as_of).draft.workers
        employed = [w for w in workers if self.members[w].get("employed")]
        if any(self.members[w].get("employed", False) is None for w in workers):
            return "不知道"
        if len(workers) == 1:
            return "有" if employed else "没有"
        return " ".join(str(workers.index(w) + 1) for w in employed) or "没有"

    def _income(self, *_: Any) -> str:
        incomes = [m.get("monthly_income", 0) for m in self.members]
        return "不知道" if None in incomes else f"{sum(incomes)}元" if sum(incomes) else "没有"

    def _current(self, *_: Any) -> str:
        current = self.h.get("current_programs", [])
        chosen = [str(["dibao", "tekun"].index(p) + 1) for p in current if p in ("dibao", "tekun")]
        return " ".join(chosen) or "没有"

    def _assets(self, *_: Any) -> str:
        assets = self.h.get("financial_assets", 0)
        return self._unknown_or(assets, f"{assets}元" if assets else "没有")

    def _property(self, *_: Any) -> str:
        h = self.h
        values = [h.get("homes", 1), h.get("vehicle_over_50k_bought_12m", False),
                  h.get("non_residential_property", False)]
        if None in values:
            return "不知道"
        flags = [str(i + 1) for i, on in enumerate([values[0] >= 2, values[1], values[2]]) if on]
        return " ".join(flags) or "没有"

    def _homes(self, *_: Any) -> str:
        return f"{self.h['homes']}套"

    def _supporter(self, *_: Any) -> str:
        supporter = self.h.get("supporter", "able")
        return self._unknown_or(supporter, str(SUPPORTERS.index(supporter) + 1) if supporter else None)

    def _situations(self, *_: Any) -> str:
        h = self.h
        defaults = {"housing": "safe", "disaster_affected": False, "sudden_hardship": False,
                    "rigid_expense_monthly": 0, "legal_issue": False}
        values = [h.get(name, default) for name, default in defaults.items()]
        if None in values:
            return "不知道"
        housing, disaster, sudden, expense, legal = values
        flags = [housing == "dangerous", housing == "none", disaster, sudden, expense > 0, legal]
        return " ".join(str(i + 1) for i, on in enumerate(flags) if on) or "没有"

    def _expense(self, *_: Any) -> str:
        return f"{self.h['rigid_expense_monthly']}元"


_RUNS: dict[str, tuple[int, dict[str, Any]]] = {}


async def run(case: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Questions asked and the stored result for one case (each case is run once per session)."""
    if case["name"] not in _RUNS:
        _RUNS[case["name"]] = await _converse(case)
    return _RUNS[case["name"]]


async def _converse(case: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    as_of = case.get("as_of", DEFAULT_DAY)
    services: Services = build_services(Settings(_env_file=None), redis=FakeAsyncRedis())
    flows = default_flows()
    flows["screening"] = ScreeningFlow(today=lambda: as_of)
    engine = Engine(services, flows=flows)
    resident = Resident(case["household"])
    replies = [await engine.handle(Message(user=USER, text=text)) for text in ("自测", "同意")]
    asked = 0
    for _ in range(60):
        state = (await services.sessions.load(USER)).flow
        assert state is not None, case["name"]
        if state.step == "summary":
            break
        assert questionnaire().is_question(state.step), (case["name"], state.step, replies[-1])
        asked += 1
        text = resident.answer(state.step, state.data["answers"], as_of)
        replies.append(await engine.handle(Message(user=USER, text=text)))
        assert not re.search("没看懂|还是没看懂", replies[-1][0].text), (case["name"], state.step, text)
    await engine.handle(Message(user=USER, text="确认"))
    stored = await ScreeningResults(services.redis, services.sealer, services.settings.draft_ttl).load(USER)
    assert stored is not None, case["name"]
    return asked, stored


CASE_LIST = load_cases()


async def test_a_simple_household_needs_at_most_twelve_questions_at_the_median() -> None:
    counts = [(await run(case))[0] for case in CASE_LIST]
    median = statistics.median(counts)
    print(f"questions over {len(counts)} cases: median {median}, max {max(counts)}, min {min(counts)}")
    assert len(counts) >= 80
    assert median <= 12


@pytest.mark.parametrize("case", [c for c in CASE_LIST if expressible(c)], ids=lambda c: c["name"])
async def test_chat_result_matches_the_rules_case(case: dict[str, Any]) -> None:
    _, stored = await run(case)
    statuses = {r["program"]: r["status"] for r in stored["results"]}
    expected = case["expect"]
    assert {p: statuses[p] for p in expected} == expected
    direct = screen(Household.from_dict(stored["household"]), date.fromisoformat(stored["as_of"]))
    assert statuses == {r.program: r.status.value for r in direct.results}
