"""Who is in the household, from however the resident says it.

Why: "老婆27 三个娃娃 大的10岁 老二6岁 老三才1岁" is four people; "老伴去年没了 儿子三十五 有残疾"
is one living son and a husband who must never be counted or asked about; "没老婆 没娃娃" is nobody.
The reply is cut at every relation word (relations.yaml); each piece says who (and how many), how
old, and whether that person is dead, divorced, gone, in prison, married out or living elsewhere.
Each member keeps the piece of text about them, so facts in it (a disability, school, work) can be
taken by `facts.py` without asking again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.dialogs.answers.numbers import find_numbers
from bot.text import fold

RELATIONS_PATH = Path(__file__).with_name("relations.yaml")
MAX_AGE = 120
_SELF_AGE = re.compile(r"(?:^|[^他她它])我(?:今年|都|已经|也|才|快|现在)?(?=[\d一二两三四五六七八九十])")
_COUNT = re.compile(r"([一二两俩三四五六七八九\d])个(?:都)?$")
_AGE_TAIL = re.compile(r"^(?:岁|周岁|虚岁|了)")


@dataclass
class Person:
    relation: str
    word: str
    age: int | None = None
    sex: str | None = None
    gone: str | None = None  # why not in the household (dead, divorced, left, prison, married_out, lives_elsewhere)
    away: bool = False  # away for now (work, school) but in the household
    text: str = ""  # the part of the reply about this person
    grouped: bool = False  # created by a count ("三个娃娃"), age still to come

    def to_json(self) -> dict[str, Any]:
        return {"relation": self.relation, "word": self.word, "age": self.age, "sex": self.sex,
                "away": self.away}


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


@cache
def relation_words() -> dict[str, Any]:
    raw = yaml.safe_load(RELATIONS_PATH.read_text(encoding="utf-8"))
    words = {fold(w): rel for rel, ws in raw["relations"].items() for w in ws}
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    gone = {why: tuple(fold(w) for w in ws) for why, ws in raw["gone"].items()}
    return {"words": words, "pattern": pattern, "gone": gone, "raw": raw,
            "female": frozenset(map(fold, raw["female"])), "male": frozenset(map(fold, raw["male"])),
            "ordinals": {fold(k): v for k, v in raw["ordinals"].items()},
            "pairs": {fold(k): v for k, v in raw["pairs"].items()},
            **{name: tuple(sorted(map(fold, raw[name]), key=len, reverse=True))
               for name in ("none_before", "no_spouse", "no_children", "alone", "away")},
            "places": _places()}


def _places() -> tuple[str, ...]:
    from bot.dialogs.answers.facts import fact_words

    words = fact_words()["place"]
    return tuple(w for w in (*words["yunnan"], *words["outside"]) if len(w) >= 2)


def _mentions(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, relation) of every relation word, longest first, left to right."""
    vocab = relation_words()
    found = []
    for match in vocab["pattern"].finditer(text):
        word = match.group()
        relation = vocab["words"][word]
        previous = found[-1] if found else None
        if relation == "spouse" and previous and previous[3] == "child" and \
                match.start() - previous[1] <= 2 and previous[2] not in vocab["ordinals"]:
            relation = "child_in_law"  # 儿子和媳妇, 儿子的老婆
        found.append((match.start(), match.end(), word, relation))
    return found


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
    if why == "dead" and "走了" in piece and any(w in piece for w in vocab["away"]):
        return None  # 出去打工走了: away, not dead
    return why


def _cue(piece: str, word: str) -> int:
    """Where a gone-word is said and not denied ("还没成家" is not 成家), else -1."""
    at = piece.find(word)
    while at != -1:
        if not piece[:at].endswith(("没", "没有", "未", "还没", "不")):
            return at
        at = piece.find(word, at + 1)
    return -1


def _age_in(piece: str) -> list[int]:
    ages = []
    for number in find_numbers(piece):
        if number.approx or number.low != number.low.to_integral_value():
            continue
        after = piece[number.end:]
        if after.startswith(("个", "口", "年", "月", "天", "块", "元", "级", "亩", "套", "间", "万", "千", "百")) \
                and not _AGE_TAIL.match(after):
            continue
        if 0 <= number.low <= MAX_AGE:
            ages.append(int(number.low))
    return ages


def _negated(before: str) -> bool:
    return any(before.endswith(w) or before.endswith(w + "个") or before.endswith(w + "有")
               for w in relation_words()["none_before"])


def _count(before: str) -> int:
    match = _COUNT.search(before)
    if match is None:
        return 1
    numbers = find_numbers(match.group(1))
    return int(numbers[0].low) if numbers and 1 <= numbers[0].low <= 12 else 1


def _sex(word: str) -> str | None:
    vocab = relation_words()
    return "female" if word in vocab["female"] else "male" if word in vocab["male"] else None


