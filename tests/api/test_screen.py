"""POST /api/v1/screen: request validation (422 naming the field) and the response shape."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot import clock
from bot.api.screen import router
from bot.rules import PROGRAM_IDS, Household, screen

ISSUE_EXAMPLE = {
    "as_of": "2025-08-01",
    "hukou": "yuanjiang",
    "area": "rural",
    "residence_permit_years": 0,
    "members": [
        {
            "relation": "applicant",
            "age": 45,
            "disability_type": None,
            "disability_grade": None,
            "serious_illness": False,
            "able_to_work": None,
            "employed": False,
            "in_school": None,
            "monthly_income": 0,
            "father": "able",
            "mother": "able",
        }
    ],
    "financial_assets": 0,
    "homes": 1,
    "vehicle_over_50k_bought_12m": False,
    "non_residential_property": False,
    "supporter": "able",
    "current_programs": [],
    "housing": "safe",
    "disaster_affected": False,
    "sudden_hardship": False,
    "rigid_expense_monthly": 0,
    "legal_issue": False,
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def test_issue_example_returns_all_programmes(client: TestClient) -> None:
    response = client.post("/api/v1/screen", json=ISSUE_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"as_of", "standards", "results", "notice"}
    assert body["as_of"] == "2025-08-01"
    assert [r["program"] for r in body["results"]] == list(PROGRAM_IDS)
    dibao = body["results"][0]
    assert (dibao["name"], dibao["status"]) == ("最低生活保障（低保）", "likely")
    assert set(dibao) == {"program", "name", "status", "reasons", "refs", "next_step"}
    assert all(set(r) == {"text", "refs"} and r["refs"] for r in dibao["reasons"])
    assert body["standards"]["dibao.rural_monthly"]["value"] == 560
    assert body["standards"]["dibao.urban_monthly"]["verified"] is False


def test_same_answer_as_the_rules_module(client: TestClient) -> None:
    request = {
        "members": [
            {"relation": "applicant", "age": 70},
            {
                "relation": "grandchild",
                "age": 9,
                "father": "deceased",
                "mother": "incarcerated",
                "in_school": "compulsory",
            },
        ],
        "supporter": "none",
        "as_of": "2025-06-30",
        "housing": "dangerous",
    }
    body = client.post("/api/v1/screen", json=request).json()
    household = Household.from_dict({k: v for k, v in request.items() if k != "as_of"})
    expected = screen(household, date(2025, 6, 30))
    assert body == expected.to_dict()
    assert {r["program"]: r["status"] for r in body["results"]}["kunjing_ertong"] == "likely"


def test_only_members_is_required_and_as_of_defaults_to_today(client: TestClient) -> None:
    request = {"members": [{"relation": "applicant"}], "supporter": "none"}
    body = client.post("/api/v1/screen", json=request).json()
    assert body["as_of"] == clock.today().isoformat()
    statuses = {r["program"]: r["status"] for r in body["results"]}
    assert statuses["tekun"] == "possible"  # unknown age: never unlikely


def test_null_answers_mean_unknown(client: TestClient) -> None:
    request = {
        "as_of": "2025-08-01",
        "financial_assets": None,
        "housing": None,
        "members": [{"relation": "applicant", "age": 40, "monthly_income": None}],
    }
    results = client.post("/api/v1/screen", json=request).json()["results"]
    statuses = {r["program"]: r["status"] for r in results}
    assert statuses["dibao"] == "possible" and statuses["zhufang"] == "possible"


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"members": [{"relation": "applicant", "age": -1}]}, ["body", "members", 0, "age"]),
        (
            {"members": [{"relation": "applicant", "monthly_income": -5}]},
            ["body", "members", 0, "monthly_income"],
        ),
        ({"members": [{"relation": "applicant", "age": "45"}]}, ["body", "members", 0, "age"]),
        ({"members": [{"relation": "applicant", "employed": "yes"}]}, ["body", "members", 0, "employed"]),
        (
            {"members": [{"relation": "applicant", "disability_grade": 5}]},
            ["body", "members", 0, "disability_grade"],
        ),
        (
            {"members": [{"relation": "applicant", "disability_type": "blind"}]},
            ["body", "members", 0, "disability_type"],
        ),
        ({"members": [{"relation": "boss"}]}, ["body", "members", 0, "relation"]),
        ({"members": [{"age": 3}]}, ["body", "members", 0, "relation"]),
        ({"members": []}, ["body", "members"]),
        ({"hukou": "beijing"}, ["body", "hukou"]),
        ({"area": 1}, ["body", "area"]),
        ({"financial_assets": -1}, ["body", "financial_assets"]),
        ({"residence_permit_years": -0.5}, ["body", "residence_permit_years"]),
        ({"current_programs": ["welfare"]}, ["body", "current_programs", 0]),
        ({"as_of": "2025-13-01"}, ["body", "as_of"]),
        ({"surname": "x"}, ["body", "surname"]),
    ],
)
def test_invalid_input_is_422_naming_the_field(client: TestClient, change: dict, loc: list) -> None:
    response = client.post("/api/v1/screen", json={**ISSUE_EXAMPLE, **change})
    assert response.status_code == 422
    assert loc in [error["loc"] for error in response.json()["detail"]]


def test_missing_members_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/screen", json={"hukou": "yuanjiang"})
    assert response.status_code == 422
    assert ["body", "members"] in [error["loc"] for error in response.json()["detail"]]


def test_the_readme_example_is_not_told_no_about_tekun(client: TestClient) -> None:
    """A 72-year-old on 300 元 with nothing else said: unknown supporters are unknown (issue 12)."""
    body = client.post("/api/v1/screen", json={"members": [{"relation": "applicant", "age": 72,
                                                             "monthly_income": 300}]}).json()
    statuses = {r["program"]: r["status"] for r in body["results"]}
    assert statuses["tekun"] == "possible" and statuses["dibao"] == "possible"


def test_income_by_kind_relations_and_supporters_elsewhere(client: TestClient) -> None:
    request = {
        "as_of": "2025-08-01", "hukou": "yuanjiang", "area": "rural", "financial_assets": 0, "homes": 1,
        "vehicle_over_50k_bought_12m": False, "non_residential_property": False, "current_programs": None,
        "members": [
            {"relation": "applicant", "age": 42, "employed": True, "serious_illness": False,
             "incomes": [{"kind": "wages", "monthly": 1500}]},
            {"relation": "parent_in_law", "age": 74, "serious_illness": False, "children_elsewhere": "none",
             "grandchildren_elsewhere": "none",
             "incomes": [{"kind": "farming", "monthly": 700, "costs_monthly": 400},
                         {"kind": "special_care", "monthly": 300}]},
            {"relation": "child", "age": 12, "in_school": "compulsory", "monthly_income": 0},
        ],
    }
    response = client.post("/api/v1/screen", json=request)
    assert response.status_code == 200
    results = response.json()["results"]
    assert {r["program"]: r["status"] for r in results}["tekun"] == "likely"
    household = Household.from_dict({k: v for k, v in request.items() if k != "as_of"})
    assert response.json() == screen(household, date(2025, 8, 1)).to_dict()


def test_tekun_comes_before_dibao_when_both_could_apply(client: TestClient) -> None:
    request = {"as_of": "2025-08-01", "hukou": "yuanjiang", "area": "rural", "supporter": "none",
               "financial_assets": 0, "homes": 1, "vehicle_over_50k_bought_12m": False,
               "non_residential_property": False,
               "members": [{"relation": "applicant", "age": 70, "monthly_income": 0}]}
    programs = [r["program"] for r in client.post("/api/v1/screen", json=request).json()["results"]]
    assert programs[:2] == ["tekun", "dibao"] and sorted(programs) == sorted(PROGRAM_IDS)


def test_the_api_defaults_are_the_rules_defaults() -> None:
    """One set of defaults (issue 13): the request models reuse bot.rules.household's."""
    from bot.api.screen import IncomeIn, MemberIn, ScreenRequest
    from bot.rules.household import HOUSEHOLD_DEFAULTS, INCOME_DEFAULTS, MEMBER_DEFAULTS

    def defaults(model: type) -> dict:
        return {name: f.default for name, f in model.model_fields.items() if not f.is_required()}
    assert defaults(MemberIn) == MEMBER_DEFAULTS
    assert {k: v for k, v in defaults(ScreenRequest).items() if k != "as_of"} == HOUSEHOLD_DEFAULTS
    assert {k: v for k, v in defaults(IncomeIn).items()} == INCOME_DEFAULTS


@pytest.mark.parametrize(("member", "loc"), [
    ({"relation": "applicant",
      "incomes": [{"kind": "employee_pension", "monthly": 900, "costs_monthly": 50}]},
     ["body", "members", 0, "incomes", 0]),
    ({"relation": "applicant", "incomes": [{"kind": "lottery", "monthly": 900}]},
     ["body", "members", 0, "incomes", 0, "kind"]),
    ({"relation": "applicant", "incomes": [{"kind": "wages", "monthly": -1}]},
     ["body", "members", 0, "incomes", 0, "monthly"]),
    ({"relation": "applicant", "children_elsewhere": "some"}, ["body", "members", 0, "children_elsewhere"]),
    ({"relation": "applicant", "hukou": "beijing"}, ["body", "members", 0, "hukou"]),
])
def test_invalid_new_inputs_are_422(client: TestClient, member: dict, loc: list) -> None:
    response = client.post("/api/v1/screen", json={"members": [member]})
    assert response.status_code == 422
    assert loc in [error["loc"][:len(loc)] for error in response.json()["detail"]]
