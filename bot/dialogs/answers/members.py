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

from bot.dialogs.answers.members_words import Mention, mentions, relation_words
from bot.dialogs.answers.money import mask_words
from bot.dialogs.answers.numbers import find_numbers
from bot.dialogs.answers.pinyin import heard

MAX_AGE = 120
_SELF_AGE = re.compile(r"(?:^|[^他她它])我(?:今年|都|已经|也|才|快|现在|是)?(?=[\d一二两三四五六七八九十])")
_COUNT_BEFORE = re.compile(r"([一二两俩三四五六七八九\d])个(?:都)?$")
_COUNT_AFTER = re.compile(r"^(?:也|都)?([一二两俩三四五六七八九\d])个(?!月)")
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

    @property
    def understood(self) -> bool:
        return self.nobody or bool(self.members) or bool(self.gone)

    def to_json(self) -> dict[str, Any]:
        return {
            "members": [m.to_json() for m in self.members],
            "gone": [{"relation": g.relation, "word": g.word, "why": g.gone} for g in self.gone],
        }


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
    piece = re.sub(r"嫁(?:给我|过来|到我家|给我们)", "", piece)  # married into this family, not out of it
    hits = {
        why: min((at for w in words if (at := _cue(piece, w)) >= 0), default=-1)
        for why, words in vocab["gone"].items()
    }
    hits = {why: at for why, at in hits.items() if at >= 0}
    if (
        relation == "child_in_law"
        and re.search(r"上门|倒插门|入赘", piece)
        and not re.search(r"改嫁|嫁人|嫁到|嫁出", piece)
    ):
        hits.pop("married_out", None)  # 上门女婿 lives with the family
    if not hits:
        return None
    why = min(hits, key=hits.__getitem__)
    if (
        why == "dead"
        and "走了" in piece
        and not any(w in piece for w in ("病", "车祸", "出事", "死", "去世", "过世"))
    ):
        if any(w in piece for w in vocab["away"]):
            return None  # 出去打工走了: away, not dead
        if relation not in ("spouse", "parent", "parent_in_law", "grandparent"):
            return "left"  # 儿媳走了: gone from the family; only old people "走了" are read as dead
    return why


def _ages(piece: str) -> list[int]:
    ages: list[int] = []
    piece = mask_words(piece)
    for number in find_numbers(piece):
        after, before = piece[number.end :], piece[: number.start]
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
            if not (ages and ages[-1] == value and after.startswith(("岁半", "半"))):
                ages.append(value)
    deduped: list[int] = []
    for age in ages:  # voice repeats: "四岁 四岁半", "六十六了六十六"
        if not deduped or deduped[-1] != age:
            deduped.append(age)
    return deduped


def _count(before: str, piece: str) -> int:
    match = _COUNT_BEFORE.search(before) or _COUNT_AFTER.search(piece.lstrip(" 嘛呢啊么哈就是有"))
    if match is None:
        return 1
    numbers = find_numbers(match.group(1))
    return int(numbers[0].low) if numbers and 1 <= numbers[0].low <= 12 else 1


def _negated(before: str, piece: str) -> bool:
    vocab = relation_words()
    if any(
        before.endswith(w) or before.endswith(w + "个") or before.endswith(w + "有")
        for w in vocab["none_before"]
    ):
        return True
    start = piece.lstrip(" ")
    return any(start.startswith(w) and not start[len(w) :].startswith("了") for w in vocab["none_after"])


def read_household(text: str) -> Household:
    """Members and gone people in a reply; `understood` is False when it names nobody at all."""
    vocab = relation_words()
    flat = re.sub(r"[\s，,。.!！?？；;、：:（）()]+", " ", heard(text))
    house = Household()
    found = mentions(flat)
    house.self_age = _self_age(flat, found)
    if any(w in flat for w in vocab["couple"]) and not any(m.relation == "spouse" for m in found):
        house.members.append(Person("spouse", "老伴"))
    state = _Reading(house, [])
    for index, mention in enumerate(found):
        stop = next((m.start for m in found[index + 1 :] if m.start > mention.start), len(flat))
        state.read(mention, flat, stop, found[index - 1] if index else None)
    house.members = [m for m in house.members if m.gone is None]
    _elsewhere(flat, house)
    _spouse_without_word(flat, house, found)
    compact = flat.replace(" ", "")
    if not house.members and (_alone(compact) or (state.negated and not house.gone)):
        house.nobody = True
    if not house.understood and any(w in compact for w in (*vocab["no_spouse"], *vocab["no_children"])):
        house.nobody = True
    return house


_SELF_CUT = re.compile(r"我(?:今年|都|已经|现在|自己)?[\d一二两三四五六七八九十]|我自己")
_YOUNG = ("child", "grandchild", "nephew_niece")  # whom 娃娃 may mean
_VAGUE = ("娃娃", "孩子", "娃", "娃儿", "小孩", "小娃", "孩子们", "娃娃们")
_NEW = re.compile(r"(?:一个是|一个|有个|另一个|还有一个|另外一个|又一个)$")


