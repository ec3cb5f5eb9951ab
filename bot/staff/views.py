"""What staff see of a record: one flat row for the queue and the CSV, masked or in full.

Lists are glanced at over shoulders and left open on office screens, so names, ID numbers and
phones are masked there; the record page and the CSV export are for applying on the resident's
behalf and show them in full (each view and export is audited). CSV cells that a spreadsheet
would run as a formula are defused, long numbers stay text (see `_cell`), and the file starts
with a BOM so Excel reads UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.application.identity import mask_id, mask_mobile
from bot.application.model import ApplicationRecord, Status, labels, local_time

EXPORT_COLUMNS = Path(__file__).parent / "export.yaml"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_AS_TEXT = re.compile(r"[0-9]{11,}[Xx]?|0[0-9]+")  # ID numbers, mobiles, landlines with 0


@cache
def staff_texts() -> dict[str, Any]:
    return yaml.safe_load(EXPORT_COLUMNS.read_text(encoding="utf-8"))


def mask_name(name: str) -> str:
    """`张三丰` → `张**`: the family name is enough to tell two queue rows apart."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def taken_event(record: ApplicationRecord) -> dict[str, str] | None:
    """The latest staff action on the record (from its history), if any."""
    events = [h for h in record.history if h.get("event")]
    return events[-1] if events else None


def row(record: ApplicationRecord, masked: bool) -> dict[str, str]:
    """Column key → cell text; keys are those of `export.yaml`."""
    p = record.payload
    texts = labels()
    taken = taken_event(record)
    if record.kind == "report":
        name, id_number, phone = "", "", p.get("contact") or ""
        details = p.get("what", "")
        subject = p.get("who", "")
        programs = ""
    else:
        applicant = p.get("applicant", {})
        name, id_number = applicant.get("name", ""), applicant.get("id_number", "")
        phone = applicant.get("phone", "")
        subject = ""
        details = "、".join(texts["causes"].get(c, c) for c in p.get("hardship", {}).get("causes", []))
        programs = "、".join(str(prog.get("name", "")) for prog in p.get("programs", []))
    if masked:
        name, id_number, phone = mask_name(name), mask_id(id_number) if id_number else "", mask_mobile(phone)
        subject = details = ""
    return {
        "id": record.id,
        "kind": texts["kinds"][record.kind],
        "reference": p.get("reference", ""),
        "urgent": staff_texts()["urgent"] if p.get("urgent") else "",
        "status": texts["statuses"][str(record.status)],
        "created": local_time(record.created_at),
        "taken": staff_texts()["actions"].get(taken["event"], "") if taken else "",
        "taken_by": taken.get("by", "") if taken else "",
        "name": name,
        "id_number": id_number,
        "phone": phone if phone != texts["pending"] else "",
        "village": str(p.get("village") or p.get("where", {}).get("village", "")),
        "programs": programs,
        "subject": subject,
        "details": details,
    }


def queue(records: list[ApplicationRecord]) -> list[ApplicationRecord]:
    """Drafts left out; urgent reports first, then what nobody has taken yet, newest first in each."""
    listed = [r for r in records if r.status != Status.DRAFT]
    newest = sorted(listed, key=lambda r: r.created_at, reverse=True)
    return sorted(newest, key=lambda r: (not r.payload.get("urgent"), taken_event(r) is not None))


def _cell(value: str) -> str:
    """One CSV cell as Excel and WPS will show it.

    A long digit string opened as a number loses its tail (an ID number becomes 5.30428E+17,
    digits after the 15th turned to 0) and a landline its leading 0. The text form `="…"` keeps
    it exactly; a leading tab would too in Excel, but WPS and other programs keep the tab in the
    value, and `'` shows as a visible apostrophe in a CSV. `="…"` is a formula, yet safe here
    and only here: the cell is digits (and an ID number's X) only, nothing to run and no quote to
    break out of. Every other cell that starts like a formula is still defused with a `'`.
    """
    if _NUMBER_AS_TEXT.fullmatch(value):
        return f'="{value}"'
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_csv(records: list[ApplicationRecord]) -> bytes:
    columns = staff_texts()["columns"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns.values())
    for record in records:
        cells = row(record, masked=False)
        writer.writerow(_cell(cells[key]) for key in columns)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
