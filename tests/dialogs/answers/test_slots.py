"""What a free-text slot refuses: replies that mean something else, and text holding a number."""

import pytest

from bot.dialogs.answers.slots import holds_number, other_meaning


@pytest.mark.parametrize("text,meaning", [
    ("同意", "yes"), ("好的", "yes"), ("是的呀", "yes"), ("可以", "yes"), ("不同意", "no"), ("没有", "no"),
    ("没得", "no"), ("不知道", "unknown"), ("跳过", "unknown"), ("知道了", "acknowledge"),
    ("明白", "acknowledge"), ("你好", "command"), ("在吗", "command"), ("谢谢", "command"),
    ("算了", "command"), ("菜单", "command"), ("123", "number"), ("13812345678", "number"),
    ("我的电话是 138 1234 5678", "number"), ("0877-1234567", "number"), ("低保怎么申请", "question"),
    ("", "empty"),
])
def test_replies_that_mean_something_else(text: str, meaning: str) -> None:
    assert other_meaning(text) == meaning


@pytest.mark.parametrize("text", ["李春花", "岩温", "新寨村", "一位老人", "村里独居的王大爷，七十多岁",
                                  "王大爷 电话13812345678", "有个老人没人管", "房子漏雨，腿脚不方便"])
def test_free_answers_are_free(text: str) -> None:
    assert other_meaning(text) is None


def test_a_description_may_end_in_a_question_when_asked_to() -> None:
    assert other_meaning("老人生病没人管怎么办") == "question"
    assert other_meaning("老人生病没人管怎么办", questions=False) is None


@pytest.mark.parametrize("text,holds", [
    ("13812345678", True), ("一三八 一二三四 五六七八", True), ("电话0877-1234567", True),
    ("530428196403101074", True), ("12349", False), ("12345", False), ("低保每月多少钱", False),
])
def test_holds_number(text: str, holds: bool) -> None:
    assert holds_number(text) is holds