@dataclass
class _Reading:
    """The household as the mentions are read, left to right."""

    house: Household
    pending: list[Person]  # counted but not yet described ("三个娃娃" before "大的10岁")
    last: Person | None = None
    negated: int = 0
    adjacent: list[Person] = field(default_factory=list)

    def read(self, mention: Mention, flat: str, stop: int, previous: Mention | None) -> None:
        vocab, house = relation_words(), self.house
        raw = flat[mention.end : stop]
        piece, aside = _own_piece(raw)
        before = flat[max(0, mention.start - 6) : mention.start]
        gap = flat[previous.end : mention.start] if previous is not None else ""
        adjacent, self.adjacent = self.adjacent, []
        if mention.self_description:
            return
        ages = _ages(piece)
        exact = [a for a in ages if a >= 0]
        why = _why_gone(piece, mention.relation)
        if mention.restates and self.last is not None and len(gap.strip()) <= 4:
            _fill(self.last, self.last.word, exact, why, piece, house, ages)
            return
        if _negated(before, piece):
            self.negated += 1
            self.pending = [] if mention.relation == "child" else self.pending
            return
        if why == "divorced" and mention.relation in ("child", "grandchild"):
            house.gone.append(Person("child_in_law", "配偶", gone="divorced"))
            why = None  # 女儿离婚了回来住: the daughter stays; her former husband is gone
        self._aside(aside, mention)
        group = [m for m in self.pending if m.relation == mention.relation]
        if len(exact) > 1 and len(group) > 1 and mention.word not in relation_words()["ordinals"]:
            for person, age in zip(group, exact, strict=False):  # "三个娃娃 … 娃娃九岁六岁三岁"
                _fill(person, person.word, [age], why, piece, house, [age])
                self.pending.remove(person)
            self.last = group[min(len(group), len(exact)) - 1]
            return
        target = self._described(mention, before, gap, previous)
        if target is not None:
            _fill(target, mention.word, exact, why, piece, house, ages)
            self.last = target
            return
        count = mention.count or (
            2
            if mention.plural
            else _count(
                before,
                ""
                if mention.relation == "spouse"
                or re.search(r"我(?:和|跟)(?:我)?$", before)
                or self._total_after(piece, flat, stop == len(flat))
                else piece,
            )
        )
        earlier = self._earlier(mention, before)
        if (
            earlier is not None
            and earlier.relation == "spouse"
            and mention.relation == "spouse"
            and earlier.word != mention.word
            and earlier.sex != mention.sex
            and any(m.relation == "child" for m in house.members)
        ):  # 老倌 … 儿子 … 媳妇: the son's wife
            mention = Mention(mention.start, mention.end, mention.word, "child_in_law", mention.sex)
            earlier = next(
                (m for m in house.members if m.relation == "child_in_law" and m.word == mention.word), None
            )
        if earlier is not None and count == 1:
            _fill(earlier, mention.word, exact, why, piece, house, ages)
            self.last = earlier
            return
        if earlier is not None:  # a vague word counts all the young named already: "儿子 姑娘 …
            vague = mention.word in _VAGUE  # 一个人带两个娃娃" is them, "有娃娃 娃娃两个" one more
            count -= sum(
                1
                for m in (*house.members, *house.gone)
                if (m.relation in _YOUNG if vague else m.word == mention.word)
            )
            if count <= 0:
                return
        if len(exact) > 1 and adjacent and len(exact) == len(adjacent) + 1 and count == 1 and why is None:
            for person, age in zip(adjacent, exact, strict=False):
                person.age = age
            exact = exact[len(adjacent) :]
        sexes = relation_words()["pairs"].get(mention.word) or [mention.sex] * count
        people = [Person(mention.relation, mention.word, sex=sexes[i], text=piece) for i in range(count)]
        for person, age in zip(people, exact if -1 not in ages[:count] else [], strict=False):
            person.age = age
        for person in people:
            person.gone = why
            person.away = why is None and any(w in raw for w in vocab["away"])
            (house.gone if why else house.members).append(person)
        self.last = people[-1]
        if why and adjacent and piece.lstrip().startswith(("都", "也")):
            for person in adjacent:  # 儿子姑娘都在城里, 我哥跟嫂子都没得了: the same for both
                person.gone = why
                if person in house.members:
                    house.members.remove(person)
                house.gone.append(person)
        if count > 1 and len(exact) < count and why is None:
            for person in people[len(exact) :]:
                person.grouped = True
            self.pending = [p for p in people if p.age is None] + self.pending
        elif count == 1 and not ages and why is None and not piece.strip(" 和跟与还有加"):
            self.adjacent = [*adjacent, *people]

    def _total_after(self, piece: str, flat: str, last: bool = True) -> bool:
        """ "我 老婆 儿子 三个": a count after the last person named is everyone, the resident too."""
        match = _COUNT_AFTER.search(piece.lstrip(" 嘛呢啊么哈就是有"))
        if match is None:
            return False
        rest = piece.lstrip(" 嘛呢啊么哈就是有")[match.end() :]
        if rest.startswith(("人", "口")):
            return True
        count = _count("", match.group())
        named = len(self.house.members) + 1  # this one
        closes = not rest.strip(" 嘛呢啊了")  # "我 老婆 儿子 三个": the count closes the list …
        listed_self = flat.lstrip().startswith("我")  # … that began with the resident
        return count == named + 1 and closes and ((last and "我" in flat) or listed_self)

    def _described(self, mention: Mention, before: str, gap: str, previous: Mention | None) -> Person | None:
        """A person counted or named just before whom this mention describes: "大的10岁",
        "老大是姑娘", "一个是儿子 六岁", "三个孙子孙女"."""
        vocab = relation_words()
        place = vocab["ordinals"].get(mention.word)
        pending = self.pending
        if place is not None and pending:
            target = pending[0] if place > 0 else pending[-1]
            if place == 2 and len(pending) == 3:
                target = pending[1]
            pending.remove(target)
            return target
        if (
            previous is not None
            and previous.word in vocab["ordinals"]
            and len(gap.strip()) <= 2
            and mention.relation == "child"
            and self.last is not None
            and place is None
        ):
            return self.last  # 老大是姑娘
        same = [m for m in pending if m.relation == mention.relation]
        if same and _NEW.search(before):
            pending.remove(same[0])
            return same[0]
        if same and place is None and (mention.sex is None or same[0].sex in (None, mention.sex)):
            pending.remove(same[0])
            return same[0]
        return None

    def _earlier(self, mention: Mention, before: str) -> Person | None:
        """The same person named again ("我老妈 … 我老妈七十几了", "孙子 … 孙子12岁")."""
        if _NEW.search(before):
            return None
        people = [*self.house.members, *self.house.gone]
        if mention.relation == "spouse":
            return next((m for m in people if m.relation == "spouse" and m.gone is None), None)
        if mention.word in _VAGUE and mention.relation == "grandchild":
            waiting = [m for m in self.house.members if m.relation == "grandchild" and m.age is None]
            if waiting:
                return waiting[0]
        if mention.word in _VAGUE and mention.relation == "child":
            grandchildren = [m for m in self.house.members if m.relation == "grandchild"]
            children = [m for m in self.house.members if m.relation == "child"]
            if grandchildren and not children:
                return next((m for m in grandchildren if m.age is None), grandchildren[-1])
            if children and not re.search(r"[一二两三四五六七八九\d]个$", before):
                return next((m for m in children if m.age is None), children[0])  # "娃娃读书": the same ones
        same = next((m for m in people if m.word == mention.word and m.relation == mention.relation), None)
        if same is not None:
            return same
        return next(
            (
                m
                for m in self.house.members
                if m.relation == mention.relation
                and m.word in _VAGUE
                and m.age is None
                and mention.word not in _VAGUE
            ),
            None,
        )

    def _aside(self, aside: str, mention: Mention) -> None:
        """ "后来她嫌穷 跟着一个外地人跑了": a gone-word after a pronoun is about the adult named
        before (a spouse, a child's spouse), not about the children this piece names."""
        if not aside:
            return
        adult = next(
            (
                m
                for m in reversed(self.house.members)
                if m.relation in ("spouse", "child_in_law") and m.gone is None
            ),
            None,
        )
        why = _why_gone(aside, adult.relation) if adult is not None else None
        if adult is not None and why is not None:
            adult.gone = why
            self.house.members.remove(adult)
            self.house.gone.append(adult)


