"""The household as a reply's mentions are read left to right: who is counted, described, named
again, denied, or said to be gone.

Why: "三个娃娃 大的10岁 老二6岁" counts three children and then gives their ages; "他们爹是我儿子"
names the same person twice; "老倌 … 儿子 … 媳妇" is the son's wife; "有孩子 孩子三个" is two more
children, "儿子 姑娘 … 一个人带两个娃娃" none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.dialogs.answers.members_people import (
    COUNT_AFTER,
    Household,
    Person,
    ages_in,
    count_in,
    denied,
    fill,
    gone_reasons,
    own_piece,
    reasons_gone,
    why_gone,
)
from bot.dialogs.answers.members_referents import VAGUE, YOUNG, described, named_before
from bot.dialogs.answers.members_words import Mention, relation_words

_HELPS = re.compile(r"^\s*(?:是)?(?:帮|替|给|代)(?:我|我们)(?:打|写|填|问|发|弄)")
_ONLY_COUNT = re.compile(r"\s*(?:也|都|有|还有)?[一二两俩三四五六七八九\d]个\s*")
# With the person just named as gone ("娃娃跟她", "孩子跟着他爹"): not in the household either.
# One age said of several counted together: "两个姑娘都六岁", "两个孙子都是十岁".
_ALL_AGED = re.compile(r"(?<![不没])都(?:是|有|已经|满)?\s?[一二两三四五六七八九十\d]+\s?(?:岁|周岁|了|$|\s)")
_WITH_THEM = re.compile(r"^(?:都|也)?(?:跟|跟着|随|归)(?:了)?(?:她|他)")
_APART = ("divorced", "left", "married_out", "lives_elsewhere")
_WENT_WITH = re.compile(r"\s*(?:也)?(?:跟着|跟|随着|随)(?:他|她)?\s*")


def _couple(adjacent: list[Person], mention: Mention, why: str) -> bool:
    """One person just named and this one are a couple said together (a son and his wife), and what
    became of them is not between the two ("儿子儿媳离婚了": divorced from each other)."""
    relations = frozenset({*(p.relation for p in adjacent), mention.relation})
    return len(adjacent) == 1 and relations in relation_words()["together"] and why != "divorced"


@dataclass
class Reading:
    """The household as the mentions are read, left to right."""

    house: Household
    pending: list[Person]  # counted but not yet described ("三个娃娃" before "大的10岁")
    last: Person | None = None
    negated: int = 0
    adjacent: list[Person] = field(default_factory=list)
    helpers: set[str] = field(default_factory=set)  # who types for the resident ("我侄女帮我打的字")

    def read(self, mention: Mention, flat: str, stop: int, previous: Mention | None) -> None:
        vocab, house = relation_words(), self.house
        raw = flat[mention.end : stop]
        piece, aside = own_piece(raw)
        before = flat[max(0, mention.start - 6) : mention.start]
        gap = flat[previous.end : mention.start] if previous is not None else ""
        adjacent, self.adjacent, prior = self.adjacent, [], self.last
        if mention.self_description or mention.word in self.helpers:
            return
        if _HELPS.match(raw):
            self.helpers.add(mention.word)  # typing or asking for the resident: not in the household
            return
        ages = ages_in(piece)
        exact = [a for a in ages if a >= 0]
        why = why_gone(piece, mention.relation)
        if why is None and mention.word in vocab["former"]:
            why = "divorced"  # 前妻, 前夫: a marriage that has ended, gone by divorce
        pair = mention.word in vocab["pairs_of"]  # 爸妈, 爹妈: two people, perhaps said of a grandchild
        if why == "divorced" and pair and "left" in gone_reasons(piece):
            why = "left"  # "他爸妈离婚了都不要他": divorced from each other, and both have left the child
        daughter = mention.sex == "female" and mention.relation in ("child", "grandchild")
        married = [w for w in vocab["married_daughter"] if w in piece]
        if why is None and daughter and any(not piece[: piece.find(w)].endswith("没") for w in married):
            why = "married_out"  # "女儿在上海工作 已经结婚": a daughter married is married out
        if why is None and prior is not None and prior.gone in _APART and _WITH_THEM.match(piece.strip()):
            why = "lives_elsewhere"  # "老婆跟我离了 娃娃跟她": the child lives with the one who went
        if why is not None and reasons_gone(piece) > 1:
            house.doubts.add("why")  # "一个病死了一个跑了": which became of whom is a guess
        if mention.guessed:
            house.doubts.add("relation")  # "他爹他妈": whose parents, so which relation, is a guess
        if mention.restates and self.last is not None and len(gap.strip()) <= 4:
            fill(self.last, self.last.word, exact, why, piece, house, ages)
            self.last.names.add(mention.word)  # "老伴他妈 就是我婆婆 … 婆婆九十二": one person
            return
        if denied(before, piece):
            self.negated += 1
            self.pending = [] if mention.relation == "child" else self.pending
            return
        if why == "divorced" and mention.relation in ("child", "grandchild") and not mention.guessed | pair:
            house.gone.append(Person("child_in_law", "配偶", gone="divorced"))
            # 女儿离婚了回来住: the daughter stays, her former husband is gone (not 他爹他妈离婚了: both)
            why = None
        self._aside(aside, mention)
        group = [m for m in self.pending if m.relation == mention.relation]
        if len(exact) > 1 and len(group) > 1 and mention.word not in relation_words()["ordinals"]:
            for person, age in zip(group, exact, strict=False):  # "三个娃娃 … 娃娃九岁六岁三岁"
                fill(person, person.word, [age], why, piece, house, [age])
                self.pending.remove(person)
            self.last = group[min(len(group), len(exact)) - 1]
            return
        target = described(self.pending, self.last, mention, before, gap, previous)
        if target is not None:
            fill(target, mention.word, exact, why, piece, house, ages)
            self.last = target
            return
        count = mention.count or (
            2
            if mention.plural
            else count_in(
                before,
                ""
                if mention.relation == "spouse"
                or re.search(r"我(?:和|跟)(?:我)?$", before)
                or self._total_after(piece, flat, stop == len(flat))
                or (self._count_of_next(raw, flat, stop) and not self._named_next(flat, stop))
                else piece,
            )
        )
        earlier = None if mention.word in vocab["former"] else named_before(house, mention, before)
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
        if (
            earlier is not None
            and count == len(house.members) + 1
            and re.search(r"是\s*[一二两三四五六七八九\d]个", piece)
        ):
            count = 1  # "漏了奶奶 是五个": the household's size with the resident, not five more
        if earlier is not None and count == 1:
            fill(earlier, mention.word, exact, why, piece, house, ages)
            self.last = earlier
            return
        if earlier is not None:  # a vague word counts all the young named already: "儿子 姑娘 …
            vague = mention.word in VAGUE  # 一个人带两个娃娃" is them, "有孩子 孩子三个" two more
            count -= sum(
                1
                for m in (*house.members, *house.gone)
                if (m.relation in YOUNG if vague else m.word == mention.word)
            )
            if count <= 0:
                return
        if len(exact) > 1 and adjacent and len(exact) == len(adjacent) + 1 and count == 1 and why is None:
            for person, age in zip(adjacent, exact, strict=False):
                person.age = age
            exact = exact[len(adjacent) :]
        if count > 1 and len(exact) == 1 and _ALL_AGED.search(piece):
            exact = exact * count  # "两个娃 双胞胎 都六岁": each of them
        sexes = relation_words()["pairs"].get(mention.word) or [mention.sex] * count
        people = [Person(mention.relation, mention.word, sex=sexes[i], text=piece) for i in range(count)]
        for person, age in zip(people, exact if -1 not in ages[:count] else [], strict=False):
            person.age = age
        for person in people:
            person.gone = why
            person.away = why is None and any(w in raw for w in vocab["away"])
            (house.gone if why else house.members).append(person)
        self.last = people[-1]
        if why in ("left", "married_out") and prior in house.members and _WENT_WITH.fullmatch(gap):
            prior.gone = "lives_elsewhere"  # "孙子跟着他妈走了": the grandson went with her
            house.members.remove(prior)
            house.gone.append(prior)
        if why and adjacent and (
            (piece.lstrip().startswith(("都", "也")) and count == 1)  # 爸妈都不在了: the two of them
            or (" " not in gap and all(p.relation == mention.relation for p in adjacent))  # 他爹他妈 都出去了
            or ((not gap or gap.strip() in relation_words()["joined"])  # 儿子儿媳在县城住, 女儿和女婿
                and _couple(adjacent, mention, why))
        ):
            for person in adjacent:  # 儿子姑娘都在城里, 我哥跟嫂子都没得了: the same for both
                person.gone = why
                if person in house.members:
                    house.members.remove(person)
                house.gone.append(person)
        if count > 1 and len(exact) < count and why is None:
            for person in people[len(exact) :]:
                person.grouped = True
            self.pending = [p for p in people if p.age is None] + self.pending
        elif count == 1 and not ages and why is None and not piece.strip(" 和跟与还有加他她的"):
            self.adjacent = [*adjacent, *people]

    @staticmethod
    def _count_of_next(raw: str, flat: str, stop: int) -> bool:
        """ "婆婆 两个娃": a count alone between two people is the next one's (not "姑娘两个 大的 …")."""
        ordinal = flat[stop:].startswith(tuple(relation_words()["ordinals"]))
        return stop < len(flat) and not ordinal and _ONLY_COUNT.fullmatch(raw) is not None

    def _named_next(self, flat: str, stop: int) -> bool:
        """ "外孙子两个 女婿上门的": the next one was named before, so the count is not theirs."""
        return any(flat.startswith(p.word, stop) for p in (*self.house.members, *self.house.gone))

    def _total_after(self, piece: str, flat: str, last: bool = True) -> bool:
        """ "我 老婆 儿子 三个": a count after the last person named is everyone, the resident too."""
        match = COUNT_AFTER.search(piece.lstrip(" 嘛呢啊么哈就是有"))
        if match is None:
            return False
        rest = piece.lstrip(" 嘛呢啊么哈就是有")[match.end() :]
        if rest.startswith(("人", "口")):
            return True
        count = count_in("", match.group())
        named = len(self.house.members) + 1  # this one
        closes = not rest.strip(" 嘛呢啊了")  # "我 老婆 儿子 三个": the count closes the list …
        listed_self = flat.lstrip().startswith("我")  # … that began with the resident
        return count == named + 1 and closes and ((last and "我" in flat) or listed_self)

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
        why = why_gone(aside, adult.relation) if adult is not None else None
        if adult is not None and why is not None:
            adult.gone = why
            self.house.members.remove(adult)
            self.house.gone.append(adult)
