"""Households in one message: Yunnan words, counts, ordinals, the dead and the gone, pinyin."""

from collections import Counter

import pytest

from bot.dialogs.answers.members import read_household


def people(text: str) -> tuple[Counter, Counter, bool]:
    house = read_household(text)
    return (
        Counter((m.relation, m.age) for m in house.members),
        Counter((g.relation, g.gone) for g in house.gone),
        house.nobody,
    )


def test_several_members_in_one_message() -> None:
    members, gone, _ = people("老婆27 三个娃娃 大的10岁 老二6岁 老三才1岁")
    assert members == Counter({("spouse", 27): 1, ("child", 10): 1, ("child", 6): 1, ("child", 1): 1})
    assert not gone


@pytest.mark.parametrize(
    ("text", "members", "gone"),
    [
        ("老伴去年没了 儿子三十五 有残疾", {("child", 35)}, {("spouse", "dead")}),
        ("屋头就我和姑娘", {("child", None)}, set()),
        ("我和老倌两个 他65", {("spouse", 65)}, set()),
        ("老公在坐牢 我带着两个娃娃", {("child", None)}, {("spouse", "prison")}),
        ("有个姑娘嫁出去了 她自己都难 管不了我", set(), {("child", "married_out")}),
        ("儿子在昆明成家了 就我和老伴", {("spouse", None)}, {("child", "lives_elsewhere")}),
        (
            "外孙跟着我 他妈改嫁了 他爹病死了",
            {("grandchild", None)},
            {("child", "married_out"), ("child_in_law", "dead")},
        ),
        ("老倌和老倌他妈 她八十了", {("spouse", None), ("parent_in_law", 80)}, set()),
        ("离了 一个人带着姑娘 姑娘六岁", {("child", 6)}, {("spouse", "divorced")}),
        # the resident naming themself is not a spouse
        ("就我一个老太婆 两个儿子都在外省", set(), {("child", "lives_elsewhere")}),
        ("我这个老头子带着孙女 孙女九岁", {("grandchild", 9)}, set()),
    ],
)
def test_relations_and_what_became_of_people(text: str, members: set, gone: set) -> None:
    got_members, got_gone, _ = people(text)
    assert set(got_members) == members and set(got_gone) == gone


@pytest.mark.parametrize("text", ["没老婆 没娃娃", "就我一个", "我今年六十八 一个人过", "无儿无女 光棍一条"])
def test_nobody(text: str) -> None:
    members, _, nobody = people(text)
    assert not members and nobody


def test_the_dead_are_never_members() -> None:
    for text in ("老伴走了 儿子在家", "老伴不在了 儿子在家", "老伴去世了 儿子在家", "老伴没得了 儿子在家"):
        members, gone, _ = people(text)
        assert ("spouse", "dead") in gone and all(r != "spouse" for r, _ in members), text


def test_away_for_work_still_belongs_and_young_people_who_leave_are_not_dead() -> None:
    house = read_household("老公在外面打工 户口在家 儿媳走了")
    assert [m.relation for m in house.members] == ["spouse"] and house.members[0].away
    assert [(g.relation, g.gone) for g in house.gone] == [("child_in_law", "left")]


def test_pinyin_and_words_written_by_sound() -> None:
    assert people("wo he lao ban liang ge ren")[0] == Counter({("spouse", None): 1})
    assert people("老伴 儿子 儿息")[0] == Counter(
        {("spouse", None): 1, ("child", None): 1, ("child_in_law", None): 1}
    )


def test_a_vague_word_with_a_count_adds_only_who_is_not_named_yet() -> None:
    members, _, _ = people("有老倌有孩子 孩子三个")
    assert members == Counter({("spouse", None): 1, ("child", None): 3})
    members, _, _ = people("大孙子十四 小孙子九岁 我一个人带两个娃娃")
    assert members == Counter({("grandchild", 14): 1, ("grandchild", 9): 1})


