"""The application JSON: schema-valid, only likely/possible programmes, unknowns marked 待补充."""

import copy
import json
from datetime import date

from bot.application.identity import IdNumber, parse_id_number
from bot.application.model import labels
from bot.application.payload import SCHEMA_PATH, build_payload, pending_labels, schema_errors
from tests.application.support import ID_NUMBER, NAME, PHONE, SCREENING_RESULT

TOWNSHIP = {"code": "530428003", "name": "甘庄街道"}
CONSENTS = {"pledge": "2025-08-01T06:00:00+00:00", "authorise": "2025-08-01T06:01:00+00:00"}


def person() -> IdNumber:
    parsed = parse_id_number(ID_NUMBER, date(2025, 8, 1))
    assert isinstance(parsed, IdNumber)
    return parsed


def build(result: dict, village: str | None = "东峨村委会") -> dict:
    return build_payload(result, person(), NAME, PHONE, TOWNSHIP, village, CONSENTS)


def test_payload_from_screening_is_schema_valid() -> None:
    payload = build(SCREENING_RESULT)
    assert schema_errors(payload) == []
    assert [p["program"] for p in payload["programs"]] == ["dibao", "linshi"]
    assert payload["applicant"]["sex"] == "female" and payload["applicant"]["birth_date"] == "1955-03-15"
    assert payload["income"]["total_monthly"] == 4817.25
    assert set(payload["hardship"]["causes"]) == {
        "disability", "serious_illness", "no_work_ability", "no_supporter", "low_income"}
    spouse = payload["members"][1]
    assert spouse["name"] == "待补充" and spouse["able_to_work"] == "待补充"
    assert "name" not in payload["members"][0]  # the applicant's own name is in `applicant`


def test_unknown_answers_become_pending_and_every_pending_field_has_a_label() -> None:
    result = copy.deepcopy(SCREENING_RESULT)
    household = result["household"]
    for key in ("hukou", "area", "residence_permit_years", "financial_assets", "homes", "supporter",
                "vehicle_over_50k_bought_12m", "non_residential_property", "rigid_expense_monthly"):
        household[key] = None
    household["members"][1].update(age=None, serious_illness=None, employed=None, monthly_income=None)
    payload = build(result, village=None)
    assert schema_errors(payload) == []
    assert payload["income"]["total_monthly"] == "待补充"
    shown = pending_labels(payload)
    assert "家庭月收入合计" in shown and "所在村（社区）" in shown and "申请人民族" in shown
    assert set(shown) <= set(labels()["pending_fields"].values())


def test_schema_rejects_a_bad_payload() -> None:
    payload = build(SCREENING_RESULT)
    payload["applicant"]["id_number"] = "123"
    payload["programs"] = []
    assert schema_errors(payload) == ["applicant/id_number", "programs"]
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    assert schema["properties"]["schema_version"]["const"] == "application-v1"


def test_issue_12_relations_and_schooling_fit_the_schema() -> None:
    """In-law relations and "not at school" (issue 12) are valid in an application."""
    household = copy.deepcopy(SCREENING_RESULT["household"])
    household["members"][1].update(relation="parent_in_law", in_school="none")
    payload = build({**SCREENING_RESULT, "household": household})
    assert schema_errors(payload) == []
    assert payload["members"][1]["in_school"] is None
