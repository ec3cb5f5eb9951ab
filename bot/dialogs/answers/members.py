"""Who is in the household, from however the resident says it.

Why: "老婆27 三个娃娃 大的10岁 老二6岁 老三才1岁" is four people; "老伴去年没了 儿子三十五 有残疾"
is one living son and a husband who must never be counted or asked about; "没老婆 没娃娃" is nobody;
"外孙跟着我 他妈妈改嫁了" is a grandson whose mother (the resident's daughter) married out. The
reply is cut at every relation word (relations.yaml); a word right after someone just named is
read relative to them ("孙子他妈" is a daughter-in-law, "老倌他妈" a mother-in-law); each piece says
how many, how old, and whether that person is dead, divorced, gone, in prison, married out or
living elsewhere. Each member keeps the piece of text about them, so facts in it (a disability,
school, work) can be taken by `screening_story` without asking again.
"""

from __future__ import annotations

import re

from bot.dialogs.answers.members_people import Household, Person, ages_in, why_gone
from bot.dialogs.answers.members_reading import Reading
from bot.dialogs.answers.members_speaker import for_applicant
from bot.dialogs.answers.members_words import Mention, mentions, relation_words
from bot.dialogs.answers.numbers import find_numbers
from bot.dialogs.answers.pinyin import heard

__all__ = ["Household", "Person", "read_household"]

_SELF_AGE = re.compile(r"(?:^|[^他她它])我(?:今年|都|已经|也|才|快|现在|是)?(?=[\d一二两三四五六七八九十])")


# The resident naming themself: "就我一个老婆子", "我这个老头子" is the resident, not a spouse.
_OTHER_OF_COUPLE = re.compile(
    r"(?:[他她](?:今年|都|也|才|已经)?|(?<![不没])都(?:是|有|已经)?\s?)([一二两三四五六七八九十\d]+[多几来]?岁?)"
)  # "他七十", and "夫妻俩 都是70岁": both that age
_SELF_NAMED = re.compile(
    r"我(一个|这个|这种|这)(?:孤)?(?:老婆子|老太婆|老头子|老头|老倌|老人家|老人|老婆婆|老奶|孤老)"
)


def _unspaced(text: str) -> str:
    """A reply typed a character at a time with spaces between ("我 老公 死 了。儿子 二 个。十 岁 八
    岁"): the spaces dropped between characters, so words and ages read whole."""
    tokens = text.split()
    singles = sum(1 for t in tokens if len(t) == 1)
    if len(tokens) < 5 or singles < 0.6 * len(tokens):
        return text
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)


def read_household(text: str) -> Household:
    """Members and gone people in a reply; `understood` is False when it names nobody at all."""
    vocab = relation_words()
    flat = re.sub(r"[\s，,。.!！?？；;、：:（）()]+", " ", _unspaced(heard(text)))
    flat = _SELF_NAMED.sub(lambda m: "我一个" if m.group(1) == "一个" else "我", flat)
    for pair in vocab["self_pair"]:
        flat = flat.replace(pair, "我 ")  # "就我们两娘母": the resident (and the child named beside)
    house = Household()
    found = mentions(flat)
    turned = for_applicant(flat, found)
    house.self_age = _self_age(flat, found) if turned is None else turned[1]  # not the typer's age
    found = found if turned is None else turned[0]
    if any(w in flat for w in vocab["couple"]) and not any(m.relation == "spouse" for m in found):
        said = _OTHER_OF_COUPLE.search(flat)  # "就老两口 他七十我六十九": 他 is the spouse
        ages = ages_in(said.group(1)) if said else []
        house.members.append(Person("spouse", "老伴", age=ages[0] if ages and ages[0] >= 0 else None))
    state = Reading(house, [])
    for index, mention in enumerate(found):
        stop = next((m.start for m in found[index + 1 :] if m.start > mention.start), len(flat))
        state.read(mention, flat, stop, found[index - 1] if index else None)
    house.members = [m for m in house.members if m.gone is None]
    _ages_against_self(flat, house)
    _one_former_in_law(house)
    _elsewhere(flat, house)
    _spouse_without_word(flat, house, found)
    _pronoun_age(flat, house)
    compact = flat.replace(" ", "")
    if not house.members and (_alone(compact) or (state.negated and not house.gone)):
        house.nobody = True
    if not house.understood and any(w in compact for w in (*vocab["no_spouse"], *vocab["no_children"])):
        house.nobody = True
    size = _size_said(flat)
    if size is not None and house.members and size != len(house.members) + 1:
        house.doubts.add("count")  # "我们家是四口" but five named: who is counted is a guess
    if any(_away_or_gone(p) for p in (*house.members, *house.gone)):
        house.doubts.add("away")  # "在外地打工 … 不回来": away for work, or gone?
    if len(compact) >= LONG_STORY and len(house.members) + len(house.gone) >= STORY_PEOPLE and house.gone:
        house.doubts.add("story")  # a whole story with people gone from it: read back what was taken
    people = len(house.members) + len(house.gone)
    if people > SEVERAL_PEOPLE or (house.gone and house.members and len(compact) >= GONE_STORY):
        house.doubts.add("several")  # who is who, how old, and who is gone: checked, as a caseworker would
    if turned is not None or _FOR_SOMEONE.search(flat):
        house.doubts.add("speaker")  # "我帮我外婆填的": whose 外公, whose 儿女 is a guess
    if any(p.age is not None for p in house.members) and (
        _EITHER_AGE.search(compact) or any(w in compact for w in vocab["age_unsure"])
    ):
        house.doubts.add("age")  # "六十九还是七十 记不清": the age is a guess
    if any(not _fits(person, house.self_age) for person in house.members):
        house.doubts.add("age")  # a number given to the wrong person: a parent of six, a child older than you
    return house