@pytest.mark.parametrize(
    ("text", "members", "gone"),
    [
        # whoever types for the resident is not in the household
        ("我孙女帮我写的 家里就我和老伴 他七十", {("spouse", 70): 1}, {}),
        # a pair said as one, both gone
        ("就我带着女儿 我爸妈住在别的寨子", {("child", None): 1}, {("parent", "lives_elsewhere"): 2}),
        (
            "外孙女八岁 她爹她妈都跑了",
            {("grandchild", 8): 1},
            {("child", "left"): 1, ("child_in_law", "left"): 1},
        ),
        # giving birth names nobody
        (
            "儿子三十 儿媳生了娃就走了 孙子三岁",
            {("child", 30): 1, ("grandchild", 3): 1},
            {("child_in_law", "left"): 1},
        ),
        # the same person named again; a rough age, then the exact one
        ("我 我爸 儿子 爸七十 儿子十二", {("parent", 70): 1, ("child", 12): 1}, {}),
        ("老伴 他七十几了 七十二", {("spouse", 72): 1}, {}),
        ("老伴前年得肺癌走的 儿子二十", {("child", 20): 1}, {("spouse", "dead"): 1}),
        # the formal word for a spouse; a marriage denied after the word (嫁不掉), and never married
        ("本人 配偶六十一", {("spouse", 61): 1}, {}),
        ("姑娘二十八了 嫁不掉 在家帮我做活", {("child", 28): 1}, {}),
        ("就我跟我爹 我四十几了 莫得讨到老婆", {("parent", None): 1}, {}),
    ],
)
def test_households_said_in_unseen_ways(text: str, members: dict, gone: dict) -> None:
    found_members, found_gone, _ = people(text)
    assert found_members == Counter(members) and found_gone == Counter(gone)


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("孙女跟着我 孙女七岁 她爸她妈都出去了", "relation"),  # whose parents: the pronoun's guess
        ("儿子儿媳 一个车祸没了 一个跑了", "why"),  # which fate is whose
        ("老伴 两个娃 老大十二 小的五岁", None),
        ("老伴 婆婆 两个娃 老大十二 小的五岁", "several"),  # four people: who is who is checked
        ("我跟姑娘两个住 老倌前几年在矿上出事走了 儿子在昆明成家了 一年回来一趟", "several"),  # gone too
        ("婆婆五岁 老伴五十", "age"),  # an age no mother-in-law has
        ("我们家一共三口人 我 老伴 儿子 孙子", "count"),  # three said, four named
        ("我是外孙 帮我外婆问的 外公前年走了", "speaker"),  # relations said from the typer
        ("老伴七十二 女儿在昆明打工 一直不回来", "away"),  # away for work, or gone?
    ],
)
def test_a_household_read_from_a_guess_says_so(text: str, doubt: str | None) -> None:
    doubts = read_household(text).doubts
    assert (doubt in doubts) if doubt else not doubts


def test_a_round_age_then_the_exact_one_and_going_off_with_someone() -> None:
    members, _, _ = people("老伴 她六十 六十三了")
    assert members == Counter({("spouse", 63): 1})
    members, _, _ = people("孙子两个 八岁 十岁")
    assert members == Counter({("grandchild", 8): 1, ("grandchild", 10): 1})
    members, _, _ = people("现在跟大姑娘一家住 姑娘四十 女婿四十二")  # the elder daughter, named again
    assert members == Counter({("child", 40): 1, ("child_in_law", 42): 1})
    _, gone, _ = people("老婆前些年跟着别人走了 我带着儿子")
    assert gone == Counter({("spouse", "left"): 1})


def test_a_wife_who_remarried_has_left_while_a_daughter_marries_out() -> None:
    house = read_household("就我和两个娃娃 老婆前几年改嫁了")
    assert [(g.relation, g.gone) for g in house.gone] == [("spouse", "left")]
    house = read_household("外孙跟着我 他妈改嫁了")
    assert [(g.relation, g.gone) for g in house.gone] == [("child", "married_out")]


def test_a_word_written_by_sound_is_not_mended_across_a_known_word() -> None:
    from bot.dialogs.answers.pinyin import heard

    assert "肝硬化" in heard("老倌得了肝硬化了")  # not 肝硬花了 (花了, a cost)
    assert heard("老伴 儿息") == "老伴 儿媳"


def test_pinyin_digit_syllables_that_make_a_word_are_the_word() -> None:
    from bot.dialogs.answers.pinyin import heard

    assert heard("wo ma ba ba si le") == "我妈爸爸死了"  # not 八八四了
    assert heard("liu shi ba sui") == "六十八岁"  # a unit: a number
    assert heard("yao wu ba ba liu liu") == "幺五八八六六"  # a run of digits: a phone number
    _, gone, _ = people("jiu wo he er zi, ta ba ba si le")
    assert gone == Counter({("spouse", "dead"): 1})  # the son's father: the resident's husband


