"""Dated policy parameters read from policy_texts/parameters.yaml.

Why: standards change every July and county staff must be able to update them without touching
code. Rules and FAQ answers ask "what was X on date D" and get the value with its source and
whether staff verified it, so an unverified or unknown figure is never presented as settled.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml

from bot import clock
from bot.errors import DataError
from bot.rules.household import IncomeKind

log = logging.getLogger(__name__)
Scope = Literal["provincial", "county"]
SCOPES: tuple[Scope, ...] = ("provincial", "county")
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "policy_texts" / "parameters.yaml"


@dataclass(frozen=True)
class ParamValue:
    """One dated entry; `value` is None when the figure is not known."""

    name: str
    value: int | float | None
    unit: str
    effective_from: date
    source: str
    verified: bool
    scope: Scope


@dataclass(frozen=True)
class _Definition:
    """One parameter; the YAML `description` is for the people editing the file and is not loaded."""

    unit: str
    entries: dict[Scope, tuple[ParamValue, ...]]
    rounding: str | None = None
    county_inherits: bool = False
    updated_yearly: tuple[int, int] | None = None  # (month, day) the figure is normally revised


@dataclass(frozen=True)
class _Derived:
    unit: str
    rule: str
    of: str
    by: int


@dataclass(frozen=True)
class IncomeRule:
    """How one programme counts income from `effective_from`: kinds left out, kinds whose treatment
    is not known (counted somewhere between nothing and all), and kinds reduced by an amount that is
    itself a parameter (e.g. the residents' pension's central basic part). Other kinds count."""

    program: str
    effective_from: date
    not_counted: frozenset[IncomeKind]
    unclear: frozenset[IncomeKind]
    minus: Mapping[IncomeKind, str]
    source: str
    verified: bool


_RULES = {"ceil_divide": lambda value, by: math.ceil(value / by)}


class Parameters:
    """All parameters of one file; lookups are by name, date and scope."""

    def __init__(self, definitions: dict[str, _Definition], derived: dict[str, _Derived],
                 income_rules: Mapping[str, tuple[IncomeRule, ...]] | None = None) -> None:
        self._definitions = definitions
        self._derived = derived
        self._income_rules = dict(income_rules or {})
        self._cache: dict[tuple[str, date, Scope], ParamValue | None] = {}  # a Parameters never changes

    def income_rule(self, program: str, on: date) -> IncomeRule | None:
        """The income-counting rule of `program` in force on `on` (None before the first entry)."""
        current = None
        for rule in self._income_rules.get(program, ()):
            if rule.effective_from <= on:
                current = rule
        return current

    def names(self) -> list[str]:
        return sorted([*self._definitions, *self._derived])

    def rounding(self, name: str) -> str | None:
        return self._definitions[name].rounding

    def history(self, name: str, scope: Scope) -> tuple[ParamValue, ...]:
        """Entries typed in the file for one scope (derived parameters have none)."""
        return self._definitions[name].entries.get(scope, ())

    def updated_yearly(self, name: str) -> tuple[int, int] | None:
        """(month, day) on which the figure is normally revised each year, if it is."""
        base = self._derived[name].of if name in self._derived else name
        return self._definitions[base].updated_yearly

    def revision_due(self, name: str, on: date) -> date | None:
        """The latest day on or before `on` when the figure would normally have been revised."""
        yearly = self.updated_yearly(name)
        if yearly is None:
            return None
        due = date(on.year, *yearly)
        return due if due <= on else date(on.year - 1, *yearly)

    def stale(self, name: str, on: date, scope: Scope = "county") -> bool:
        """True when the value in force on `on` predates the figure's usual yearly revision."""
        due, value = self.revision_due(name, on), self.lookup(name, on, scope)
        return due is not None and value is not None and value.effective_from < due

    def effective_dates(self, name: str) -> list[date]:
        """Every date on which the parameter (or its input) changes, in any scope."""
        base = self._derived[name].of if name in self._derived else name
        spec = self._definitions[base]
        return sorted({entry.effective_from for entries in spec.entries.values() for entry in entries})

    def lookup(self, name: str, on: date, scope: Scope = "county") -> ParamValue | None:
        """Value in force on `on`, or None before the first entry. Unknown names raise KeyError."""
        key = (name, on, scope)
        if key not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = self._lookup(name, on, scope)
        return self._cache[key]

    def _lookup(self, name: str, on: date, scope: Scope) -> ParamValue | None:
        if name in self._derived:
            return self._lookup_derived(name, on, scope)
        spec = self._definitions[name]
        if scope == "county":
            own = _in_force(spec.entries.get("county", ()), on)
            if own is not None:
                return own
            floor = _in_force(spec.entries.get("provincial", ()), on)
            if floor is None or spec.county_inherits:
                return floor
            return replace(floor, verified=False)
        return _in_force(spec.entries.get("provincial", ()), on)

    def _lookup_derived(self, name: str, on: date, scope: Scope) -> ParamValue | None:
        spec = self._derived[name]
        base = self.lookup(spec.of, on, scope)
        if base is None:
            return None
        value = None if base.value is None else _RULES[spec.rule](base.value, spec.by)
        source = f"{spec.rule}({spec.of}, {spec.by}); {base.source}"
        return replace(base, name=name, value=value, unit=spec.unit, source=source)


def _in_force(entries: tuple[ParamValue, ...], on: date) -> ParamValue | None:
    current = None
    for entry in entries:
        if entry.effective_from <= on:
            current = entry
    return current