def read_household(text: str) -> Household:
    """Members and gone people in a reply; `understood` is False when it names nobody at all."""
    folded = fold(text)
    vocab = relation_words()
    flat = re.sub(r"[\s，,。.!！?？；;、]+", " ", folded)
    house = Household()
    self_match = _SELF_AGE.search(flat)
    mentions = _mentions(flat)
    if self_match:
        ages = _age_in(flat[self_match.end():self_match.end() + 6])
        first_after = next((m for m in mentions if m[0] >= self_match.end()), None)
        if ages and (first_after is None or first_after[0] > self_match.end() + 1):
            house.self_age = ages[0]
    for pair, sexes in vocab["pairs"].items():
        if pair in flat:
            house.members += [Person("child", pair, sex=s, grouped=True) for s in sexes]
    pending: list[Person] = [m for m in house.members if m.grouped]
    negated, adjacent = 0, []  # adjacent: people named one after another with nothing between
    for index, (start, end, word, relation) in enumerate(mentions):
        stop = mentions[index + 1][0] if index + 1 < len(mentions) else len(flat)
        piece, before = flat[end:stop], flat[max(0, start - 6):start]
        if _negated(before):
            negated += 1
            if relation == "child":
                pending = []
            continue
        why = _why_gone(piece, relation)
        ages = _age_in(piece)
        if len(ages) > 1 and adjacent and len(ages) == len(adjacent) + 1 and why is None:
            for person, age in zip(adjacent, ages, strict=False):
                person.age = age
            ages = ages[len(adjacent):]
        adjacent = []
        place = vocab["ordinals"].get(word)
        if place is not None and pending:  # 大的10岁, 老二6岁: one of the children counted before
            target = pending[0] if place > 0 else pending[-1]
            _fill(target, word, ages, why, piece, house)
            pending.remove(target)
            continue
        same = next((m for m in pending if m.relation == relation and (m.sex in (None, _sex(word)))), None)
        if same is not None and place is None:
            _fill(same, word, ages, why, piece, house)
            pending.remove(same)
            continue
        count = _count(before)
        earlier = next((m for m in house.members if m.word == word and m.age is None and not m.grouped), None)
        if earlier is not None and count == 1 and not re.search(r"[一有]个$", before) and why is None:
            _fill(earlier, word, ages, why, piece, house)
            continue
        people = [Person(relation, word, sex=_sex(word), text=piece) for _ in range(count)]
        for person, age in zip(people, ages, strict=False):
            person.age = age
        for person in people:
            person.gone = why
            person.away = why is None and any(w in piece for w in vocab["away"])
            (house.gone if why else house.members).append(person)
        if count > 1 and len(ages) < count and why is None:
            for person in people[len(ages):]:
                person.grouped = True
            pending = [p for p in people if p.age is None] + pending
        elif count == 1 and not ages and why is None and not piece.strip():
            adjacent = [*adjacent, *people]
    house.members = [m for m in house.members if m.gone is None]
    _elsewhere(flat, house)
    _spouse_without_word(flat, house, mentions)
    if not mentions and not house.members:
        house.nobody = _alone(flat)
    elif not house.members and _alone(flat):
        house.nobody = True
    if not house.understood and (negated or any(w in flat for w in (*vocab["no_spouse"], *vocab["no_children"]))):
        house.nobody = True
    return house


def _elsewhere(flat: str, house: Household) -> None:
    """"儿子在昆明" (no work or school said): living elsewhere; and when the reply says the resident
    lives alone ("屋头就我一个"), everyone else it names lives elsewhere."""
    vocab = relation_words()
    alone = any(w in flat.replace(" ", "") for w in vocab["alone"] if len(w) >= 3)
    for person in list(house.members):
        piece = person.text.replace(" ", "")
        away = any(w in piece for w in vocab["away"])
        placed = piece.startswith(("在", "住在", "去了")) and not away and any(
            w in piece[:6] for w in (*vocab["places"], "外地", "外面", "城里", "县城", "外省"))
        linked = re.search(rf"(?:和|跟|带着|还有|同){re.escape(person.word)}", flat.replace(" ", "")) is not None
        if placed or (alone and not linked and person.relation in ("child", "grandchild", "sibling")):
            person.gone = "lives_elsewhere"
            house.members.remove(person)
            house.gone.append(person)


def _spouse_without_word(flat: str, house: Household, mentions: list[tuple[int, int, str, str]]) -> None:
    """"离了 带着姑娘", "丧偶": a spouse gone without being named."""
    if any(m[3] == "spouse" for m in mentions):
        return
    compact = flat.replace(" ", "")
    if compact.startswith(("离了", "离婚", "离异")) or "我离婚" in compact or "早就离了" in compact:
        house.gone.append(Person("spouse", "配偶", gone="divorced"))
    elif "丧偶" in compact:
        house.gone.append(Person("spouse", "配偶", gone="dead"))


def _fill(person: Person, word: str, ages: list[int], why: str | None, piece: str, house: Household) -> None:
    person.word = word if word not in relation_words()["ordinals"] or person.word in relation_words()["pairs"] \
        else person.word
    person.sex = person.sex or _sex(word)
    person.text = (person.text + " " + piece).strip()
    person.grouped = False
    if ages:
        person.age = ages[0]
    if why:
        person.gone = why
        house.gone.append(person)


def _alone(flat: str) -> bool:
    compact = flat.replace(" ", "")
    vocab = relation_words()
    return any(w in compact for w in vocab["alone"]) or any(
        compact.startswith(w) for w in ("没有", "没得", "莫得", "没了", "没人", "无")) and len(compact) <= 8