def test_a_couple_word_then_his_or_her_age_is_the_spouses() -> None:
    house = read_household("就我们老两口 她六十八了 我七十")
    assert [(m.relation, m.age) for m in house.members] == [("spouse", 68)] and house.self_age == 70


@pytest.mark.parametrize(
    ("text", "members", "gone"),
    [
        # a former spouse is divorced without saying so
        ("前夫的女儿跟着我 八岁", {("child", 8)}, {("spouse", "divorced")}),
        # "just the two of us": the others named live elsewhere, unless schooling keeps them in
        ("老伴七十 就我们俩 一个儿子在外面", {("spouse", 70)}, {("child", "lives_elsewhere")}),
        ("老伴七十 就我们俩 孙子在县城读书", {("spouse", 70), ("grandchild", None)}, set()),
        # a pair, then each of them named with an age
        ("跟我爹妈住 我爹七十 我妈六十八", {("parent", 70), ("parent", 68)}, set()),
        # the same brother named twice, short and doubled
        ("我和我哥 哥哥四十 腿有残疾", {("sibling", 40)}, set()),
        # "别的没有了" says nobody else, not that the husband is gone
        ("我和老伴 别的没有了", {("spouse", None)}, set()),
        # the age now, not the age then
        ("老公走的时候姑娘才三岁 现在九岁了", {("child", 9)}, {("spouse", "dead")}),
        # divorced is what the marriage is, whatever came before it
        ("老婆在外面有人了 后来离了", set(), {("spouse", "divorced")}),
        # the wife's family home: her father is a father-in-law
        ("媳妇娘家的爹也跟我们住 七十二", {("spouse", None), ("parent_in_law", 72)}, set()),
        # 三代人 is three generations, not an age
        ("我们三代人 我 我儿子 我孙子", {("child", None), ("grandchild", None)}, set()),
        ("孩子爸爸前年出车祸没了", set(), {("spouse", "dead")}),
        ("有个外甥偶尔过来看我", set(), {("nephew_niece", "lives_elsewhere")}),
        # an ordinal named again is the same daughter; an age after an ordinal is not "老大是…"
        ("两个姑娘 大姑娘二十 小姑娘十五 大姑娘在读大学", {("child", 20), ("child", 15)}, set()),
    ],
)
def test_former_spouses_couples_pairs_and_people_named_again(text: str, members: set, gone: set) -> None:
    got_members, got_gone, _ = people(text)
    assert set(got_members) == members and set(got_gone) == gone
    assert sum(got_members.values()) == len(members)


def test_both_of_a_pair_gone_leaves_the_sibling_named_before_in_the_household() -> None:
    members, gone, _ = people("就我和我弟 爹妈都走了 弟弟十二")
    assert members == Counter({("sibling", 12): 1})
    assert gone == Counter({("parent", "dead"): 2})


def test_a_child_who_went_with_a_parent_who_left_lives_elsewhere() -> None:
    members, gone, _ = people("我和老伴 孙女跟着她妈走了")
    assert members == Counter({("spouse", None): 1})
    assert gone == Counter({("child_in_law", "left"): 1, ("grandchild", "lives_elsewhere"): 1})


def test_a_step_parent_is_a_parent_beside_the_other_one() -> None:
    members, gone, _ = people("我和我妈 还有后爹 后爹六十 我妈五十八")
    assert members == Counter({("parent", 58): 1, ("parent", 60): 1}) and not gone
    members, gone, _ = people("跟继母过 她四十九 我爸前年没了")
    assert members == Counter({("parent", 49): 1}) and gone == Counter({("parent", "dead"): 1})


def test_the_old_one_at_home_is_most_likely_the_spouse_and_read_back() -> None:
    house = read_household("就我和屋头老的 他八十一了")
    assert [(m.relation, m.age) for m in house.members] == [("spouse", 81)] and "relation" in house.doubts


