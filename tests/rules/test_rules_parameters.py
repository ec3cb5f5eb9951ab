"""The dated parameters file: arithmetic the notices follow, county ≥ provincial, and lookups."""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot import clock
from bot.rules.parameters import DEFAULT_PATH, RECHECK, Parameters, load_parameters, parse_parameters

STANDARDS = ("dibao.urban_monthly", "dibao.rural_annual", "dibao.rural_monthly", "tekun.basic_monthly")
CONVENTION_NAMES = (
    "dibao.urban_monthly", "dibao.rural_annual", "dibao.rural_monthly", "tekun.basic_monthly",
    *(f"tekun.care.{kind}.tier{n}" for kind in ("centralised", "dispersed") for n in (1, 2, 3)),
    "guer.institution_monthly", "guer.dispersed_monthly", "canji.shenghuo_floor_monthly",
    "canji.huli_floor_monthly", "lowincome.band_factor", "tekun.basic_factor", "tekun.minor_age_limit",
    "tekun.minor_support_until", "residence_permit.min_years",
)


@pytest.fixture(scope="module")
def params() -> Parameters:
    return load_parameters()


def _document() -> dict:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _change_dates(params: Parameters) -> list[date]:
    return sorted({d for name in STANDARDS for d in params.effective_dates(name)})


def county_below_floor(params: Parameters) -> list[tuple[str, date]]:
    """Every (parameter, date) where the county value is lower than the provincial floor."""
    bad = []
    for name in params.names():
        for day in params.effective_dates(name):
            county, floor = params.lookup(name, day, "county"), params.lookup(name, day, "provincial")
            known = county and floor and county.value is not None and floor.value is not None
            if known and county.value < floor.value:
                bad.append((name, day))
    return bad


def test_convention_names_exist(params: Parameters) -> None:
    assert set(CONVENTION_NAMES) <= set(params.names())


def test_county_is_never_below_the_provincial_floor(params: Parameters) -> None:
    assert county_below_floor(params) == []


def test_the_floor_check_catches_a_low_county_value() -> None:
    document = _document()
    document["parameters"]["dibao.urban_monthly"]["county"][-1]["value"] = 700
    assert county_below_floor(parse_parameters(document)) == [("dibao.urban_monthly", date(2025, 7, 1))]


@pytest.mark.parametrize("scope", ["provincial", "county"])
def test_rural_at_least_three_quarters_of_urban_from_2025_07_01(params: Parameters, scope: str) -> None:
    days = [*(d for d in _change_dates(params) if d >= date(2025, 7, 1)), date(2025, 7, 1), date(2026, 1, 1)]
    for day in days:
        rural = params.lookup("dibao.rural_monthly", day, scope)
        urban = params.lookup("dibao.urban_monthly", day, scope)
        assert rural.value >= 0.75 * urban.value, day


@pytest.mark.parametrize("scope", ["provincial", "county"])
@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_tekun_is_ceil_factor_times_urban(params: Parameters, scope: str, year: int) -> None:
    day = date(year, 7, 1)
    factor = params.lookup("tekun.basic_factor", day, scope)
    urban = params.lookup("dibao.urban_monthly", day, scope).value
    assert params.rounding("tekun.basic_factor") == "ceil"
    assert params.lookup("tekun.basic_monthly", day, scope).value == math.ceil(round(factor.value * urban, 6))


@pytest.mark.parametrize(("annual", "monthly"), [(6400, 534), (6720, 560), (6038, 504), (4200, 350)])
def test_rural_monthly_known_pairs(params: Parameters, annual: int, monthly: int) -> None:
    history = params.history("dibao.rural_annual", "provincial")
    day = next(e.effective_from for e in history if e.value == annual)
    assert params.lookup("dibao.rural_monthly", day).value == monthly


@pytest.mark.parametrize("scope", ["provincial", "county"])
def test_rural_monthly_is_derived_on_every_date(params: Parameters, scope: str) -> None:
    for day in _change_dates(params):
        annual = params.lookup("dibao.rural_annual", day, scope)
        monthly = params.lookup("dibao.rural_monthly", day, scope)
        assert monthly.value == math.ceil(annual.value / 12)
        assert (monthly.effective_from, monthly.verified) == (annual.effective_from, annual.verified)
        assert monthly.unit == "元/人·月"


