"""Figures every programme shares: the standards in force, household income and work ability.

Why: income per person, the 低保 line for the household's area, the low-income band and the 10%
closeness margin are read by several programmes; computing them once keeps the programmes
consistent (one `compare` decides what "near a threshold" means everywhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

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
from bot.rules.household import Area, DisabilityType, Household, Member
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


class Position(StrEnum):
    BELOW = "below"
    NEAR = "near"
    ABOVE = "above"


def money(amount: Decimal | int | float) -> str:
    """Yuan for display: whole numbers without decimals, else two decimals."""
    value = Decimal(str(amount))
    if value == value.to_integral_value():
        return str(int(value))
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class Context:
    """One screening's inputs plus the derived figures, evaluated at `as_of` (county scope)."""

    def __init__(self, household: Household, as_of: date, params: Parameters) -> None:
        self.household = household
        self.as_of = as_of
        self.params = params
        self.where: WhereToApply = where_to_apply(household, as_of, params)
        self.margin = self.number("income.closeness_margin") or Decimal(0)
        self.standard = self._standard()
        self.band_limit = self._scaled("lowincome.band_factor")
        self.deduction = self.number("jiuye.employment_cost_deduction_monthly")
        self.income = self._income_per_person(deduct=True)
        self.gross_income = self._income_per_person(deduct=False)

    @property
    def members(self) -> tuple[Member, ...]:
        return self.household.members

    def number(self, name: str) -> Decimal | None:
        found = self.params.lookup(name, self.as_of)
        return None if found is None or found.value is None else Decimal(str(found.value))

    def _standard(self) -> Decimal | None:
        if self.household.area is None:
            return None
        name = "dibao.urban_monthly" if self.household.area is Area.URBAN else "dibao.rural_monthly"
        return self.number(name)

    def _scaled(self, factor_name: str) -> Decimal | None:
        factor = self.number(factor_name)
        return None if factor is None or self.standard is None else factor * self.standard

    def _income_per_person(self, deduct: bool) -> Decimal | None:
        incomes = [m.monthly_income for m in self.members]
        if any(i is None for i in incomes):
            return None
        total = Decimal(0)
        for member in self.members:
            income = Decimal(str(member.monthly_income))
            if deduct and self.deduction is not None and member.employed:
                income = max(Decimal(0), income - self.deduction)
            total += income
        return total / len(self.members)

    def compare(self, amount: Decimal | None, limit: Decimal | None) -> Position | None:
        """Where an amount sits against a limit; within the closeness margin is NEAR either way."""
        if amount is None or limit is None:
            return None
        if abs(amount - limit) <= self.margin * limit:
            return Position.NEAR
        return Position.BELOW if amount < limit else Position.ABOVE

    def age_limit(self, name: str) -> int | None:
        value = self.number(name)
        return None if value is None else int(value)

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
        if (top_grade is not None and grade is None) or member.disability_type is DisabilityType.UNKNOWN:
            return unknown("work.grade_unknown", (1,))
        if member.age is None or member.able_to_work is False:
            return unknown("work.assess", (1,))
        return failed("work.able", (1,))

    def can_work(self, member: Member) -> bool:
        """A working-age member who is not legally or by own answer unable to work."""
        return self.lacks_work_ability(member).outcome is Outcome.FAILED

    def property_check(
        self, key: str, refs: tuple[int, ...], max_homes: str, assets_limit: Decimal | None
    ) -> Criterion:
        """Property within limits. Every limit is unverified, so exceeding one gives UNKNOWN, never
        FAILED; with no published homes limit, more than one home is flagged for checking."""
        h = self.household
        assets, homes = h.financial_assets, h.homes
        flags = (h.vehicle_over_50k_bought_12m, h.non_residential_property)
        if assets is None or homes is None or None in flags:
            return unknown(f"{key}.unanswered", refs)
        homes_limit = self.number(max_homes) or 1
        concerns = []
        if h.vehicle_over_50k_bought_12m:
            concerns.append("vehicle")
        if h.non_residential_property:
            concerns.append("business")
        if homes > homes_limit:
            concerns.append("homes")
        if assets and (assets_limit is None or Decimal(str(assets)) > assets_limit):
            concerns.append("assets")
        if concerns:
            words = [render(f"property.{concern}") for concern in concerns]
            return unknown(f"{key}.check", refs, items=render("property.separator").join(words))
        return passed(f"{key}.ok", refs)


@dataclass(frozen=True)
class Standing:
    """How far the household is already (or likely) a social-assistance household."""

    assisted: Status    # 低保 or 特困: received now, or screened likely/possible
    low_income: Status  # assisted, or within the low-income band

    @property
    def means(self) -> Status:
        """For 专项救助: assisted households are likely, low-income-band households at most possible."""
        return best_status(self.assisted, weakest_status(self.low_income, Status.POSSIBLE))