def test_a_count_then_two_words_of_one_kind_is_that_many_and_a_third_of_another_sex_is_more() -> None:
    members, _, _ = people("带着两个孙子孙女 大的九岁 小的四岁")
    assert members == Counter({("grandchild", 9): 1, ("grandchild", 4): 1})
    members, _, _ = people("两个孙子 大孙子十四 小孙子十一")
    assert members == Counter({("grandchild", 14): 1, ("grandchild", 11): 1})
    members, _, _ = people("两个儿子 还有一个姑娘")
    assert members == Counter({("child", None): 3})
    members, _, _ = people("两个娃 一个是儿子 一个是姑娘")
    assert members == Counter({("child", None): 2})


def test_a_kin_word_doubled_a_wifes_mothers_home_and_a_former_spouse() -> None:
    members, _, _ = people("就我跟我哥 哥哥四十 腿不好")  # 哥 then 哥哥: one brother
    assert members == Counter({("sibling", 40): 1})
    members, _, _ = people("就我和媳妇 媳妇娘家的妈也跟我们住 八十")  # 娘家 is no mother named
    assert members == Counter({("spouse", None): 1, ("parent_in_law", 80): 1})
    members, gone, _ = people("我跟老婆 还有前妻生的儿子 九岁")
    assert members == Counter({("spouse", None): 1, ("child", 9): 1})
    assert gone == Counter({("spouse", "divorced"): 1})
    _, gone, _ = people("儿子离婚了 儿媳妇回娘家了")  # the former daughter-in-law, once
    assert gone == Counter({("child_in_law", "divorced"): 1})
    _, gone, _ = people("我们娃娃妈妈前年病没了")
    assert gone == Counter({("spouse", "dead"): 1})


def test_only_the_two_of_us_leaves_the_others_elsewhere_and_three_generations_is_no_age() -> None:
    house = read_household("老伴七十六 就我们两个 儿子成家了在玉溪")
    assert [(m.relation, m.age) for m in house.members] == [("spouse", 76)]
    assert [(g.relation, g.gone) for g in house.gone] == [("child", "lives_elsewhere")]
    away = read_household("就我们俩 老伴七十 两个姑娘都在外地打工")
    assert [m.relation for m in away.members] == ["spouse"] and "away" in away.doubts  # a guess
    members, _, _ = people("我 我爸 我儿子 三代人 我爸七十 儿子六岁")
    assert members == Counter({("parent", 70): 1, ("child", 6): 1})


@pytest.mark.parametrize(
    ("text", "members", "gone"),
    [
        # dialect for prison and for a child who set up house apart (克 = 去)
        ("老公在牢头 二儿子分出克了 小儿子八岁", {("child", 8)},
         {("spouse", "prison"), ("child", "lives_elsewhere")}),
        # a child not yet married: no child-in-law
        ("我和儿子两个 儿子四十了还没讨着媳妇", {("child", 40)}, set()),
        # the child went with the divorced spouse
        ("我跟老婆早就离了 姑娘跟她 现在屋头就我和我爹", {("parent", None)},
         {("spouse", "divorced"), ("child", "lives_elsewhere")}),
        # a spouse's grandparent is no grandparent of the resident, named again by the word
        ("我和老婆 还有老婆她外婆 外婆八十八", {("spouse", None), ("other", 88)}, set()),
        # a count after a word, then someone named before, named again
        ("我 儿媳和儿子 孙女两个 儿媳是外省的",
         {("child_in_law", None), ("child", None), ("grandchild", None)}, set()),
        # an age against the resident's own
        ("就我跟老伴 老伴比我小四岁 我六十六", {("spouse", 62)}, set()),
        ("我们两个老的 我七十 她六十八", {("spouse", 68)}, set()),
        # 是 typed by sound for 十 before 岁
        ("我和女儿 女儿二是岁", {("child", 20)}, set()),
    ],
)
def test_prison_apart_unmarried_with_the_gone_and_ages_against_ones_own(
    text: str, members: set, gone: set
) -> None:
    got_members, got_gone, _ = people(text)
    assert set(got_members) == members and set(got_gone) == gone
    if "孙女两个" in text:
        assert got_members[("grandchild", None)] == 2


def test_nobody_left_but_me_and_a_typer_for_an_uncle() -> None:
    assert read_household("家里莫得哪个了 就剩我一个").nobody
    house = read_household("我是帮我舅舅问的 他一个人过 舅妈前年走了")
    assert [(g.relation, g.gone) for g in house.gone] == [("spouse", "dead")] and not house.members
    assert "speaker" in house.doubts  # typed for someone else: read back


