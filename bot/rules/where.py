"""Where a household applies: 户籍地 township, the 元江 township where it lives, or elsewhere.

Why: item 18 lets a Yunnan-registered household apply where it lives once a member has held a local
居住证 for the minimum time (Yunnan guidance, December 2022); households registered outside Yunnan
cannot get 低保/特困 here, though 临时救助 is still given where an emergency happens. A family whose
members are registered in different places applies through the member registered best placed
(policy-facts §2: a family with an out-of-province spouse applies through the Yunnan member).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.rules.criteria import Criterion, failed, passed, unknown
from bot.rules.household import Household, Hukou
from bot.rules.parameters import Parameters, load_parameters
from bot.rules.texts import render

REFS = (18,)


class Place(StrEnum):
    HUKOU_TOWNSHIP = "hukou_township"            # 元江 户籍: own 乡镇(街道) in 元江
    RESIDENCE_TOWNSHIP = "residence_township"    # other Yunnan 户籍 with 居住证 ≥ min years
    HUKOU_ELSEWHERE = "hukou_elsewhere"          # other Yunnan 户籍 without a long enough 居住证
    OUTSIDE_YUNNAN = "outside_yunnan"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class WhereToApply:
    """The place for 户籍-based programmes and the reason, as a criterion on 申办地."""

    place: Place
    criterion: Criterion

    @property
    def here(self) -> bool:
        """True when the household can apply for 低保/特困 in 元江."""
        return self.place in (Place.HUKOU_TOWNSHIP, Place.RESIDENCE_TOWNSHIP)


_RANK = {Place.OUTSIDE_YUNNAN: 0, Place.UNKNOWN: 1, Place.HUKOU_ELSEWHERE: 2, Place.RESIDENCE_TOWNSHIP: 3,
         Place.HUKOU_TOWNSHIP: 4}


def where_to_apply(household: Household, as_of: date, params: Parameters | None = None) -> WhereToApply:
    params = params or load_parameters()
    best = _for_hukou(household.hukou, household, as_of, params)
    for member in household.members:
        if member.hukou is None or member.hukou is household.hukou:
            continue
        option = _for_hukou(member.hukou, household, as_of, params)
        if _RANK[option.place] > _RANK[best.place]:
            relation = render(f"relation.{member.relation.value}")
            criterion = option.criterion
            if option.place is Place.HUKOU_TOWNSHIP:
                criterion = passed("where.member_local", REFS, relation=relation)
            best = WhereToApply(option.place, criterion)
    return best


def _for_hukou(hukou: Hukou | None, household: Household, as_of: date, params: Parameters) -> WhereToApply:
    if hukou is None:
        return WhereToApply(Place.UNKNOWN, unknown("where.hukou_unknown", REFS))
    if hukou is Hukou.YUANJIANG:
        return WhereToApply(Place.HUKOU_TOWNSHIP, passed("where.local", REFS))
    if hukou is Hukou.OUTSIDE_YUNNAN:
        return WhereToApply(Place.OUTSIDE_YUNNAN, failed("where.outside_yunnan", REFS))
    minimum = params.lookup("residence_permit.min_years", as_of)
    if minimum is None or minimum.value is None:
        return WhereToApply(Place.HUKOU_ELSEWHERE, unknown("where.permit_route_not_in_force", REFS))
    held = household.residence_permit_years
    if held is None:
        return WhereToApply(Place.UNKNOWN, unknown("where.permit_unknown", REFS, years=minimum.value))
    if held >= minimum.value:
        return WhereToApply(Place.RESIDENCE_TOWNSHIP, passed("where.permit_ok", REFS, years=minimum.value))
    return WhereToApply(Place.HUKOU_ELSEWHERE, unknown("where.permit_short", REFS, years=minimum.value))