def test_lookup_is_dated(params: Parameters) -> None:
    assert params.lookup("dibao.urban_monthly", date(2025, 6, 30)).value == 735
    assert params.lookup("dibao.urban_monthly", date(2025, 7, 1)).value == 744
    assert params.lookup("dibao.urban_monthly", date(2019, 6, 30)) is None
    with pytest.raises(KeyError):
        params.lookup("dibao.no_such_thing", date(2025, 7, 1))


def test_county_falls_back_to_the_floor_unverified(params: Parameters) -> None:
    county = params.lookup("tekun.care.centralised.tier1", date(2025, 8, 1), "county")
    assert (county.value, county.verified, county.scope) == (1035, False, "provincial")


def test_inherited_rules_keep_their_verified_flag(params: Parameters) -> None:
    support = params.lookup("tekun.minor_support_until", date(2025, 8, 1), "county")
    assert (support.value, support.verified) == (18, True)


@pytest.mark.parametrize("name", [
    "jiuye.employment_cost_deduction_monthly", "jiuye.transition_months", "canji.shenghuo_monthly",
    "canji.huli_monthly", "linshi.amount", "dibao.max_homes", "dibao.financial_assets_per_person",
    "income.residents_pension_central_basic_monthly",
])
def test_unknown_yunnan_values_are_null_and_unverified(params: Parameters, name: str) -> None:
    found = params.lookup(name, date(2025, 8, 1))
    assert found is not None and found.value is None and found.verified is False


def test_every_figure_seen_in_reposts_is_unverified(params: Parameters) -> None:
    names = ("dibao.urban_monthly", "dibao.rural_annual", "tekun.basic_monthly", "guer.dispersed_monthly")
    for name in names:
        for scope in ("provincial", "county"):
            assert all(not e.verified and e.source for e in params.history(name, scope))


def test_known_2025_values(params: Parameters) -> None:
    day = date(2025, 7, 1)
    values = {name: params.lookup(name, day).value for name in (
        "tekun.care.centralised.tier2", "tekun.care.dispersed.tier3", "guer.institution_monthly",
        "guer.dispersed_monthly", "lowincome.band_factor", "residence_permit.min_years")}
    assert values == {"tekun.care.centralised.tier2": 518, "tekun.care.dispersed.tier3": 62,
                      "guer.institution_monthly": 2010, "guer.dispersed_monthly": 1370,
                      "lowincome.band_factor": 1.5, "residence_permit.min_years": 1}


def test_load_is_cached() -> None:
    assert load_parameters() is load_parameters()


@pytest.mark.parametrize(("index", "change", "message"), [
    (0, {"source": None}, "lacks"),
    (1, {"effective_from": date(2019, 1, 1)}, "strictly increasing"),
    (0, {"value": "610"}, "number"),
    (0, {"verified": "yes"}, "verified"),
])
def test_malformed_files_are_rejected(index: int, change: dict, message: str) -> None:
    document = _document()
    entry = document["parameters"]["dibao.urban_monthly"]["provincial"][index]
    entry.update(change)
    if change.get("source", "") is None:
        del entry["source"]
    with pytest.raises(ValueError, match=message):
        parse_parameters(document)


def test_staff_can_add_a_year(tmp_path: Path) -> None:
    """Adding a dated county entry is all it takes for lookups from that date on."""
    document = _document()
    document["parameters"]["dibao.urban_monthly"]["county"].append(
        {"effective_from": date(2026, 7, 1), "value": 760, "source": "元民发〔2026〕1号", "verified": True})
    path = tmp_path / "parameters.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    params = load_parameters(path)
    new = params.lookup("dibao.urban_monthly", date(2026, 7, 1))
    assert (new.value, new.verified) == (760, True)
    assert params.lookup("dibao.urban_monthly", date(2026, 7, 1) - timedelta(days=1)).value == 744


