"""The application itself: built from the screening answers plus what the chat collected.

Why: a resident who has just answered the questionnaire should not type it all again. The payload
follows the national field groups for a 低保/特困 application (../shared/facts/policy-facts.md §5);
it is a summary prepared from those requirements, not the official 86-item form, so every field the
chat did not collect carries the `待补充` marker for the official flow instead of a guess.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, fields
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from bot.application.identity import IdNumber
from bot.application.model import labels, now_iso
from bot.rules.household import Household, Member

SCHEMA_VERSION = "application-v1"
SCHEMA_PATH = Path(__file__).parent / "schema" / f"{SCHEMA_VERSION}.json"
ELIGIBLE = ("likely", "possible")


def pending() -> str:
    return labels()["pending"]


def eligible_programs(result: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The programmes a screening result rates `likely` or `possible`, in its order."""
    if not result:
        return []
    return [p for p in result.get("results", []) if p.get("status") in ELIGIBLE]


def _defaults(cls: type) -> dict[str, Any]:
    return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


def _known(value: Any) -> Any:
    """An answer as given, or the pending marker when the resident did not know (None)."""
    return pending() if value is None else value


def _member(raw: dict[str, Any]) -> dict[str, Any]:
    data = {**_defaults(Member), **raw}
    disabled = data.get("disability_type") is not None or data.get("disability_grade") is not None
    member: dict[str, Any] = {
        "relation": data["relation"],
        "age": _known(data["age"]),
        "disability_type": data["disability_type"],
        "disability_grade": data["disability_grade"],
        "serious_illness": _known(data["serious_illness"]),
        "able_to_work": _known(data["able_to_work"]),
        "employed": _known(data["employed"]),
        "in_school": None if data["in_school"] == "none" else data["in_school"],  # "none": not at school
        "living_together": pending(),
    }
    if disabled:
        member["disability_card"] = pending()
    if data["relation"] != "applicant":
        member = {"name": pending(), "id_number": pending(), **member}
    return member


def _causes(house: dict[str, Any], members: list[dict[str, Any]], programs: list[str]) -> list[str]:
    flags = {
        "disability": any(m.get("disability_type") or m.get("disability_grade") for m in members),
        "serious_illness": any(m.get("serious_illness") is True for m in members),
        "no_work_ability": any(m.get("able_to_work") is False for m in members),
        "no_supporter": house["supporter"] in ("none", "unable"),
        "unsafe_housing": house["housing"] in ("dangerous", "none"),
        "disaster": house["disaster_affected"] is True,
        "sudden_hardship": house["sudden_hardship"] is True,
        "rigid_spending": bool(house["rigid_expense_monthly"]),
        "low_income": "dibao" in programs,
    }
    return [cause for cause, present in flags.items() if present]


def build_payload(result: dict[str, Any], person: IdNumber, name: str, phone: str,
                  township: dict[str, str], village: str | None, consented_at: dict[str, str],
                  now: datetime | None = None) -> dict[str, Any]:
    """The application JSON (schema `application-v1`) for the eligible programmes of `result`."""
    house = {**_defaults(Household), **result["household"]}
    raw_members = [{**_defaults(Member), **m} for m in house.get("members", [])]
    incomes = [m.get("monthly_income") for m in raw_members]
    programs = [{k: p[k] for k in ("program", "name", "status", "refs")} for p in eligible_programs(result)]
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "application",
        "basis": "national_requirements",
        "prepared_at": now_iso(now),
        "screening_as_of": str(result["as_of"]) if result.get("as_of") else None,
        "applicant": {
            "name": name,
            "id_number": person.value,
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat(),
            "phone": phone,
            "ethnicity": pending(),
            "hukou": _known(house["hukou"]),
            "area": _known(house["area"]),
            "residence_permit_years": _known(house["residence_permit_years"]),
            "current_address": pending(),
            "payment_account": pending(),
        },
        "members": [_member(m) for m in raw_members],
        "supporters": {"status": _known(house["supporter"]), "people": pending()},
        "income": {
            "members_monthly": [_known(i) for i in incomes],
            "total_monthly": pending() if None in incomes else sum(incomes),
            "by_type": pending(),
        },
        "property": {
            "financial_assets": _known(house["financial_assets"]),
            "homes": _known(house["homes"]),
            "vehicle_over_50k_bought_12m": _known(house["vehicle_over_50k_bought_12m"]),
            "non_residential_property": _known(house["non_residential_property"]),
            "machinery_and_businesses": pending(),
        },
        "rigid_spending": {"monthly_total": _known(house["rigid_expense_monthly"]), "details": pending()},
        "hardship": {
            "causes": _causes(house, raw_members, [p["program"] for p in programs]),
            "description": pending(),
        },
        "programs": programs,
        "where": {"township_code": township["code"], "township_name": township["name"],
                  "village": village or pending()},
        "consents": {
            "truthfulness_pledge_at": consented_at["pledge"],
            "economic_check_authorisation_at": consented_at["authorise"],
            "member_authorisations": pending(),
            "proxy_authorisation": pending(),
        },
    }


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_errors(payload: dict[str, Any]) -> list[str]:
    """Paths of the fields that break the schema (paths only: values may be personal)."""
    return sorted("/".join(map(str, e.absolute_path)) or "<root>" for e in _validator().iter_errors(payload))


def pending_labels(payload: dict[str, Any]) -> list[str]:
    """Resident-facing names of the fields still to be completed, each once, in payload order."""
    names = labels()["pending_fields"]
    found: list[str] = []

    def walk(value: Any, path: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for item in value:
                walk(item, (*path, "*"))
        elif value == pending():
            dotted = ".".join(path).removesuffix(".*")
            label = names.get(dotted)
            if label is None:
                raise KeyError(f"no label for pending field {dotted}")
            if label not in found:
                found.append(label)

    walk(payload, ())
    return found
