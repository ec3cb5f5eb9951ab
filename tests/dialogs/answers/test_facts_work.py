"""Who earns: the question's word said back, and nobody said before the work."""

import pytest

from bot.dialogs.answers.facts_work import read_work


@pytest.mark.parametrize("text", [
    "做活 做不动了 腰杆痛",  # the question's word, then the answer: nobody can
    "干活嘛 干不了 身体不行",
    "莫得一个能干活的 都是老的",
    "屋头没有人能做工",
    "哪个都没打工",
])
def test_nobody_works(text: str) -> None:
    assert read_work(text) is False


@pytest.mark.parametrize(("text", "expected"), [
    ("做活 就是我老公在做", ["spouse"]),  # the word said back, then who does
    ("儿子在打工 我做不动了", ["child"]),
    ("我没有工作 媳妇在饭店上班", ["spouse"]),
])
def test_someone_works_as_before(text: str, expected: list[str]) -> None:
    assert read_work(text) == expected