# "六十九还是七十", "七十二还是七十三": one age or the other.
_EITHER_AGE = re.compile(r"[一二两三四五六七八九十\d]岁?还是[一二两三四五六七八九十\d]")
# "老公比我大五岁 … 我三十五": an age said against the resident's own.
_THAN_ME = re.compile(r"(\S{1,4}?)比我(大|小)([一二两三四五六七八九十\d]{1,3})岁")


def _ages_against_self(flat: str, house: Household) -> None:
    if house.self_age is None:
        return
    for match in _THAN_ME.finditer(flat):
        gap = ages_in(match.group(3) + "岁")
        named = [  # the gap itself may have been taken as their age ("老伴比我小三岁": not 3)
            m for m in house.members if m.age in (None, *gap[:1]) and match.group(1).endswith(m.word)
        ]
        if len(named) == 1 and gap and gap[0] > 0:
            named[0].age = house.self_age + (gap[0] if match.group(2) == "大" else -gap[0])


# "我十六 她十二": after the resident's own age, a pronoun's age is the other one's.
_HIS_AFTER_MINE = re.compile(
    r"我(?:今年)?\s?[一二两三四五六七八九十\d]+岁?[\s，,]?(?:而|和)?\s?[他她](?:今年|才|也|已经)?\s?([一二两三四五六七八九十\d]+岁?)"
)


def _pronoun_age(flat: str, house: Household) -> None:
    """The one person named besides the resident, without an age, takes the pronoun's age said
    right after the resident's own."""
    match = _HIS_AFTER_MINE.search(flat)
    if match is None or len(house.members) != 1 or house.members[0].age is not None:
        return
    ages = ages_in(match.group(1))
    if ages and ages[0] >= 0:
        house.members[0].age = ages[0]


def _one_former_in_law(house: Household) -> None:
    """ "儿子离婚了 儿媳回娘家了": the divorced child's former spouse, then named as gone, is one
    person, gone by the divorce."""
    former = [g for g in house.gone if g.relation == "child_in_law" and g.gone == "divorced"]
    named = [g for g in house.gone if g.relation == "child_in_law" and g.gone != "divorced"]
    if len(former) == 1 and len(named) == 1 and house.gone.index(former[0]) < house.gone.index(named[0]):
        house.gone.remove(named[0])


def _away_or_gone(person: Person) -> bool:
    """Said to be away (work, school) and to have left, of the same person."""
    away = any(w in person.text for w in relation_words()["away"])
    if person.gone is None:
        return person.away and why_gone(person.text, person.relation) is not None
    return person.gone == "left" and away


def _size_said(flat: str) -> int | None:
    """The household's size as the reply says it ("我们家是四口", "屋头三个"), or None."""
    words = "|".join(relation_words()["household_count"])
    number = r"([一二两三四五六七八九\d])\s?(?:口人|个人|口|个)(?!月|娃|孩|孙|儿|女|姑|老|小|大)"
    match = re.search(rf"(?:{words})\S{{0,4}}?{number}", flat) or _SIZE_CLAUSE.search(flat)
    if match is None:
        return None
    found = find_numbers(match.group(1))
    return int(found[0].low) if found else None


# The size said as a clause of its own: "两个人，我跟老伴 …", "老伴七十，两个人，" (not "两个人都在打工").
_SIZE_CLAUSE = re.compile(r"(?:^|[\s，,：:。])([二两三四五六七八九\d])\s?(?:口人|个人|口)(?=[\s，,：:。]|$)")


# A reply this long (characters) naming this many people, some of them gone, is a story: the
# household taken from it is read back, as a caseworker would.
LONG_STORY = 60
STORY_PEOPLE = 3
SEVERAL_PEOPLE = 3  # more people than this named in one answer: read back who was taken
GONE_STORY = 30  # an answer this long naming both the household and people gone from it: read back


# Typed by someone for another person ("我帮我外婆填的", "我替他问", "我是孙女 帮我爷爷问的"):
# relation words may be the typer's, not the resident's. (Not "我侄女帮我打的字": for the resident.)
_FOR_SOMEONE = re.compile(
    r"我(?:是\S{0,3}?)?\s?(?:帮|替|代)(?:我(?!们?\s?(?:打|写|填|问|发|弄))|他|她)\S{0,4}?(?:问|填|打|写|查|弄)"
)


