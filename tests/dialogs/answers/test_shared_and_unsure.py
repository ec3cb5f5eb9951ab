"""Misreads cut by concept (c14): the resident and a child said as one word (两娘母), a couple
said side by side sharing what is said after them (儿子儿媳在县城住), an age the resident is not
sure of (read back), 莫 as 没 before a spouse, a token given now and then by children said to be in
need, a pension said for each of two, a hospital stay beside another hardship (its bill, not an
illness). Each with a reply that must read as before."""

from bot.dialogs.answers.members import read_household
from bot.dialogs.screening_reading import read, reading


def _relations(text: str) -> tuple[list[str], list[tuple[str, str | None]]]:
    house = read_household(text)
    return [m.relation for m in house.members], [(g.relation, g.gone) for g in house.gone]


def test_the_resident_and_a_child_said_as_one_word_is_no_parent() -> None:
    assert _relations("老伴死了好几年 现在就我们母女俩 女儿十五岁") == (["child"], [("spouse", "dead")])
    assert _relations("屋头就我娘儿俩 姑娘读初中") == (["child"], [])
    assert _relations("我跟我妈两个人住") == (["parent"], [])  # unchanged: a parent named


def test_a_couple_said_side_by_side_share_what_is_said_after_them() -> None:
    assert _relations("女儿和女婿搬到玉溪去了 我跟外孙住") == (
        ["grandchild"], [("child_in_law", "lives_elsewhere"), ("child", "lives_elsewhere")]
    )
    assert _relations("哥哥嫂子早就分家了 我跟我妈") == (
        ["parent"], [("sibling_in_law", "lives_elsewhere"), ("sibling", "lives_elsewhere")]
    )
    # divorced from each other: the son is not divorced too
    assert ("child", "divorced") not in _relations("儿子儿媳离婚了 儿子在家")[1]
    assert _relations("我和儿子 儿媳妇前年跑了") == (["child"], [("child_in_law", "left")])  # unchanged


def test_an_age_the_resident_is_not_sure_of_is_read_back() -> None:
    got, back = reading("household", "我和我爹住 我爹八十一还是八十二 我搞不清")
    assert back and got["members"][0]["relation"] == "parent"
    assert reading("household", "就我跟老伴 老伴记不得几岁了 七十五吧")[1]
    assert reading("household", "我跟我爹住 我爹八十一") == (
        {"members": [{"relation": "parent", "age": 81}], "gone": []}, False
    )  # unchanged: said plainly


def test_mo_before_a_spouse_word_is_no_spouse() -> None:
    assert _relations("就我和我爹 我四十多了还莫讨老婆") == (["parent"], [])
    assert _relations("我和老婆 还有我爹") == (["spouse", "parent"], [])  # unchanged


def test_a_token_now_and_then_from_children_in_need_is_no_support() -> None:
    cannot, can = {"exists": True, "can_support": False}, {"exists": True, "can_support": True}
    assert read("supporters", "儿子在外头 过年过节给个两百 平时自己都顾不上") == cannot
    assert read("supporters", "两个儿子 每年给几百块 自己也困难") == cannot
    # one of them is doing well: the token is his, and he can
    assert read("supporters", "大儿子生意还可以 逢年过节给点钱 小儿子也困难") == can
    assert read("supporters", "三个子女 都成家了 逢年过节给点") == can  # unchanged


def test_a_pension_said_for_each_of_two_is_the_two_of_them_read_back() -> None:
    got, back = reading("pension", "我跟老伴都领城乡养老金 一人一百五")
    assert got == {"kind": "residents_basic", "monthly": [300.0, 300.0]} and back
    got, back = reading("pension", "老倌一个月一百六 我也差不多")
    assert got["monthly"] == [320.0, 320.0] and back
    assert reading("pension", "养老金一个月一百五") == (
        {"kind": "residents_basic", "monthly": [150.0, 150.0]}, False
    )  # unchanged: one person


def test_a_hospital_stay_beside_another_hardship_is_its_bill_not_an_illness() -> None:
    assert read("emergency", "爹过世了 妈也住院了") == ["death", "medical_bill"]
    assert read("emergency", "住院费要交三万多") == ["medical_bill"]
    assert read("emergency", "娃娃生病住院 花了三千") == ["illness", "medical_bill"]  # a sickness named
    assert read("emergency", "老伴住院了") == ["illness"]  # unchanged: the stay alone
