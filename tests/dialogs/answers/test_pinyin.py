"""Typed pinyin read as the answer words: where two words overlap, and where a comma ends a clause."""

from collections import Counter

from bot.dialogs.answers.members import read_household
from bot.dialogs.answers.pinyin import heard


def test_overlapping_words_take_the_one_about_a_person() -> None:
    # "zai zuo" (在做) and "zuo lao" (坐牢) share "zuo": the word about a person wins, 在 stays alone
    assert heard("ta ge ge zai zuo lao") == "他哥哥在坐牢"
    assert heard("lao gong zai zuo lao, hai you san nian") == "老公在坐牢,还有三年"


def test_overlapping_words_that_say_nothing_about_a_person_stay_as_they_were() -> None:
    assert heard("ta zai jia") == "他在家"
    assert heard("nu er jia chu qu le") == "女儿嫁出去了"  # 嫁出去 is kept, not 家 + 出去了
    assert heard("er zi er xi dou zai") == "儿子儿媳都在"
    assert heard("lao po liang ge ren") == "老婆两个人"  # not 老 + 婆娘 (by the l/n merge only)


def test_a_comma_in_pinyin_still_ends_a_clause() -> None:
    house = read_household("wo he wo die, wo ma zai zuo lao")
    assert Counter((m.relation, m.age) for m in house.members) == Counter({("parent", None): 1})
    assert [(g.relation, g.gone) for g in house.gone] == [("parent", "prison")]
