"""Contact wording (issue 12 item 18): an unconfirmed hotline is never shown as the county's number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.phonebook import phonebook, read_numbers
from bot.services import contact_details
from bot.settings import Settings
from bot.templates import Templates

GOVERNMENT = phonebook()["government"].number


def _render(name: str, **settings: str) -> str:
    templates = Templates({"contact": contact_details(Settings(_env_file=None, **settings))})
    return templates.render(name, menu=["低保"], recorded=False)


def test_hotline_defaults_to_empty() -> None:
    assert Settings(_env_file=None).hotline == ""


@pytest.mark.parametrize("name", ["chat/contact.txt", "chat/human_contact.txt", "chat/fallback.txt",
                                  "chat/busy.txt", "h5/not_found.html"])
def test_without_hotline_residents_get_the_office_and_12345(name: str) -> None:
    text = _render(name)
    assert GOVERNMENT in text and "民政办" in text and "12349" not in text


@pytest.mark.parametrize("name", ["chat/contact.txt", "chat/human_contact.txt", "chat/fallback.txt"])
def test_a_confirmed_hotline_is_shown(name: str) -> None:
    assert "96000" in _render(name, hotline="96000")


def test_a_town_has_a_government_and_a_street_an_office() -> None:
    text = _render("chat/contact.txt")
    assert "那诺乡人民政府" in text and "澧江街道办事处" in text and "乡镇（街道）办事处" not in text
    assert "云南省内其他地方户口" in text  # 居住证: only Yunnan-registered households


def test_the_404_page_does_not_promise_a_new_link_after_deletion() -> None:
    text = _render("h5/not_found.html")
    assert "删除我的信息" in text and "找不回来" in text


def test_phone_book_ids_are_unique_and_numbers_digits(tmp_path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("numbers:\n  x: {number: '110', label: l, source: s}\n", encoding="utf-8")
    b.write_text("numbers:\n  x: {number: '120', label: l, source: s}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="already used"):
        read_numbers([a, b])
    b.write_text("numbers:\n  y: {number: '1-20', label: l, source: s}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="digits"):
        read_numbers([a, b])
    assert {"police", "ambulance", "fire", "traffic", "crisis", "government"} <= set(phonebook())


def test_resident_templates_and_route_data_type_no_phone_number() -> None:
    """Numbers reach residents from the phone book or the settings, never typed into a template."""
    root = Path(__file__).parents[1] / "bot"
    files = [*(root / "templates" / "chat").rglob("*.txt"), *(root / "templates" / "h5").glob("*.html"),
             root / "application" / "guide.yaml", root / "rules" / "texts.yaml"]
    numbers = {p.number for p in phonebook().values()} | {"12349"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        typed = [n for n in numbers if re.search(rf"(?<!\d){n}(?!\d)", text)]
        assert not typed, f"{path.relative_to(root)} types {typed}"
