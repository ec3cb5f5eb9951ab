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
from dataclasses import dataclass, field
from typing import Any

from bot.dialogs.answers.members_words import Mention, homophones, mentions, relation_words
from bot.dialogs.answers.money import mask_words
from bot.dialogs.answers.numbers import find_numbers
from bot.text import fold

MAX_AGE = 120
_SELF_AGE = re.compile(r"(?:^|[^他她它])我(?:今年|都|已经|也|才|快|现在|是)?(?=[\d一二两三四五六七八九十])")
_COUNT_BEFORE = re.compile(r"([一二两俩三四五六七八九\d])个(?:都)?$")
_COUNT_AFTER = re.compile(r"^(?:也|都)?([一二两俩三四五六七八九\d])个")
_GRADE_BEFORE = ("初", "高", "大", "读", "年级", "小学", "上")
_NOT_AGE_AFTER = ("个", "口", "年", "天", "块", "元", "级", "亩", "套", "间", "万", "千", "百", "头", "只", "次",
                  "回", "点", "号", "斤", "分", "层")


@dataclass
class Person:
    relation: str
    word: str
    age: int | None = None
    sex: str | None = None
    gone: str | None = None  # dead, divorced, left, prison, married_out, lives_elsewhere
    away: bool = False  # away for now (work, school) but in the household
    text: str = ""  # the part of the reply about this person
    grouped: bool = False  # created by a count ("三个娃娃"), details still to come

    def to_json(self) -> dict[str, Any]:
        return {"relation": self.relation, "word": self.word, "age": self.age, "sex": self.sex, "away": self.away}


@dataclass
class Household:
    members: list[Person] = field(default_factory=list)
    gone: list[Person] = field(default_factory=list)
    self_age: int | None = None
    nobody: bool = False  # the reply said there is nobody else

    @property
    def understood(self) -> bool:
        return self.nobody or bool(self.members) or bool(self.gone)

    def to_json(self) -> dict[str, Any]:
        return {"members": [m.to_json() for m in self.members],
                "gone": [{"relation": g.relation, "word": g.word, "why": g.gone} for g in self.gone]}


def _cue(piece: str, word: str) -> int:
    """Where a gone-word is said and not denied ("还没成家" is not 成家), else -1."""
    at = piece.find(word)
    while at != -1:
        if not piece[:at].endswith(("没", "没有", "未", "还没", "不")):
            return at
        at = piece.find(word, at + 1)
    return -1


def _why_gone(piece: str, relation: str) -> str | None:
    vocab = relation_words()
    hits = {why: min((at for w in words if (at := _cue(piece, w)) >= 0), default=-1)
            for why, words in vocab["gone"].items()}
    hits = {why: at for why, at in hits.items() if at >= 0}
    if relation == "child_in_law":
        hits.pop("married_out", None)  # 上门女婿 lives with the family
    if not hits:
        return None
    why = min(hits, key=hits.__getitem__)
    if why == "dead" and "走了" in piece and not any(w in piece for w in ("病", "车祸", "出事", "死", "去世", "过世")):
        if any(w in piece for w in vocab["away"]):
            return None  # 出去打工走了: away, not dead
        if relation not in ("spouse", "parent", "parent_in_law", "grandparent"):
            return "left"  # 儿媳走了: gone from the family; only old people "走了" are read as dead
    return why


def _ages(piece: str) -> list[int]:
    ages: list[int] = []
    piece = mask_words(piece)
    for number in find_numbers(piece):
        after, before = piece[number.end:], piece[:number.start]
        if after.startswith(("个月", "月")) and number.low < 12 and not before.endswith(("一年", "年")):
            ages.append(0)  # 小的才八个月
            continue
        if number.approx or number.low != number.low.to_integral_value() or before.endswith(_GRADE_BEFORE):
            if number.approx:
                ages.append(-1)  # 八十多: an age, but not a whole one
            continue
        if after.startswith(_NOT_AGE_AFTER) and not after.startswith(("岁", "周岁")):
            continue
        if 0 <= number.low <= MAX_AGE:
            value = int(number.low)
            if not (ages and ages[-1] == value and after.startswith(("岁半", "半"))):
                ages.append(value)
    deduped: list[int] = []
    for age in ages:  # voice repeats: "四岁 四岁半", "六十六了六十六"
        if not deduped or deduped[-1] != age:
            deduped.append(age)
    return deduped


