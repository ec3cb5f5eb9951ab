"""One reader for the number files: the safety net's numbers are the phone book's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.errors import DataError
from bot.phonebook import general_ids, phonebook
from bot.safety.numbers import emergency_numbers, general_numbers

BOT = Path(__file__).resolve().parents[1] / "bot"


def test_the_safety_net_and_the_phone_book_give_the_same_numbers() -> None:
    book = phonebook()
    assert emergency_numbers() and all(book[key] == number for key, number in emergency_numbers().items())
    assert [n.id for n in general_numbers()] == general_ids()


def test_only_the_phone_book_opens_the_number_files() -> None:
    def names_a_number_file(path: Path) -> bool:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        return any(isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
                   and n.value.endswith("_numbers.yaml") for n in ast.walk(tree))

    readers = sorted(str(path.relative_to(BOT)) for path in BOT.rglob("*.py") if names_a_number_file(path))
    assert readers == ["phonebook.py"]


def test_general_must_name_known_numbers(tmp_path: Path) -> None:
    path = tmp_path / "emergency.yaml"
    path.write_text("numbers:\n  police: {number: '110', label: 报警, source: s}\ngeneral: [police, fire]\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match="fire"):
        general_ids(path)