class Instant:
    """The service's clock, standing still until a test moves it."""

    def __init__(self) -> None:
        self.at = datetime(2026, 8, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def wait(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def instant(monkeypatch: pytest.MonkeyPatch) -> Instant:
    instant = Instant()
    monkeypatch.setattr(clock, "source", instant)
    return instant


def _edit(path: Path, text: str, stamp: int) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(1, stamp * 1_000_000_000_000_000_000))  # a new mtime whatever its granularity


def test_an_edit_applies_without_restart_and_a_broken_one_keeps_the_last_good(
        tmp_path: Path, instant: Instant) -> None:
    document = _document()
    path = tmp_path / "parameters.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    before = load_parameters(path).lookup("dibao.urban_monthly", date(2026, 8, 1))
    document["parameters"]["dibao.urban_monthly"]["county"].append(
        {"effective_from": date(2026, 7, 1), "value": 761, "source": "元民发〔2026〕2号", "verified": True})
    _edit(path, yaml.safe_dump(document, allow_unicode=True), 2)
    instant.wait(RECHECK)
    after = load_parameters(path).lookup("dibao.urban_monthly", date(2026, 8, 1))
    assert (before.value, after.value) == (744, 761)
    _edit(path, "parameters: [broken", 3)
    instant.wait(RECHECK)
    assert load_parameters(path).lookup("dibao.urban_monthly", date(2026, 8, 1)).value == 761


def test_the_file_is_looked_at_once_a_second_not_on_every_call(tmp_path: Path, instant: Instant,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A turn loads the parameters many times; an edit within the second shows at the next look."""
    document = _document()
    path = tmp_path / "parameters.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    first = load_parameters(path)
    looks: list[Path] = []
    stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: looks.append(self) or stat(self, **kw))
    document["parameters"]["dibao.urban_monthly"]["county"].append(
        {"effective_from": date(2026, 7, 1), "value": 762, "source": "元民发〔2026〕3号", "verified": True})
    _edit(path, yaml.safe_dump(document, allow_unicode=True), 4)
    instant.wait(RECHECK / 2)
    assert all(load_parameters(path) is first for _ in range(100)) and path not in looks
    instant.wait(RECHECK / 2)
    assert load_parameters(path).lookup("dibao.urban_monthly", date(2026, 8, 1)).value == 762
    assert looks.count(path) == 1
    instant.wait(-3600)  # the clock set back: looked at again, not trusted for an hour
    assert load_parameters(path) is load_parameters(path) and looks.count(path) == 2


def test_a_yearly_standard_is_stale_once_its_revision_day_passes() -> None:
    def entry(day: date, value: int) -> dict:
        return {"effective_from": day, "value": value, "verified": True, "source": "x"}

    params = parse_parameters({"parameters": {
        "s": {"unit": "元/人·月", "updated_yearly": "07-01", "county": [entry(date(2025, 7, 1), 744)]},
        "age": {"unit": "周岁", "county": [entry(date(2019, 7, 1), 60)]},
    }})
    assert params.updated_yearly("s") == (7, 1) and params.updated_yearly("age") is None
    assert not params.stale("s", date(2026, 6, 30))
    assert params.revision_due("s", date(2026, 6, 30)) == date(2025, 7, 1)
    assert params.stale("s", date(2026, 7, 1)) and params.stale("s", date(2026, 12, 1))
    assert not params.stale("age", date(2030, 1, 1))  # not revised yearly: never stale


def test_shipped_standards_are_marked_yearly_and_their_derivatives_follow() -> None:
    params = load_parameters()
    for name in ("dibao.urban_monthly", "dibao.rural_annual", "dibao.rural_monthly", "tekun.basic_monthly",
                 "tekun.care.dispersed.tier1", "guer.dispersed_monthly"):
        assert params.updated_yearly(name) == (7, 1), name
    assert params.stale("dibao.rural_monthly", date(2026, 12, 1))


def test_updated_yearly_must_be_a_day_of_the_year() -> None:
    with pytest.raises(ValueError, match="updated_yearly"):
        parse_parameters({"parameters": {"s": {"unit": "元", "updated_yearly": "13-01", "county": [
            {"effective_from": date(2025, 7, 1), "value": 1, "verified": True, "source": "x"}]}}})
