"""Figures every programme shares: the standards in force, the 低保 household, income and work ability.

Why: the 低保 line for the household's area, the low-income band, the closeness margin and the
applicant's 低保 household are read by several programmes; computing them once keeps programmes
consistent, and one ladder (`ladder`) decides everywhere what "below, near or above a line" means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache

from bot.rules.criteria import (
    Criterion,
    Outcome,
    Status,
    best_status,
    failed,
    passed,
    unknown,
    weakest_status,
)
from bot.rules.family import Unit, answerer, unit_of
from bot.rules.household import Area, DisabilityType, Household, Member, ParentStatus, Schooling
from bot.rules.income import Amount, member_income, per_person
from bot.rules.kinship import parents_of
from bot.rules.parameters import Parameters
from bot.rules.texts import render
from bot.rules.where import WhereToApply, where_to_apply

# 特困 "no ability to work" by disability (national rule, July 2021): type → highest qualifying grade.
NO_WORK_DISABILITY = {
    DisabilityType.INTELLECTUAL: 3,
    DisabilityType.MENTAL: 3,
    DisabilityType.PHYSICAL: 2,
    DisabilityType.VISUAL: 1,
}


_PROPERTY_ANSWERS = ("financial_assets", "homes", "vehicle_over_50k_bought_12m", "non_residential_property")


class Position(StrEnum):
    BELOW = "below"
    NEAR = "near"
    RANGE = "range"  # the amount is only known to lie in a range that reaches across the line
    ABOVE = "above"


def money(amount: Decimal | int | float) -> str:
    """Yuan for display: whole numbers without decimals, else two decimals."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return str(int(value))
    return str(value)


@lru_cache(maxsize=64)
def _numbers(params: Parameters, as_of: date) -> dict[str, Decimal | None]:
    """The figures looked up so far for one parameters file and day, shared by every context (a
    `Parameters` never changes; `open_inputs` builds hundreds of contexts for one household)."""
    return {}


