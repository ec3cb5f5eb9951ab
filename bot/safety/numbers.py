"""The emergency and crisis numbers, as the safety net, the report flow and the contact replies
need them.

`bot/data/emergency_numbers.yaml` is the only place a number like 120 is written, and
`bot.phonebook` is the only code that reads it: correcting a label or adding a number is one
edit, checked in one place.
"""

from __future__ import annotations

from functools import cache

from bot.phonebook import EMERGENCY_PATH, PhoneNumber, general_ids, read_numbers

EmergencyNumber = PhoneNumber


@cache
def emergency_numbers() -> dict[str, EmergencyNumber]:
    """Id → number, in the file's order."""
    return read_numbers((EMERGENCY_PATH,))


def general_numbers(override: str = "") -> list[EmergencyNumber]:
    """The numbers for danger of an unknown kind; `override` (the EMERGENCY_NUMBERS setting, e.g.
    "110,120") replaces the file's list when set. Numbers not in the file keep an empty label."""
    known = emergency_numbers()
    if override.strip():
        by_number = {n.number: n for n in known.values()}
        wanted = [part.strip() for part in override.split(",") if part.strip()]
        return [by_number.get(n, EmergencyNumber(n, n, "", "")) for n in wanted]
    return [known[key] for key in general_ids()]
