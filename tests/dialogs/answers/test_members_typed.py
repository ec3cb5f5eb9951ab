"""Households typed in ways the member reader first missed: a character at a time with spaces, 我奶
for a grandmother (as 我妈 for a mother), "一个…一个…" giving the ages of those just named, 出家
typed for 出嫁. Each with a reply that must read as before."""

from bot.dialogs.screening_reading import read


def _ages(text: str) -> list[tuple[str, int | None]]:
    return [(m["relation"], m["age"]) for m in read("household", text)["members"]]


def test_a_reply_typed_a_character_at_a_time_reads_whole() -> None:
    assert _ages("我 老 伴 六 十 八 孙 女 九 岁") == [("spouse", 68), ("grandchild", 9)]
    assert _ages("我 老伴 六十八 孙女 九岁") == [("spouse", 68), ("grandchild", 9)]  # unchanged


def test_wo_nai_is_a_grandmother() -> None:
    assert _ages("就我跟我奶 我奶七十九") == [("grandparent", 79)]
    assert _ages("我跟奶奶 奶奶七十九") == [("grandparent", 79)]  # unchanged


def test_one_and_one_more_with_ages_are_the_ones_just_named() -> None:
    assert _ages("老婆 女儿一个十三一个十 还有我妈七十") == [
        ("spouse", None), ("child", 13), ("child", 10), ("parent", 70)]
    assert _ages("老婆三十八 女儿一个") == [("spouse", 38), ("child", None)]  # unchanged


def test_chujia_typed_for_marrying_out_is_marrying_out() -> None:
    house = read("household", "老伴六十五 二姑娘出家了 在玉溪住")
    assert house["gone"] == [{"relation": "child", "why": "married_out"}]
    assert read("household", "老伴六十五 二姑娘出嫁了")["gone"] == house["gone"]  # unchanged
