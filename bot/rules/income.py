"""Income as the rules count it: net of necessary costs, without what a programme leaves out.

Why: a farmer who sells 700 元 a month and keeps about 300 has 300 of income, and the 低保 payment,
优待抚恤金 or the residents' pension's central basic part are not income at all (policy-facts §3,
§7). What each programme leaves out is data (`income_rules` in parameters.yaml). Where a cost, an
amount or a rule is not known, the counted income is a range; a line inside the range is a
`possible`, never an `unlikely`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.rules.household import COSTED_KINDS, IncomeKind, Member
from bot.rules.parameters import IncomeRule, Parameters

# Income by its nature (wages, net business and property income, transfers): counted by every rule
# unless a rule says otherwise, and also before any dated rule is in force.
PLAIN_INCOME = frozenset({
    IncomeKind.WAGES, IncomeKind.FARMING, IncomeKind.BUSINESS, IncomeKind.PROPERTY,
    IncomeKind.FAMILY_SUPPORT, IncomeKind.EMPLOYEE_PENSION, IncomeKind.OTHER,
})
ZERO = Decimal(0)


@dataclass(frozen=True)
class Amount:
    """A monthly amount known to lie between `low` and `high`, with what shaped it: kinds left out,
    kinds reduced by a part that is not counted, kinds whose treatment or costs are not known."""

    low: Decimal
    high: Decimal
    left_out: frozenset[IncomeKind] = frozenset()
    partly: frozenset[IncomeKind] = frozenset()
    unclear: frozenset[IncomeKind] = frozenset()
    uncosted: frozenset[IncomeKind] = frozenset()

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def __add__(self, other: Amount) -> Amount:
        return Amount(self.low + other.low, self.high + other.high, self.left_out | other.left_out,
                      self.partly | other.partly, self.unclear | other.unclear,
                      self.uncosted | other.uncosted)

    def per(self, people: int) -> Amount:
        return Amount(self.low / people, self.high / people, self.left_out, self.partly, self.unclear,
                      self.uncosted)


def _number(params: Parameters, name: str, on: date) -> Decimal | None:
    found = params.lookup(name, on)
    return None if found is None or found.value is None else Decimal(str(found.value))


def _treat(rule: IncomeRule | None, kind: IncomeKind, net: Amount, params: Parameters, on: date) -> Amount:
    """One item's net amount as `rule` counts it."""
    if rule is None:
        return net if kind in PLAIN_INCOME else Amount(ZERO, net.high, unclear=frozenset({kind}))
    if kind in rule.not_counted:
        return Amount(ZERO, ZERO, left_out=frozenset({kind}))
    if kind in rule.unclear:
        return Amount(ZERO, net.high, unclear=frozenset({kind}))
    if kind in rule.minus:
        part = _number(params, rule.minus[kind], on)
        low = ZERO if part is None else max(ZERO, net.low - part)
        high = net.high if part is None else max(ZERO, net.high - part)
        return Amount(low, high, partly=frozenset({kind}))
    return net


def member_income(member: Member, program: str, params: Parameters, on: date,
                  deduction: Decimal | None = None) -> Amount | None:
    """The member's monthly income as `program` ("dibao" or "tekun") counts it; None if unknown.
    `deduction` is the necessary employment cost taken off an employed member's wages."""
    if member.monthly_income is None and member.incomes is None:
        return None
    items = member.incomes or ()
    if any(item.monthly is None for item in items):
        return None
    rule = params.income_rule(program, on)
    legacy = Decimal(str(member.monthly_income or 0))
    wages = sum((Decimal(str(i.monthly)) for i in items if i.kind is IncomeKind.WAGES), ZERO)
    if deduction is not None:
        if wages:
            wages = max(ZERO, wages - deduction)
        elif member.employed:
            legacy = max(ZERO, legacy - deduction)
    total = Amount(legacy, legacy) + _treat(rule, IncomeKind.WAGES, Amount(wages, wages), params, on)
    for item in items:
        if item.kind is IncomeKind.WAGES:
            continue
        gross = Decimal(str(item.monthly))
        if item.kind in COSTED_KINDS and item.costs_monthly is None:
            net = Amount(ZERO, gross, uncosted=frozenset({item.kind}))
        else:
            kept = max(ZERO, gross - Decimal(str(item.costs_monthly or 0)))
            net = Amount(kept, kept)
        total += _treat(rule, item.kind, net, params, on)
    return total


def earns_wages(member: Member) -> bool | None:
    """Whether the member has employment income (wages, or said to be employed)."""
    if member.employed or any(i.kind is IncomeKind.WAGES for i in member.incomes or ()):
        return True
    return None if member.employed is None and member.incomes is None else False


def per_person(counted: Iterable[Amount | None], unclear: Iterable[Amount | None]) -> Amount | None:
    """Income per person of a household whose `unclear` members may or may not belong to it: the
    lowest and highest averages over the ways they can be counted. None if an income is unknown."""
    members = list(counted)
    maybe = list(unclear)
    if not members or None in members or None in maybe:
        return None
    known = [m for m in members if m is not None]
    extra = [m for m in maybe if m is not None]
    total = sum(known[1:], known[0])
    low = _extreme(total.low, len(known), sorted(m.low for m in extra), lower=True)
    high = _extreme(total.high, len(known), sorted((m.high for m in extra), reverse=True), lower=False)
    notes = sum(extra, total)
    return Amount(low, high, notes.left_out, notes.partly, notes.unclear, notes.uncosted)


def _extreme(total: Decimal, people: int, incomes: list[Decimal], lower: bool) -> Decimal:
    """Add members (best first) while each moves the average the wanted way."""
    for income in incomes:
        average = total / people
        if (income < average) if lower else (income > average):
            total, people = total + income, people + 1
    return total / people
