"""The staff CSV as Excel and WPS read it: ID numbers and phones intact, formulas still defused."""

from __future__ import annotations

import csv
import io
import re

from bot.application.model import Status
from bot.staff.views import _cell
from tests.staff.conftest import NANUO, _application

_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")
_TEXT_FORMULA = re.compile(r'="([0-9Xx]*)"')


def as_spreadsheet_shows(cell: str) -> str:
    """What Excel/WPS display for a CSV cell: numbers as doubles (15 significant digits, no
    leading zeros), `="…"` of digits as that text, anything else starting with `=`, `+`, `-` or `@`
    run as a formula (marked), everything else as typed."""
    text = _TEXT_FORMULA.fullmatch(cell)
    if text:
        return text.group(1)
    if _NUMBER.fullmatch(cell):
        return f"{float(cell):.15g}"
    if cell[:1] in ("=", "+", "-", "@"):
        return "FORMULA RUN: " + cell
    return cell


async def test_id_numbers_and_phones_survive_a_spreadsheet(client, staff_services, records, login) -> None:
    digits_only = _application(staff_services, "u4", NANUO, "王德明", "530428196805051234", "13700002222",
                               Status.HANDED_TO_TOWNSHIP)
    await staff_services.applications.save(digits_only)
    await login(client)
    response = await client.get("/staff/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    shown = [{key: as_spreadsheet_shows(value) for key, value in row.items()} for row in rows]
    by_kind = {row["类型"]: row for row in shown}
    assert {row["身份证号码"] for row in shown if row["类型"] == "申请"} == {"53042819500101002X",
                                                                      "530428196805051234"}
    assert {row["联系电话"] for row in shown} == {"13912345678", "13700002222", "13800001111"}
    assert by_kind["报告"]["报告对象"].startswith("'=HYPERLINK")  # shown as text, never run
    assert not any(value.startswith("FORMULA RUN") for row in shown for value in row.values())


def test_long_digit_strings_become_text_and_formulas_stay_defused() -> None:
    for number in ("530428196805051234", "08776012345", "13700002222"):
        assert as_spreadsheet_shows(_cell(number)) == number
    for hostile in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", '="1"&CALL()'):
        assert as_spreadsheet_shows(_cell(hostile)) == "'" + hostile
    assert _cell("大水平村") == "大水平村" and _cell("12") == "12"