def _own_piece(raw: str) -> tuple[str, str]:
    """The part of a piece about this person, and what follows a pronoun about someone else."""
    cut = _SELF_CUT.search(raw)
    if cut is not None:
        raw = raw[: cut.start()]
    pronoun = re.search(r"(?:(?<=\s)|后来|然后)(?:他|她)(?!们)(?:嫌|又|就|也|把)", raw)
    if pronoun is not None and pronoun.start() > 0:
        return raw[: pronoun.start()], raw[pronoun.start() :]
    return raw, ""


def _self_age(flat: str, found: list[Mention]) -> int | None:
    match = _SELF_AGE.search(flat)
    if match is None:
        return None
    ages = [a for a in _ages(flat[match.end() : match.end() + 6]) if a >= 0]
    first_after = next((m for m in found if m.start >= match.end()), None)
    if ages and (first_after is None or first_after.start > match.end() + 1):
        return ages[0]
    return None


def _fill(
    person: Person,
    word: str,
    exact: list[int],
    why: str | None,
    piece: str,
    house: Household,
    ages: list[int],
) -> None:
    vocab = relation_words()
    if word not in vocab["ordinals"]:
        person.word = word
    person.sex = person.sex or vocab["sex"].get(word)
    person.text = (person.text + " " + piece).strip()
    person.grouped = False
    if exact and -1 not in ages[:1] and person.age is None:
        person.age = exact[0]
    if why:
        person.gone = why
        if person in house.members:
            house.members.remove(person)
        house.gone.append(person)


def _elsewhere(flat: str, house: Household) -> None:
    """ "儿子在昆明" (no work or school said): living elsewhere; and when the reply says the resident
    lives alone ("屋头就我一个"), everyone else it names lives elsewhere."""
    vocab = relation_words()
    compact = flat.replace(" ", "")
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
