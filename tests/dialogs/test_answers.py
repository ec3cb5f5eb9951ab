"""Free answers to the questionnaire: yes/no variants, amounts in Chinese, ages, years, lists, members."""

import pytest

from bot.dialogs.answers import (
    is_done,
    is_unknown,
    looks_like_question,
    parse_choice,
    parse_member,
    parse_money,
    parse_multi,
    parse_number,
    parse_whole,
    parse_years,
    parse_yes_no,
)

RELATIONS = {"老伴": "spouse", "儿子": "child", "女儿": "child", "孙子": "grandchild", "小儿子": "child",
             "儿媳妇": "other", "媳妇": "spouse"}


@pytest.mark.parametrize("text", ["是", "是的", "对", "对的", "有", "有的呀", "嗯", "嗯嗯", "要得", "没问题",
                                  "有一个"])
def test_yes(text: str) -> None:
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text", ["没有", "没", "不是", "没得", "莫得", "没有的", "不", "无", "没有残疾",
                                  "都没有"])
def test_no(text: str) -> None:
    assert parse_yes_no(text) is False


@pytest.mark.parametrize("text", ["啥", "明天", "", "12"])
def test_neither_yes_nor_no(text: str) -> None:
    assert parse_yes_no(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("两千五", 2500), ("1.5万", 15000), ("三百块", 300), ("大概一千", 1000), ("一千二百五十", 1250),
    ("一千二百五", 1250), ("2k", 2000), ("一万二", 12000), ("3万5", 35000), ("一点五万", 15000),
    ("1,200", 1200), ("１２００", 1200), ("两千多", 2000), ("差不多三千块钱吧", 3000), ("每个月800", 800),
    ("一百零五", 105), ("两千零五十", 2050), ("0", 0), ("没有收入", 0), ("没有", 0), ("一千到两千", 1500),
    ("1000-2000元", 1500), ("4w", 40000),
])
def test_money(text: str, expected: float) -> None:
    assert parse_money(text) == expected


def test_yearly_amount_becomes_monthly_only_when_asked_monthly() -> None:
    assert parse_money("一年一万二", monthly=True) == 1000
    assert parse_money("年收入6000", monthly=True) == 500
    assert parse_money("一年一万二") == 12000


@pytest.mark.parametrize("text", ["很多", "两千万万", "abc", "一些"])
def test_money_not_understood(text: str) -> None:
    assert parse_money(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("六十五岁", 65), ("65", 65), ("今年七十了", 70), ("十二", 12), ("5岁", 5), ("一百", 100),
])
def test_ages(text: str, expected: int) -> None:
    assert parse_whole(text, 0, 120) == expected


@pytest.mark.parametrize("text", ["一百三十", "两岁半", "没有", "-3"])
def test_ages_out_of_range_or_not_whole(text: str) -> None:
    assert parse_whole(text, 0, 120) is None


def test_counts_may_say_none() -> None:
    assert parse_whole("两套", 0, 20, none_is_zero=True) == 2
    assert parse_whole("没有", 0, 20, none_is_zero=True) == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("两年", 2.0), ("1年半", 1.5), ("半年", 0.5), ("8个月", 0.67), ("没有", 0.0), ("没有居住证", 0.0),
    ("有一年了", 1.0), ("3", 3.0),
])
def test_years(text: str, expected: float) -> None:
    assert parse_years(text) == expected


def test_number_keeps_decimals() -> None:
    assert parse_number("1.5") == parse_number("一点五")


LABELS = ["住的房子是危房", "没有自己的住房", "遭了灾", "突发意外", "看病花钱多", "需要法律帮助"]


@pytest.mark.parametrize(("text", "expected"), [
    ("1 3", [0, 2]), ("1、3", [0, 2]), ("13", [0, 2]), ("第一个和第三个", [0, 2]), ("一和三", [0, 2]),
    ("3，1", [0, 2]), ("没有", []), ("都没有", []), ("5", [4]),
])
def test_multi(text: str, expected: list[int]) -> None:
    assert parse_multi(text, LABELS) == expected


def test_multi_words_and_aliases() -> None:
    aliases = [(), (), ("受灾", "洪水"), (), (), ()]
    assert parse_multi("受灾", LABELS, aliases) == [2]
    assert parse_multi("洪水 6", LABELS, aliases) == [2, 5]


@pytest.mark.parametrize("text", ["7", "1 9", "随便"])
def test_multi_rejects_unknown_options(text: str) -> None:
    assert parse_multi(text, LABELS) is None


def test_choice_by_number_word_or_alias() -> None:
    labels = ["一级", "二级", "三级", "四级"]
    aliases = [("1级",), ("2级",), ("3级",), ("4级",)]
    assert parse_choice("3级", labels, aliases) == 2
    assert parse_choice("第二个", labels, aliases) == 1
    assert parse_choice("四级", labels, aliases) == 3
    assert parse_choice("9", labels, aliases) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("老伴 62岁", ("spouse", "老伴", 62)), ("儿子12", ("child", "儿子", 12)),
    ("我老伴", ("spouse", "老伴", None)),
    ("女儿，十五岁", ("child", "女儿", 15)), ("孙子8岁上小学", ("grandchild", "孙子", 8)),
    ("小儿子 3岁", ("child", "小儿子", 3)), ("儿媳妇 30", ("other", "儿媳妇", 30)),
])
def test_member(text: str, expected: tuple[str, str, int | None]) -> None:
    assert parse_member(text, RELATIONS) == expected


@pytest.mark.parametrize("text", ["62", "老王", "儿子 两百岁"])
def test_member_not_understood(text: str) -> None:
    assert parse_member(text, RELATIONS) is None


def test_unknown_done_and_questions() -> None:
    assert is_unknown("不知道") and is_unknown("跳过") and is_unknown("不清楚呀")
    assert not is_unknown("没有")
    assert is_done("没有了") and is_done("就我一个") and not is_done("老伴")
    assert looks_like_question("有没有低保") and looks_like_question("低保要什么材料")
    assert not looks_like_question("有") and not looks_like_question("两千五")