def _count(before: str, piece: str) -> int:
    match = _COUNT_BEFORE.search(before) or _COUNT_AFTER.search(piece)
    if match is None:
        return 1
    numbers = find_numbers(match.group(1))
    return int(numbers[0].low) if numbers and 1 <= numbers[0].low <= 12 else 1


def _negated(before: str, piece: str) -> bool:
    vocab = relation_words()
    if any(before.endswith(w) or before.endswith(w + "个") or before.endswith(w + "有") for w in vocab["none_before"]):
        return True
    start = piece.lstrip(" ")
    return any(start.startswith(w) and not start[len(w):].startswith("了") for w in vocab["none_after"])


def read_household(text: str) -> Household:
    """Members and gone people in a reply; `understood` is False when it names nobody at all."""
    vocab = relation_words()
    flat = re.sub(r"[\s，,。.!！?？；;、：:（）()]+", " ", homophones(fold(text)))
    house = Household()
    found = mentions(flat)
    house.self_age = _self_age(flat, found)
    for pair, sexes in vocab["pairs"].items():
        if pair in flat:
            house.members += [Person("child", pair, sex=sex, grouped=True) for sex in sexes]
    if any(w in flat for w in vocab["couple"]) and not any(m.relation == "spouse" for m in found):
        house.members.append(Person("spouse", "老伴"))
    pending: list[Person] = [m for m in house.members if m.grouped and m.relation == "child"]
    pending_last: Person | None = None  # the child an ordinal just named ("老大是姑娘")
    negated, adjacent = 0, []  # adjacent: people named one after another with nothing between
    last: Person | None = None  # the person the previous mention made or named
    for index, mention in enumerate(found):
        stop = next((m.start for m in found[index + 1:] if m.start > mention.start), len(flat))
        piece, before = flat[mention.end:stop], flat[max(0, mention.start - 6):mention.start]
        if mention.self_description:
            continue
        if mention.restates and last is not None:  # 他们爹是我儿子 / 老二是儿子: the same person
            _fill(last, last.word, [a for a in _ages(piece) if a >= 0], _why_gone(piece, last.relation), piece,
                  house, _ages(piece))
            continue
        if _negated(before, piece):
            negated += 1
            pending = [] if mention.relation == "child" else pending
            continue
        why = _why_gone(piece, mention.relation)
        ages = [a for a in _ages(piece)]
        exact = [a for a in ages if a >= 0]
        if why == "divorced" and mention.relation in ("child", "grandchild"):
            house.gone.append(Person("child_in_law", "配偶", gone="divorced"))
            why = None  # 女儿离婚了回来住: the daughter stays; her former husband is gone
        place = vocab["ordinals"].get(mention.word)
        follows_ordinal = index > 0 and found[index - 1].word in vocab["ordinals"] and \
            mention.start - found[index - 1].end <= 2 and mention.relation == "child"
        if follows_ordinal and pending_last is not None:  # 老大是姑娘: the same child, named again
            _fill(pending_last, mention.word, exact, why, piece, house, ages)
            continue
        pending_last = None
        if place is not None and pending:  # 大的10岁, 老二6岁: one of the children counted before
            target = pending[0] if place > 0 else pending[-1]
            if place == 2 and len(pending) == 3:
                target = pending[1]
            _fill(target, mention.word, exact, why, piece, house, ages)
            pending.remove(target)
            pending_last = last = target
            continue
        same = [m for m in pending if m.relation == mention.relation]
        if same and place is None and len(exact) > 1:  # "三个娃 娃娃 12 9 5"
            for person, age in zip(same, exact, strict=False):
                _fill(person, person.word, [age], why, piece, house, [age])
                pending.remove(person)
            continue
        if same and place is None and (mention.sex is None or same[0].sex in (None, mention.sex)):
            _fill(same[0], mention.word, exact, why, piece, house, ages)
            pending.remove(same[0])
            last = same[0]
            continue
        count = 2 if mention.plural else _count(before, "" if mention.relation == "spouse" or
                                                re.search(r"我(?:和|跟)(?:我)?$", before) else piece)
        earlier = next((m for m in house.members if m.word == mention.word and m.age is None and not m.grouped), None)
        if earlier is not None and count == 1 and not re.search(r"[一有]个$", before) and why is None:
            _fill(earlier, mention.word, exact, why, piece, house, ages)
            last = earlier
            continue
        if len(exact) > 1 and adjacent and len(exact) == len(adjacent) + 1 and count == 1 and why is None:
            for person, age in zip(adjacent, exact, strict=False):
                person.age = age
            exact = exact[len(adjacent):]
        people = [Person(mention.relation, mention.word, sex=mention.sex, text=piece) for _ in range(count)]
        for person, age in zip(people, exact if -1 not in ages[:count] else [], strict=False):
            person.age = age
        for person in people:
            person.gone = why
            person.away = why is None and any(w in piece for w in vocab["away"])
            (house.gone if why else house.members).append(person)
        last = people[-1]
        if why and adjacent and piece.lstrip().startswith("都"):
            for person in adjacent:  # 儿子姑娘都在城里: the same for both
                person.gone = why
                house.members.remove(person)
                house.gone.append(person)
        adjacent = []
        if count > 1 and len(exact) < count and why is None:
            for person in people[len(exact):]:
                person.grouped = True
            pending = [p for p in people if p.age is None] + pending
        elif count == 1 and not ages and why is None and not piece.strip():
            adjacent = [*adjacent, *people]
    house.members = [m for m in house.members if m.gone is None]
    _elsewhere(flat, house)
    _spouse_without_word(flat, house, found)
    compact = flat.replace(" ", "")
    if not house.members and (_alone(compact) or (negated and not house.gone)):
        house.nobody = True
    if not house.understood and any(w in compact for w in (*vocab["no_spouse"], *vocab["no_children"])):
        house.nobody = True
    return house