class Context:
    """One screening's inputs plus the derived figures, evaluated at `as_of` (county scope)."""

    def __init__(self, household: Household, as_of: date, params: Parameters) -> None:
        self.household = household
        self.as_of = as_of
        self.params = params
        self._numbers = _numbers(params, as_of)
        self._names: dict[int, str] = {}
        self.where: WhereToApply = where_to_apply(household, as_of, params)
        self.margin = self.number("income.closeness_margin") or Decimal(0)
        self.standard = self._standard()
        self.band_limit = self._scaled("lowincome.band_factor")
        self.deduction = self.number("jiuye.employment_cost_deduction_monthly")
        self.adult = self.age_limit("law.adult_age")
        self._incomes: dict[tuple[int, str], Amount | None] = {}
        self._parents: dict[int, tuple[ParentStatus | None, ParentStatus | None]] = {}
        self.unit = self.unit_of(answerer(household))

    def forget(self) -> None:
        """Empty the caches of what was worked out from the members' answers (`bot.rules.reach`
        notes which answers each programme reads)."""
        self._incomes.clear()
        self._parents.clear()

    @property
    def members(self) -> tuple[Member, ...]:
        return self.household.members

    def number(self, name: str) -> Decimal | None:
        if name not in self._numbers:
            found = self.params.lookup(name, self.as_of)
            self._numbers[name] = None if found is None or found.value is None else Decimal(str(found.value))
        return self._numbers[name]

    def age_limit(self, name: str) -> int | None:
        value = self.number(name)
        return None if value is None else int(value)

    def _standard(self) -> Decimal | None:
        if self.household.area is None:
            return None
        name = "dibao.urban_monthly" if self.household.area is Area.URBAN else "dibao.rural_monthly"
        return self.number(name)

    def _scaled(self, factor_name: str) -> Decimal | None:
        factor = self.number(factor_name)
        return None if factor is None or self.standard is None else factor * self.standard

    # -- who and how much --------------------------------------------------------------------------

    def unit_of(self, reference: int) -> Unit:
        return unit_of(self.household, reference, self.adult if self.adult is not None else 0, self.parents)

    def parents(self, index: int) -> tuple[ParentStatus | None, ParentStatus | None]:
        """Member `index`'s (father, mother), answered or taken from parents living at home."""
        if index not in self._parents:
            self._parents[index] = parents_of(self.household, index)
        return self._parents[index]

    def who(self, index: int) -> str:
        """How a member is named to the person answering (申请人, 配偶 …)."""
        if index not in self._names:
            self._names[index] = render(f"relation.{self.members[index].relation.value}")
        return self._names[index]

    def is_adult(self, member: Member) -> bool | None:
        return None if member.age is None or self.adult is None else member.age >= self.adult

    def income(self, index: int, program: str = "dibao") -> Amount | None:
        """Member `index`'s income as `program` counts it (低保 counting deducts employment costs)."""
        key = (index, program)
        if key not in self._incomes:
            deduction = self.deduction if program == "dibao" else None
            member = self.members[index]
            self._incomes[key] = member_income(member, program, self.params, self.as_of, deduction)
        return self._incomes[key]

    def unit_income(self, unit: Unit | None = None) -> Amount | None:
        """Income per person of a 低保 household (the answerer's by default), 低保 counting."""
        unit = unit or self.unit
        return per_person([self.income(i) for i in unit.counted], [self.income(i) for i in unit.unclear])

    def missing_income(self, unit: Unit | None = None) -> str:
        """The members of a 低保 household whose income is not known (so each answer shows progress)."""
        return ",".join(str(i) for i in (unit or self.unit).members if self.income(i) is None)

    # -- the one income ladder ---------------------------------------------------------------------

    def position(self, amount: Amount | None, limit: Decimal | None) -> Position | None:
        """Where an amount sits against a limit: within the closeness margin is NEAR either way; an
        amount known only as a range reaching across the limit is RANGE."""
        if amount is None or limit is None:
            return None
        low, high = self._point(amount.low, limit), self._point(amount.high, limit)
        if high is Position.BELOW:
            return Position.BELOW
        if low is Position.ABOVE:
            return Position.ABOVE
        return Position.NEAR if amount.exact or low is high else Position.RANGE

    def _point(self, amount: Decimal, limit: Decimal) -> Position:
        if abs(amount - limit) <= self.margin * limit:
            return Position.NEAR
        return Position.BELOW if amount < limit else Position.ABOVE

    def ladder(self, key: str, refs: tuple[int, ...], amount: Amount | None, limit: Decimal | None,
               **values: object) -> Criterion:
        """`key.below` passes, `key.near`/`key.range` are unknown, `key.above` fails, `key.unknown`
        when the amount or the line is not known. Messages get {amount} {low} {high} {line}."""
        position = self.position(amount, limit)
        if position is None or amount is None or limit is None:
            lacking = "both" if amount is None and limit is None else "amount" if amount is None else "line"
            return unknown(f"{key}.unknown", refs, lacking=lacking, **values)
        shown = amount.high if position is Position.BELOW else amount.low
        values = {"amount": money(shown), "low": money(amount.low), "high": money(amount.high),
                  "line": money(limit), **values}
        make = {Position.BELOW: passed, Position.ABOVE: failed}.get(position, unknown)
        return make(f"{key}.{position.value}", refs, **values)

    # -- work ability, schooling, property -----------------------------------------------------------

    def lacks_work_ability(self, member: Member) -> Criterion:
        """特困's legal test: ≥ 60, under the minor age, or a qualifying disability."""
        elderly, minor = self.age_limit("tekun.elderly_age"), self.age_limit("tekun.minor_age_limit")
        if member.age is not None and elderly is not None and member.age >= elderly:
            return passed("work.elderly", (1,), age=elderly)
        if member.age is not None and minor is not None and member.age < minor:
            return passed("work.minor", (1,), age=minor)
        grade = member.disability_grade
        top_grade = NO_WORK_DISABILITY.get(member.disability_type) if member.disability_type else None
        if top_grade is not None and grade is not None and grade <= top_grade:
            return passed("work.disability", (1,))
        if member.disability_type is DisabilityType.MULTIPLE and grade in (1, 2, 3):
            return unknown("work.multiple", (1,))
        carded_only = member.disabled and member.disability_type is None and grade is None
        if (top_grade is not None and grade is None) or member.disability_type is DisabilityType.UNKNOWN \
                or carded_only:
            return unknown("work.grade_unknown", (1,))
        if member.disabled is None:
            return unknown("work.disability_unknown", (1,))
        if member.age is None or member.able_to_work is False:
            return unknown("work.assess", (1,))
        return failed("work.able", (1,))

    def can_work(self, member: Member) -> bool:
        """A working-age member who is not legally or by own answer unable to work."""
        return self.lacks_work_ability(member).outcome is Outcome.FAILED

    def at_school(self, member: Member) -> bool | None:
        """At school; an unanswered member outside the school ages is taken as not at school."""
        if member.in_school is not None:
            return member.in_school is not Schooling.NONE
        low, high = self.age_limit("school.age_from"), self.age_limit("school.age_to")
        if member.age is not None and low is not None and high is not None and not low <= member.age <= high:
            return False
        return None

    def property_check(
        self, key: str, refs: tuple[int, ...], max_homes: str, assets_limit: Decimal | None, people: int
    ) -> Criterion:
        """Property within limits. Every limit is unverified, so exceeding one gives UNKNOWN, never
        FAILED. Savings count against a limit only where one is known or plausible: with no known
        limit, savings up to a few months of the 低保 line per person never raise a doubt."""
        h = self.household
        assets, homes = h.financial_assets, h.homes
        missing = [name for name in _PROPERTY_ANSWERS if getattr(h, name) is None]
        if missing:
            return unknown(f"{key}.unanswered", refs, missing=",".join(missing))
        homes_limit = self.number(max_homes) or 1
        concerns = []
        if h.vehicle_over_50k_bought_12m:
            concerns.append("vehicle")
        if h.non_residential_property:
            concerns.append("business")
        if homes is not None and homes > homes_limit:
            concerns.append("homes")
        if assets and Decimal(str(assets)) > (assets_limit or self._assets_floor(people) or Decimal(0)):
            concerns.append("assets")
        if concerns:
            words = [render(f"property.{concern}") for concern in concerns]
            return unknown(f"{key}.check", refs, items=render("property.separator").join(words))
        return passed(f"{key}.ok", refs)

    def _assets_floor(self, people: int) -> Decimal | None:
        months = self.number("property.assets_within_any_limit_months")
        return None if months is None or self.standard is None else months * self.standard * people


@dataclass(frozen=True)
class Standing:
    """How far the household is already (or likely) a social-assistance household."""

    assisted: Status    # 低保 or 特困: received now, or screened likely/possible
    low_income: Status  # assisted, or within the low-income band

    @property
    def means(self) -> Status:
        """For 专项救助: assisted households are likely, low-income-band households at most possible."""
        return best_status(self.assisted, weakest_status(self.low_income, Status.POSSIBLE))
