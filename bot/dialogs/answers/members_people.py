"""A person the resident names, and what the piece of text about them says: how many, how old,
and whether they are dead, divorced, gone, in prison, married out or living elsewhere.

Why: "老伴去年没了" is a husband who is dead, "儿媳走了" a daughter-in-law who left, "还没成家" is
not 成家, "小的才八个月" an age of 0 and "读初二" no age at all; `members_reading` applies these to
each mention in turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.dialogs.answers.members_words import relation_words
from bot.dialogs.answers.money import mask_words
from bot.dialogs.answers.numbers import find_numbers, mend

MAX_AGE = 120
ROUND_ADULT = 30  # "七十 七十一" is one age said more exactly; "十岁 十三岁" are two children
_COUNT_BEFORE = re.compile(r"([一二两俩三四五六七八九\d])个(?:都)?$")


COUNT_AFTER = re.compile(r"^(?:也|都)?([一二两俩三四五六七八九\d])个(?!月)")
_GRADE_BEFORE = ("初", "高", "大", "读", "年级", "小学", "上")


_NOT_AGE_AFTER = (
    "个",
    "口",
    "年",
    "天",
    "块",
    "元",
    "级",
    "亩",
    "套",
    "间",
    "万",
    "千",
    "百",
    "头",
    "只",
    "次",
    "回",
    "点",
    "号",
    "斤",
    "分",
    "层",
    "代",
    "人",  # "我跟儿子两人": how many, not an age
)


@dataclass(eq=False)  # people are compared by identity: two children of unknown age are two
class Person:
    relation: str
    word: str
    age: int | None = None
    sex: str | None = None
    gone: str | None = None  # dead, divorced, left, prison, married_out, lives_elsewhere
    away: bool = False  # away for now (work, school) but in the household
    text: str = ""  # the part of the reply about this person
    grouped: bool = False  # created by a count ("三个娃娃"), details still to come
    names: set[str] = field(default_factory=set)  # every word they were named by ("女儿", "大女儿")

    def to_json(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "word": self.word,
            "age": self.age,
            "sex": self.sex,
            "away": self.away,
        }


@dataclass
class Household:
    members: list[Person] = field(default_factory=list)
    gone: list[Person] = field(default_factory=list)
    self_age: int | None = None
    nobody: bool = False  # the reply said there is nobody else
    doubts: set[str] = field(default_factory=set)  # why the reading is a guess, to be read back

    @property
    def understood(self) -> bool:
        return self.nobody or bool(self.members) or bool(self.gone)

    def to_json(self) -> dict[str, Any]:
        return {
            "members": [m.to_json() for m in self.members],
            "gone": [{"relation": g.relation, "word": g.word, "why": g.gone} for g in self.gone],
        }


# "一个我老倌 别的没有了": what is said of the others, not of this person.
_NOT_THIS_ONE = ("别的", "其他", "其它", "别个")


def _cue(piece: str, word: str) -> int:
    """Where a gone-word is said and not denied ("还没成家" is not 成家, "嫁不出克" is not 嫁), else -1."""
    at = piece.find(word)
    while at != -1:
        denied_after = piece[at + len(word) :].startswith(("不出", "不掉", "不了", "不成", "不脱"))
        denied_before = piece[:at].endswith(("没", "没有", "未", "还没", "不", "莫", "冇", *_NOT_THIS_ONE))
        if not denied_after and not denied_before:
            return at
        at = piece.find(word, at + 1)
    return -1


def reasons_gone(piece: str) -> int:
    """How many different things the piece says became of someone ("离婚以后都出去了", "一个病死了
    一个跑了"): more than one, and which applies to whom is a guess."""
    return len(_hits(piece))


def gone_reasons(piece: str) -> set[str]:
    """Every reason a piece gives for someone not being in the household."""
    return set(_hits(piece))


_INTO_FAMILY = re.compile(r"嫁(?:给我|过来|到我家|给我们)")  # married into this family, not out of it


def _hits(piece: str) -> dict[str, int]:
    vocab = relation_words()
    piece = _INTO_FAMILY.sub("", piece)
    hits = {
        why: min((at for w in words if (at := _cue(piece, w)) >= 0), default=-1)
        for why, words in vocab["gone"].items()
    }
    return {why: at for why, at in hits.items() if at >= 0}


def why_gone(piece: str, relation: str) -> str | None:
    vocab = relation_words()
    piece = _INTO_FAMILY.sub("", piece)
    hits = _hits(piece)
    if "prison" in hits and any(_cue(piece, w) >= 0 for w in vocab["released"]):
        hits.pop("prison")  # "刚刚从牢里头出来 现在在家": out of prison, home again
    if (
        relation == "child_in_law"
        and re.search(r"上门|倒插门|入赘", piece)
        and not re.search(r"改嫁|嫁人|嫁到|嫁出", piece)
    ):
        hits.pop("married_out", None)  # 上门女婿 lives with the family
    if len(hits) > 1:
        first = min(hits, key=hits.__getitem__)
        if re.search(r"(?:他|她)$", piece[: hits[first]]):
            hits.pop(first)  # "他们的妈在他坐牢以后就跑了": what became of someone else, then of her
    if not hits:
        return None
    why = min(hits, key=hits.__getitem__)
    if why == "left" and "divorced" in hits and relation in ("spouse", "child_in_law"):
        why = "divorced"  # "在外头有人了 离了": the marriage is over, whatever came first
    if why == "married_out" and relation == "spouse" and re.search(r"改嫁|嫁人|又嫁|另嫁", piece):
        return "left"  # 老婆改嫁了: the resident's wife has left them; a daughter marries out
    if (
        why == "dead"
        and ("走了" in piece or "走的" in piece)
        and not any(w in piece for w in ("病", "车祸", "出事", "死", "去世", "过世"))
    ):
        if "left" in hits:
            return "left"  # 婆娘走了 跟人跑了: the words after say how she went
        if any(w in piece for w in vocab["away"]):
            return None  # 出去打工走了: away, not dead
        if "left" in hits or re.search(r"跟(?:着)?\S{0,4}走", piece):
            return "left"  # 跟人走了, 跟着一个外地人走了: went off with someone, not dead
        if relation not in ("spouse", "parent", "parent_in_law", "grandparent"):
            return "left"  # 儿媳走了: gone from the family; only old people "走了" are read as dead
    return why


def ages_in(piece: str) -> list[int]:
    ages: list[int] = []
    piece = mend(mask_words(piece))  # 七十久, 六十凄: numerals by sound
    last_end = -9  # where the number before ended
    retract = relation_words()["retract"]
    for number in find_numbers(piece):
        after, before = piece[number.end :], piece[: number.start]
        if ages and last_end >= 0 and piece[last_end : number.start].strip() in retract:
            ages.pop()  # "六十 不是 四十": the age taken back
        close, last_end = number.start - last_end <= 2, number.end
        if (
            after.startswith(("个月", "月"))
            and number.low < 12
            and number.text != "一"
            and not before.endswith(("一年", "年"))
        ):
            ages.append(0)  # 小的才八个月
            continue
        if number.approx or number.low != number.low.to_integral_value() or before.endswith(_GRADE_BEFORE):
            if number.approx:
                ages.append(-1)  # 八十多: an age, but not a whole one
            continue
        if after.startswith(_NOT_AGE_AFTER) and not after.startswith(("岁", "周岁")):
            continue
        if number.text == "一" and not after.startswith(("岁", "周岁")):
            continue  # 一共, 一起, 一直: not an age
        if 0 <= number.low <= MAX_AGE:
            value = int(number.low)
            if ages and 0 <= ages[-1] < value and before.rstrip().endswith(("现在", "如今", "今年")):
                ages.pop()  # "那时候才五岁 现在八岁了": the age now, not then
            if ages and ages[-1] == -1:
                ages.pop()  # "六十几了 六十五": the rough age, then the exact one
            rounded = ages and ages[-1] >= ROUND_ADULT and ages[-1] % 10 == 0
            if close and rounded and ages[-1] < value < ages[-1] + 10:
                ages.pop()  # "七十 七十一": the round age, then said more exactly
            if not (ages and ages[-1] == value and after.startswith(("岁半", "半"))):
                ages.append(value)
    deduped: list[int] = []
    for age in ages:  # voice repeats: "四岁 四岁半", "六十六了六十六"
        if not deduped or deduped[-1] != age:
            deduped.append(age)
    return deduped


_EACH = re.compile(r"(?:^|(?<=\s))一个(?!月|人)")


# "儿子一个18一个15": one and one more, each with an age: as many as are said so.
_EACH_AGED = re.compile(
    r"一个\s?(?:是|才|都)?\s?(?:\d+|[一二两三四五六七八九十]+?)(?=岁|周岁|\s|$|一个|[，,])"
)


def count_in(before: str, piece: str) -> int:
    said = piece.lstrip(" 嘛呢啊么哈就是有")
    match = _COUNT_BEFORE.search(before)
    if match is None and said.startswith("一个") and len(_EACH_AGED.findall(said)) >= 2:
        return len(_EACH_AGED.findall(said))
    match = match or COUNT_AFTER.search(said)
    if match is None:
        each = len(_EACH.findall(piece))  # "姑娘们嫁完了 一个在红河 一个在昆明": two of them
        return each if piece.lstrip().startswith(("们", "些")) and each >= 2 else 1
    numbers = find_numbers(match.group(1))
    return int(numbers[0].low) if numbers and 1 <= numbers[0].low <= 12 else 1


def denied(before: str, piece: str) -> bool:
    vocab = relation_words()
    if any(
        before.endswith(w) or before.endswith(w + "个") or before.endswith(w + "有")
        for w in vocab["none_before"]
    ):
        return True
    start = piece.lstrip(" ")
    return any(start.startswith(w) and not start[len(w) :].startswith("了") for w in vocab["none_after"])


_SELF_CUT = re.compile(r"我(?:今年|都|已经|现在|自己)?[\d一二两三四五六七八九十]|我自己")


def own_piece(raw: str) -> tuple[str, str]:
    """The part of a piece about this person, and what follows a pronoun about someone else."""
    cut = _SELF_CUT.search(raw)
    if cut is not None:
        raw = raw[: cut.start()]
    pronoun = re.search(r"(?:(?<=\s)|后来|然后)(?:他|她)(?!们)(?:嫌|又|就|也|把)", raw)
    if pronoun is not None and pronoun.start() > 0:
        return raw[: pronoun.start()], raw[pronoun.start() :]
    return raw, ""


def fill(
    person: Person,
    word: str,
    exact: list[int],
    why: str | None,
    piece: str,
    house: Household,
    ages: list[int],
) -> None:
    vocab = relation_words()
    person.names.add(word)
    if word not in vocab["ordinals"]:
        person.word = word
    person.sex = person.sex or vocab["sex"].get(word)
    retracted = person.text.rstrip().endswith(vocab["retract"])  # "儿子也六十 不是 儿子四十了"
    person.text = (person.text + " " + piece).strip()
    person.grouped = False
    if exact and -1 not in ages[:1] and (person.age is None or retracted):
        person.age = exact[0]
    if why:
        person.gone = why
        if person in house.members:
            house.members.remove(person)
        house.gone.append(person)