# Ages a relation cannot have: a number read as their age was meant for someone else.
_AGES = {"parent": (30, 120), "parent_in_law": (30, 120), "grandparent": (45, 120), "spouse": (16, 120),
         "grandchild": (0, 50), "child_in_law": (16, 100)}
GENERATION = 14  # the least gap in years between a parent and a child


def _fits(person: Person, self_age: int | None) -> bool:
    if person.age is None:
        return True
    low, high = _AGES.get(person.relation, (0, 120))
    if person.relation == "child" and self_age is not None:
        high = self_age - GENERATION
    return low <= person.age <= high


def _self_age(flat: str, found: list[Mention]) -> int | None:
    match = _SELF_AGE.search(flat)
    if match is None:
        return None
    ages = [a for a in ages_in(flat[match.end() : match.end() + 6]) if a >= 0]
    first_after = next((m for m in found if m.start >= match.end()), None)
    if ages and (first_after is None or first_after.start > match.end() + 1):
        return ages[0]
    return None


# "就我们俩", "只有我们老两口": the resident and the spouse are the whole household; the
# others named live elsewhere unless their 户口 or schooling keeps them in it. Not when others
# follow as the couple's company ("就我们两个带孙子").
_COUPLE_ONLY = re.compile(
    r"(?:就|只有|就剩|只剩)(?:我们|我俩|咱们)(?:俩|两个|两口子?|老两口|两个人)"
    r"(?!娃|孩|孙|\S{0,2}(?:带|养|和|跟|加|还有))"
)
_STILL_HOME = re.compile(r"户口(?:还)?在(?:家|屋|一起)|读书|上学|住校|念书")


def _elsewhere(flat: str, house: Household) -> None:
    """ "儿子在昆明" (no work or school said): living elsewhere; and when the reply says the resident
    lives alone ("屋头就我一个"), everyone else it names lives elsewhere."""
    vocab = relation_words()
    compact = flat.replace(" ", "")
    couple = _COUPLE_ONLY.search(compact)
    spouses = [m for m in house.members if m.relation == "spouse"]
    if couple and len(spouses) == 1:  # "老伴八十 就我们俩 三个孩子都在外地": nobody else lives here
        for person in [m for m in house.members if m is not spouses[0] and not _STILL_HOME.search(m.text)]:
            if person.away:
                house.doubts.add("away")  # working away may still be the household: read back
            person.gone = "lives_elsewhere"
            house.members.remove(person)
            house.gone.append(person)
        return
    only = re.search(r"就(?:我|我们)(?:和|跟)(?:我)?(?:的|那个)?(\S{1,3}?)两个", compact)
    if only and any(
        m.word == only.group(1) for m in house.members
    ):  # "就我和老伴两个": nobody else lives here
        for person in [m for m in house.members if m.word != only.group(1)]:
            person.gone = "lives_elsewhere"
            house.members.remove(person)
            house.gone.append(person)
        return
    alone = any(
        w in compact and not compact.split(w, 1)[1].startswith(("带", "养", "种", "打工", "照顾"))
        for w in vocab["alone_strict"]
    )
    for person in list(house.members):
        piece = person.text.replace(" ", "")
        away = any(w in piece for w in vocab["away"])
        placed = (
            piece.startswith(("在", "住在", "去了"))
            and not away
            and any(w in piece[:6] for w in (*vocab["places"], "外地", "外面", "城里", "县城", "外省"))
        )
        linked = any(
            re.search(rf"{w}(?:我)?(?:的|那个)?{re.escape(person.word)}", compact) for w in vocab["with"]
        )
        if placed or (alone and not linked and person.relation in ("child", "grandchild", "sibling")):
            person.gone = "lives_elsewhere"
            house.members.remove(person)
            house.gone.append(person)


def _spouse_without_word(flat: str, house: Household, found: list[Mention]) -> None:
    """ "离了 带着姑娘", "丧偶": a spouse gone without being named."""
    compact = flat.replace(" ", "")
    divorced = (
        compact.startswith(("离了", "离婚", "离异"))
        or "我离婚" in compact
        or "早就离了" in compact
        or re.search(r"离婚[一二两三四五六七八九十\d几]+年", compact) is not None
    )
    spouses = [m for m in house.members if m.relation == "spouse"]
    if divorced and len(spouses) == 1 and not any(g.relation == "spouse" for g in house.gone):
        spouses[0].gone = "divorced"  # "离婚十年了 娃娃判给他爹了": the child's father is the former husband
        house.members.remove(spouses[0])
        house.gone.append(spouses[0])
        return
    if any(m.relation == "spouse" for m in found) or spouses:
        return
    if divorced:
        house.gone.append(Person("spouse", "配偶", gone="divorced"))
    elif "丧偶" in compact:
        house.gone.append(Person("spouse", "配偶", gone="dead"))


def _alone(compact: str) -> bool:
    vocab = relation_words()
    return any(w in compact for w in vocab["alone"]) or (
        any(compact.startswith(w) for w in ("没有", "没得", "莫得", "没了", "没人", "无"))
        and len(compact) <= 8
    )
