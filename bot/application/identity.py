"""Checking and masking the two identifiers an application needs: the ID number and the mobile.

Why: a mistyped ID number sends an application back from the township days later, so the chat
checks it at once (GB 11643-1999: 17 digits, a check digit, a real birth date) and says which
part looks wrong, without ever repeating the number. Masks follow GB/T 35273 practice for screens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Province-level prefixes of mainland, Hong Kong/Macao/Taiwan resident ID numbers.
_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})
_SEPARATORS = re.compile(r"[\s\-－—_]+")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
OLDEST_BIRTH = date(1900, 1, 1)


class IdProblem(StrEnum):
    """Why an ID number was refused; each has its own hint for the resident."""

    LENGTH = "length"
    CHARACTERS = "characters"
    REGION = "region"
    BIRTH_DATE = "birth_date"
    CHECK_DIGIT = "check_digit"


@dataclass(frozen=True)
class IdNumber:
    value: str  # 18 characters, final `X` upper-case
    birth_date: date
    sex: str  # "male" | "female" (odd / even 17th digit)


def _clean(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


_SPOKEN = "零〇一幺二两三四五六七八九"  # digits read out one by one
_SPOKEN_DIGITS = str.maketrans(_SPOKEN + "叉", "0011223456789X")
_DIGITS_RUN = re.compile(r"[0-9xX零〇一幺二两三四五六七八九叉][0-9xX零〇一幺二两三四五六七八九叉\s\-－—_.·]*")


def _digits(run: str) -> int:
    return sum(ch.isdigit() or ch in _SPOKEN for ch in run)


def digit_runs(text: str) -> list[str]:
    """Digit strings in free text as people type or speak them: "138 8765 4321 是我外孙的",
    "幺三八…" (digits read one by one), "5304 2819 …X"; separators inside a run are dropped."""
    folded = unicodedata.normalize("NFKC", text)
    runs = []
    for match in _DIGITS_RUN.finditer(folded):
        run = _SEPARATORS.sub("", match.group()).replace(".", "").replace("·", "")
        if _digits(run) < 4:
            continue
        runs.append(run.translate(_SPOKEN_DIGITS).upper().replace("叉", "X"))
    return runs


def mask_runs(text: str, label: str, shortest: int = 7) -> str:
    """`text` with every digit run as `digit_runs` reads it (typed, spaced or spoken: "幺三八…")
    that holds `shortest` digits or more replaced by `label`; 12349 or 2024年 stay."""
    def replace(match: re.Match[str]) -> str:
        run = match.group()
        return label + run[len(run.rstrip()):] if _digits(run) >= shortest else run

    return _DIGITS_RUN.sub(replace, unicodedata.normalize("NFKC", text))


def find_mobile(text: str) -> str | None:
    """The one mobile number in a reply, with words around it; None if there is none or several."""
    found = {m for run in digit_runs(text) if (m := parse_mobile(run)) is not None}
    return found.pop() if len(found) == 1 else None


def find_id_run(text: str) -> str | None:
    """The longest digit run (possibly ending in X) in a reply: the ID number as typed, to check."""
    runs = [run for run in digit_runs(text) if run[:-1].isdigit()]
    return max(runs, key=len) if runs else None


def check_digit(first17: str) -> str:
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_id_number(text: str, today: date) -> IdNumber | IdProblem:
    """The validated ID number, or the first problem found. Accepts a lower-case `x` and spaces."""
    value = _clean(text).upper()
    if len(value) != 18:
        return IdProblem.LENGTH
    if not (value[:17].isdigit() and value[:17].isascii() and (value[17].isdigit() or value[17] == "X")):
        return IdProblem.CHARACTERS
    if value[:2] not in _PROVINCES:
        return IdProblem.REGION
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return IdProblem.BIRTH_DATE
    if not OLDEST_BIRTH <= born <= today:
        return IdProblem.BIRTH_DATE
    if check_digit(value[:17]) != value[17]:
        return IdProblem.CHECK_DIGIT
    return IdNumber(value, born, "male" if int(value[16]) % 2 else "female")


def parse_mobile(text: str) -> str | None:
    """A mainland mobile number (11 digits, 13x–19x), allowing spaces, dashes and +86."""
    value = _clean(text)
    for prefix in ("+86", "0086", "86"):
        if value.startswith(prefix) and len(value) == len(prefix) + 11:
            value = value[len(prefix):]
    return value if _MOBILE.match(value) else None


def mask_id(value: str) -> str:
    """`530428199001011234` → `5304**********1234`: enough for the resident to recognise it."""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_mobile(value: str) -> str:
    """`13912345678` → `139****5678`."""
    return value[:3] + "****" + value[-4:] if len(value) == 11 else "*" * len(value)