def _self_age(flat: str, found: list[Mention]) -> int | None:
    match = _SELF_AGE.search(flat)
    if match is None:
        return None
    ages = [a for a in _ages(flat[match.end():match.end() + 6]) if a >= 0]
    first_after = next((m for m in found if m.start >= match.end()), None)
    if ages and (first_after is None or first_after.start > match.end() + 1):
        return ages[0]
    return None


def _fill(person: Person, word: str, exact: list[int], why: str | None, piece: str, house: Household,
          ages: list[int]) -> None:
    vocab = relation_words()
    if word not in vocab["ordinals"]:
        person.word = word
    person.sex = person.sex or vocab["sex"].get(word)
    person.text = (person.text + " " + piece).strip()
    person.grouped = False
    if exact and -1 not in ages[:1]:
        person.age = exact[0]
    if why:
        person.gone = why
        if person in house.members:
            house.members.remove(person)
        house.gone.append(person)


def _elsewhere(flat: str, house: Household) -> None:
    """"儿子在昆明" (no work or school said): living elsewhere; and when the reply says the resident
    lives alone ("屋头就我一个"), everyone else it names lives elsewhere."""
    vocab = relation_words()
    compact = flat.replace(" ", "")
    alone = any(w in compact for w in vocab["alone"] if len(w) >= 3) and \
        not any(w + "带" in compact or w + "养" in compact for w in vocab["alone"])
    for person in list(house.members):
        piece = person.text.replace(" ", "")
        away = any(w in piece for w in vocab["away"])
        placed = piece.startswith(("在", "住在", "去了")) and not away and any(
            w in piece[:6] for w in (*vocab["places"], "外地", "外面", "城里", "县城", "外省"))
        linked = any(re.search(rf"{w}(?:我)?(?:的|那个)?{re.escape(person.word)}", compact) for w in vocab["with"])
        if placed or (alone and not linked and person.relation in ("child", "grandchild", "sibling")):
            person.gone = "lives_elsewhere"
            house.members.remove(person)
            house.gone.append(person)


def _spouse_without_word(flat: str, house: Household, found: list[Mention]) -> None:
    """"离了 带着姑娘", "丧偶": a spouse gone without being named."""
    if any(m.relation == "spouse" for m in found) or any(m.relation == "spouse" for m in house.members):
        return
    compact = flat.replace(" ", "")
    if compact.startswith(("离了", "离婚", "离异")) or "我离婚" in compact or "早就离了" in compact:
        house.gone.append(Person("spouse", "配偶", gone="divorced"))
    elif "丧偶" in compact:
        house.gone.append(Person("spouse", "配偶", gone="dead"))


def _alone(compact: str) -> bool:
    vocab = relation_words()
    return any(w in compact for w in vocab["alone"]) or any(
        compact.startswith(w) for w in ("没有", "没得", "莫得", "没了", "没人", "无")) and len(compact) <= 8