def _parse_entry(name: str, scope: Scope, unit: str, raw: dict[str, Any]) -> ParamValue:
    missing = {"effective_from", "value", "source", "verified"} - raw.keys()
    if missing:
        raise DataError(f"parameter {name} ({scope}): entry lacks {sorted(missing)}")
    when, value, verified = raw["effective_from"], raw["value"], raw["verified"]
    if not isinstance(when, date):
        raise DataError(f"parameter {name} ({scope}): effective_from must be a date")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise DataError(f"parameter {name} ({scope}): value must be a number or null")
    if not isinstance(verified, bool) or not str(raw["source"]).strip():
        raise DataError(f"parameter {name} ({scope}): verified must be true/false and source non-empty")
    return ParamValue(name, value, unit, when, str(raw["source"]), verified, scope)


def _parse_definition(name: str, raw: dict[str, Any]) -> _Definition:
    unit = str(raw["unit"])
    entries: dict[Scope, tuple[ParamValue, ...]] = {}
    for scope in SCOPES:
        parsed = tuple(_parse_entry(name, scope, unit, item) for item in raw.get(scope) or ())
        dates = [entry.effective_from for entry in parsed]
        if dates != sorted(set(dates)):
            raise DataError(f"parameter {name} ({scope}): dates must be strictly increasing")
        entries[scope] = parsed
    if not entries["provincial"] and not entries["county"]:
        raise DataError(f"parameter {name}: no entries")
    inherits = raw.get("county_inherits", False)
    if not isinstance(inherits, bool):
        raise DataError(f"parameter {name}: county_inherits must be true/false")
    yearly = _month_day(name, raw.get("updated_yearly"))
    return _Definition(unit, entries, raw.get("rounding"), inherits, yearly)


def _month_day(name: str, raw: Any) -> tuple[int, int] | None:
    """`updated_yearly: "07-01"` -> (7, 1)."""
    if raw is None:
        return None
    try:
        month, day = (int(part) for part in str(raw).split("-"))
        date(2001, month, day)
    except ValueError as exc:
        raise DataError(f"parameter {name}: updated_yearly must be a month and day like \"07-01\"") from exc
    return month, day


def _kinds(program: str, raw: Any) -> frozenset[IncomeKind]:
    try:
        return frozenset(IncomeKind(kind) for kind in raw or ())
    except ValueError:
        raise DataError(f"income rule {program}: unknown income kind in {raw}") from None


def _parse_income_rule(program: str, raw: dict[str, Any], known: set[str]) -> IncomeRule:
    when, verified, source = raw.get("effective_from"), raw.get("verified"), str(raw.get("source") or "")
    if not isinstance(when, date) or not isinstance(verified, bool) or not source.strip():
        raise DataError(f"income rule {program}: needs effective_from (date), verified and source")
    minus = {next(iter(_kinds(program, [kind]))): name for kind, name in (raw.get("minus") or {}).items()}
    if set(minus.values()) - known:
        raise DataError(f"income rule {program}: minus names an unknown parameter")
    rule = IncomeRule(program, when, _kinds(program, raw.get("not_counted")),
                      _kinds(program, raw.get("unclear")), minus, source, verified)
    if (rule.not_counted & rule.unclear) or (set(minus) & (rule.not_counted | rule.unclear)):
        raise DataError(f"income rule {program}: a kind is listed twice")
    return rule


def parse_parameters(document: dict[str, Any]) -> Parameters:
    definitions = {name: _parse_definition(name, raw) for name, raw in document["parameters"].items()}
    derived: dict[str, _Derived] = {}
    for name, raw in (document.get("derived") or {}).items():
        if raw["rule"] not in _RULES or raw["of"] not in definitions:
            raise DataError(f"derived parameter {name}: unknown rule or input")
        derived[name] = _Derived(str(raw["unit"]), raw["rule"], raw["of"], int(raw["by"]))
    income_rules: dict[str, tuple[IncomeRule, ...]] = {}
    for program, raw in (document.get("income_rules") or {}).items():
        rules = tuple(_parse_income_rule(program, entry, set(definitions)) for entry in raw["entries"])
        dates = [rule.effective_from for rule in rules]
        if dates != sorted(set(dates)):
            raise DataError(f"income rule {program}: dates must be strictly increasing")
        income_rules[program] = rules
    return Parameters(definitions, derived, income_rules)


RECHECK = 1.0  # seconds between looks at the file's modification time
# path -> (clock time of the last look, modification time seen then, what the file said)
_loaded: dict[Path, tuple[float, int | None, Parameters]] = {}
_load_lock = threading.Lock()


def load_parameters(path: Path = DEFAULT_PATH) -> Parameters:
    """The parameters in `path`, parsed again only when the file changes, so a staff edit applies
    without a restart, within `RECHECK` seconds: a message's turn calls this many times, and one
    look at the file per second serves them all. A broken edit is logged and the last good version
    keeps serving."""
    path = Path(path)
    now = clock.source().timestamp()
    cached = _loaded.get(path)
    if cached is not None and abs(now - cached[0]) < RECHECK:  # abs: a clock set back looks again
        return cached[2]
    try:
        stamp: int | None = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    if cached is not None and cached[1] == stamp:
        _loaded[path] = (now, stamp, cached[2])
        return cached[2]
    with _load_lock:
        try:
            with path.open(encoding="utf-8") as handle:
                params = parse_parameters(yaml.safe_load(handle))
        except (OSError, yaml.YAMLError, ValueError, KeyError, TypeError) as exc:
            if cached is None:
                raise
            log.error("parameters file %s is broken (%s); keeping the last good version",
                      path.name, type(exc).__name__)
            params = cached[2]
        _loaded[path] = (now, stamp, params)
        return params