def test_dialect_莫_denies_a_gone_word_as_没_does() -> None:
    house = read_household("我和老伴 还有个大儿子 三十二了 莫成家 跟我们住")
    assert [p.relation for p in house.members] == ["spouse", "child"] and not house.gone


def test_an_age_taken_back_is_replaced_by_the_one_said_next() -> None:
    members, _, _ = people("老倌七十二 姑娘也七十 不对 姑娘四十五")
    assert members == Counter({("spouse", 72): 1, ("child", 45): 1})
    members, _, _ = people("我和孙子 孙子十二 不是 十一岁")
    assert members == Counter({("grandchild", 11): 1})
    # no word taking it back: the first age stays, the second is someone else's or ignored
    members, _, _ = people("老伴六十八 儿子四十 儿子在家")
    assert members == Counter({("spouse", 68): 1, ("child", 40): 1})


def test_the_old_ones_in_dialect_are_the_parents() -> None:
    members, gone, nobody = people("屋头就剩我 老人些早就过世了 也没讨婆娘")
    assert not members and nobody
    assert gone == Counter({("parent", "dead"): 1})
    members, _, _ = people("就我跟我家老的 老的七十")  # 我家老的: the spouse, as before
    assert members == Counter({("spouse", 70): 1})


def test_how_many_people_is_not_an_age() -> None:
    members, _, _ = people("我和姑娘两人 姑娘今年二是九岁")  # 二是九: 二十九 by sound
    assert members == Counter({("child", 29): 1})
    members, _, _ = people("我和老伴两个 她七十")  # a count said as 两个, as before
    assert members == Counter({("spouse", 70): 1})


def test_out_of_prison_and_home_again_is_in_the_household() -> None:
    members, gone, _ = people("我跟我姑娘 姑娘三十 我儿子 儿子去年从监狱出来 现在在家种地")
    assert members == Counter({("child", 30): 1, ("child", None): 1})
    assert not gone
    _, gone, _ = people("我和我孙女 她爹还在监狱里 要明年才出来")  # still inside
    assert gone == Counter({("child", "prison"): 1})


def test_a_married_daughter_is_married_out_and_an_unmarried_one_stays() -> None:
    _, gone, _ = people("我和老伴两个 老伴七十 有个女儿在玉溪上班 已经结婚了")
    assert gone == Counter({("child", "married_out"): 1})
    members, gone, _ = people("我和老伴 还有个女儿三十 在家 没结婚")
    assert members == Counter({("spouse", None): 1, ("child", 30): 1}) and not gone


def test_an_old_womans_name_and_her_word_for_a_wife() -> None:
    house = read_household("我跟我家老奶 老奶七十五 我七十七")  # an old man's wife, read back
    assert [(m.relation, m.age) for m in house.members] == [("spouse", 75)]
    assert "relation" in house.doubts
    members, gone, _ = people("帮王老奶问 她家就她和孙子 孙子九岁 儿子死了")  # a neighbour's name
    assert members == Counter({("grandchild", 9): 1}) and gone == Counter({("child", "dead"): 1})
    members, _, _ = people("我跟老奶奶住 老奶奶八十六")  # 老奶奶: a grandmother, as before
    assert members == Counter({("grandparent", 86): 1})
    members, _, _ = people("我 老婆 还有老丈母 老丈母七十")
    assert members == Counter({("spouse", None): 1, ("parent_in_law", 70): 1})


def test_a_person_named_again_as_is_the_same_person_under_either_word() -> None:
    members, _, _ = people("我跟老倌 还有老倌他爹 就是我公公 公公八十五 老倌六十")
    assert members == Counter({("spouse", 60): 1, ("parent_in_law", 85): 1})
    members, _, _ = people("我跟老倌 还有公公 婆婆 公公八十五")  # two people, as before
    assert members == Counter({("spouse", None): 1, ("parent_in_law", 85): 1, ("parent_in_law", None): 1})


def test_a_plural_word_then_one_and_another_counts_each() -> None:
    _, gone, _ = people("我和老伴 儿子些都成家了 一个在玉溪 一个在昆明 一个在广东")
    assert gone == Counter({("child", "lives_elsewhere"): 3})
    _, gone, _ = people("我和老伴 儿子成家了 一个人在昆明")  # one son, alone there: as before
    assert gone == Counter({("child", "lives_elsewhere"): 1})
