"""What the household does and what happened to it, in free words: work, help received already,
sudden hardships, and the relatives who must support the resident.

Why: "就老公一个人在做" names who works; "以前有低保 前年取消了" is no help now; "都好 这阵没遇到什么事"
is no hardship; "有个姑娘嫁出去了 她自己都难 管不了我" is a supporter who cannot support.
"""

from __future__ import annotations

import re

from bot.dialogs.answers.facts_words import fact_words, has, negated
from bot.dialogs.answers.facts_work import read_work
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import said, starts_with, yes_no

__all__ = ["out_of_touch", "read_current", "read_emergency", "read_supporters", "read_work"]


def read_current(text: str) -> list[str] | None:
    """Programmes the household already receives: dibao, tekun, disability_allowance, orphan; [] for none.
    Help that was stopped ("以前吃过低保 后来取消了") is not received now."""
    groups = fact_words()["current"]
    reply = _TAKEN_BACK.sub("", heard(text))  # "特昆 不是 是残疾补贴": the word taken back is not said
    refused = _NOT_GRANTED.search(reply)
    found: set[str] = set()
    named = [w for name, words in groups.items() if name != "past" for w in words if w in reply]
    denied = any(negated(reply, w) for w in named)  # 哪里有低保, 低保轮不到我们
    for clause in re.split(r"[，,。；;]+|\s(?=以前|原来|去年|后来|现在|还有|可是|但是)", reply):
        now = {
            name
            for name, words in groups.items()
            if name != "past"
            and any(w in clause and not negated(clause, w) and not _wished(clause, w) for w in words)
        }
        if (
            "残疾" in clause
            and not negated(clause, "残疾")
            and any(w in clause for w in ("补", "钱", "块", "每个月", "那个"))
        ):
            now.add("disability_allowance")
        if has(clause, groups["past"]) and not has(clause, ("现在", "还在", "还吃", "还领", "还有")):
            continue
        refusal = _NOT_GRANTED.search(clause)
        if refusal is not None:  # "低保 没有评上": asked for, not granted; what is named after still counts
            now = {n for n in now if any(w in clause[refusal.end() :] for w in groups[n])}
        found |= now
    if found:
        return sorted(found)
    if refused is not None or denied or yes_no(text) is False or has(reply, groups["past"]):
        return []
    if re.search(r"莫得|没得|没有|都没|哪样都", reply):
        return []
    return None


# "特昆 不是 是残疾补贴": the word before 不是 是 is taken back.
_TAKEN_BACK = re.compile(r"\S+\s*不是\s*(?=是)")
_NOT_GRANTED = re.compile(
    r"(?:没(?:有|得)?|莫得)(?:评上|评到|批下来|批准|批|通过|轮到|选上|下来)|评不上|批不下来|不批"
)


_WISH = re.compile(
    r"(?:想|要|来|去|能不能|可不可以|得不得|够不够|问问?|申请|办)(?:申请|办|吃|问|评)?\S{0,2}$"
)


def _wished(clause: str, word: str) -> bool:
    """ "想申请低保才来问的": a programme wished for or asked about, not received."""
    at = clause.find(word)
    return at > 0 and _WISH.search(clause[max(0, at - 5) : at]) is not None


# Word groups of `emergency` that name no hardship.
_NOT_EVENTS = ("none", "cost", "treated", "death_of_person", "of_the_event", "stay", "sickness")


def read_emergency(text: str) -> list[str] | None:
    """Sudden hardships: disaster, fire, accident, illness, medical_bill, education_bill, death, legal; [].
    A hospital stay is a medical bill only when a cost is said."""
    groups, reply = fact_words()["emergency"], _STAY.sub("住院", heard(text))
    found = {
        name
        for name, words in groups.items()
        if name not in _NOT_EVENTS and any(w in reply and not negated(reply, w) for w in words)
    }
    if (
        "accident" in found
        and found & {"disaster", "fire"}
        and not has(_masked(reply, groups["of_the_event"]), groups["accident"])
    ):
        found.discard("accident")  # "出事了 后山塌了": the disaster is what happened
    if "death" in found and not _someone_died(reply):
        found.discard("death")  # 甘蔗死了, 猪压死了: not a person
    if (
        "accident" in found
        and "illness" in found
        and not any(w in reply for w in ("病", "癌", "中风", "梗", "肿瘤", "尿毒"))
    ):
        found.discard("illness")  # 摔了 住院: the accident, not an illness
    if "illness" in found and _stay_only(reply, groups) and (len(found) > 1 or "住院费" in reply):
        found = (found - {"illness"}) | {"medical_bill"}  # "婆婆又住院了" beside a death: the stay's bill
    treated = "illness" in found or has(reply, groups["treated"])
    if found & {"illness", "accident"} and treated and has(reply, groups["cost"]):
        found.add("medical_bill")  # "出事走了 丧事借钱办的" is a cost, but not a medical one
    if found:
        return sorted(found)
    named = [w for n, ws in groups.items() if n not in _NOT_EVENTS for w in ws if w in reply]
    denied = any(negated(reply, w) for w in named)  # 车祸没有
    reply_said = said(text)
    unsure = starts_with(reply_said, "unknown")
    # "不晓得算不算 我老婆跑了": asked whether it counts, and no event named: none
    asks_if = unsure is not None and reply_said[len(unsure) :].startswith("算不算")
    no_first = asks_if or (starts_with(reply_said, "no") is not None and unsure is None)
    if denied or yes_no(text) is False or said(text) in groups["none"] or no_first:
        return []
    if _NOTHING_HAPPENED.search(said(text)):
        return []  # "都好 这阵没遇到什么事": nothing happened, however it is put
    return None


def _stay_only(reply: str, groups: dict[str, tuple[str, ...]]) -> bool:
    """The illness is only a hospital stay, no sickness named ("老人住院", "住院费一下要交五万")."""
    others = [w for w in groups["illness"] if w in reply and not has(w, groups["stay"])]
    return has(reply, groups["stay"]) and not others and not has(reply, groups["sickness"])


# A hospital stay said with its length: "住了一个星期医院", "住了十天院".
_STAY = re.compile(r"住了?[一二两三四五六七八九十几半来多\d]*个?(?:天|星期|礼拜|周|月)(?:的)?医?院")
# A denied happening: 没出啥事, 莫得哪样事, 没发生什么事, 没遇到过什么大事.
_NOTHING_HAPPENED = re.compile(
    r"(?:没|莫|冇)(?:得|有)?(?:出|发生|遇到|碰到|遭)?(?:过)?(?:啥子?|哪样|什么|么子)?(?:大)?(?:事|情况)"
    r"|大事(?:情)?(?:倒是|倒)?(?:都|也)?(?:没有|没得|莫得|冇得)"  # "大事没有": the same, the other way round
)


def _masked(reply: str, words: tuple[str, ...]) -> str:
    for word in words:  # "烧伤了": not 伤了 said of its own
        reply = reply.replace(word, "＿" * len(word))
    return reply


def _someone_died(reply: str) -> bool:
    from bot.dialogs.answers.members_words import mentions

    words = fact_words()["emergency"]["death"]
    if has(reply, fact_words()["emergency"]["death_of_person"]):
        return True
    for word in words:
        at = reply.find(word)
        if at > 0 and (mentions(reply[max(0, at - 12) : at]) or "人" in reply[max(0, at - 3) : at]):
            return True
    return False


# Money sent or given, with its figure: "给了我两百", "一年寄个一两千回来".
_SENDS = re.compile(r"(?:给|寄|打)(?:了|过)?(?:我|回来)?个?[一二两三四五六七八九十百千\d]")
# The children named live with the resident (the question asks about those who do not).
_WITH_ME = re.compile(r"跟着我|跟我(?:住|一起|过)|在家|在屋头|在身边")
# "不晓得他们在哪", "不知道去了哪里": where they are is not known, so they cannot be asked.
_NOWHERE = re.compile(r"不(?:晓得|知道)\S{0,4}(?:在哪|去了?哪|去哪)")
# Years without a visit, a call or a word ("好多年不联系了", "十几年没回来过", "几年没见"): out of touch.
_YEARS_APART = re.compile(
    r"(?:[一二两三四五六七八九十几多好\d]+|很)(?:多)?年(?:都|也)?(?:不|没|没有|莫得|莫)(?:联系|来往|见|回|音讯|消息|打过?电话)"
)
# "能不能管", "管不管得了", "肯不肯": a question that says neither yes nor no.
_NOBODY_LEFT = re.compile(r"(?:没得|没有|莫得|没)人(?:了|嘛|哦|啊)?$")  # said last: there is nobody else
_A_NOT_A = re.compile(r"(能|会|管|养|要|肯|愿|得)不\1\S?")


def out_of_touch(text: str) -> bool:
    """The supporters cannot be reached ("联系不上", "不晓得他们在哪"): taken as unable to support,
    a reading the resident confirms (whether the township counts them so is its call)."""
    reply = heard(text)
    return (
        has(reply, fact_words()["supporters"]["out_of_touch"])
        or _NOWHERE.search(reply) is not None
        or _YEARS_APART.search(reply) is not None
    )


def read_supporters(text: str) -> dict[str, bool | None] | None:
    """{exists, can_support}: children (or grandchildren) living elsewhere who must support the
    household. Anyone giving money can support; poor, ill or disabled ones cannot; "不管我" alone
    says nothing about ability; nephews and in-laws have no duty."""
    from bot.dialogs.answers.members import read_household

    groups = fact_words()["supporters"]
    reply = _A_NOT_A.sub("是否", heard(text))  # "能不能管 你问问他": asked, not said he cannot
    first = reply.split(maxsplit=1)[0] if reply.strip() else ""
    answer = True if first in ("有是有", "有", "有的", "有嘛") else yes_no(text)  # "有 不能": yes, then how
    if owed_unpaid(reply):
        return {"exists": True, "can_support": False}  # "前夫一分抚养费都没给过": owed, never paid
    house = read_household(text)
    people = [*house.members, *house.gone]
    living = [p for p in people if p.relation in ("child", "grandchild") and p.gone != "dead"]
    counted = re.match(r"^有[一二两三四五六七八九\d]个", reply) is not None
    if not living and (
        house.nobody
        or (people and all(p.gone == "dead" or p.relation not in ("child", "grandchild") for p in people))
        or (answer is False and not counted)
    ):
        return {"exists": False, "can_support": None}
    if answer is False and living and all(p.gone is None for p in living) and _WITH_ME.search(reply):
        return {"exists": False, "can_support": None}  # "没有 我就一个娃 还小 跟着我": none living apart
    if (
        living
        and all(p.gone is None for p in living)
        and not re.search(r"打工|外面|外地|外头|在外", reply)
        and _NOBODY_LEFT.search(reply)
    ):
        return {"exists": False, "can_support": None}  # "两个娃都还小 … 没得人": the children are at home
    gives = (
        _said(reply, groups["gives"])
        or _SENDS.search(reply) is not None
    )
    if out_of_touch(text) and not gives and answer is not False:
        return {"exists": True, "can_support": False}  # "二十年没音讯": nobody to ask for support
    both = _two_part(text)  # "有 不能", "有 能管": there are some, and whether they can
    if both is not None:
        return {"exists": True, "can_support": both}
    if not (living or counted or has(reply, groups["duty"])):
        if has(reply, groups["none"]) or answer is False:
            return {"exists": False, "can_support": None}
        if answer is not True:
            return None
    if _undecided(text):
        return {"exists": True, "can_support": None}  # "他说他没钱 我也晓不得真假": not known
    # "逢年过节给点钱 平时也顾不上": a token now and then, from someone said to be in need, is no support
    token = gives and has(reply, groups["occasional"]) and not _said(reply, groups["able"])
    if _said(reply, groups["unable"]) and (not gives or token or _said(reply, groups["unreliable"])):
        return {"exists": True, "can_support": False}
    if gives or _said(reply, groups["able"]):
        return {"exists": True, "can_support": True}
    return {"exists": True, "can_support": None}


def owed_unpaid(reply: str) -> bool:
    """Support owed by law (抚养费) said not to be paid, in the same clause or the next: "前夫有抚养费
    但是一分都没给过", "法院判了抚养费 他从来不给"."""
    groups = fact_words()["supporters"]
    at = min((reply.find(w) for w in groups["owed"] if w in reply), default=-1)
    return at != -1 and any(w in reply[max(0, at - 12) : at + 16] for w in groups["unpaid"])


# An A-not-A question the resident leaves open: "能不能养我不好说", "管不管不晓得".
_OPEN_QUESTION = re.compile(r"(能|会|管|养|肯)不\1\S{0,4}?(?:不晓得|不知道|晓不得|不好说|说不好|不清楚)")


def _undecided(text: str) -> bool:
    """The resident says they cannot tell whether the supporters can: a doubted claim, a question
    sent back to the child, an A-not-A question left open."""
    reply = heard(text)
    return has(reply, fact_words()["supporters"]["undecided"]) or _OPEN_QUESTION.search(reply) is not None


def _two_part(text: str) -> bool | None:
    """The question asks two things, answered as two short parts: "有 不能" (there are some, and they
    cannot), "有 能管" — whether they can, when the first part is a bare yes and the second says it."""
    parts = [p for p in re.split(r"[\s，,。；;、]+", heard(text)) if p]
    if len(parts) != 2 or said(parts[0]) not in ("有", "有的", "有嘛", "有啊"):
        return None
    second, groups = said(parts[1]), fact_words()["supporters"]
    if second in ("能", "能管", "管得了", "可以", "行", "能的", "会管") or _said(second, groups["able"]):
        return True
    if yes_no(second) is False or _said(second, groups["unable"]):
        return False
    return None


def _said(reply: str, words: tuple[str, ...]) -> bool:
    """A word said and not denied just before ("没有哪个能管" does not say 能管, "莫得钱给我们" not
    给我); an A-not-A question ("能不能管", "管不管得了") says neither."""
    reply = _A_NOT_A.sub("＿", reply)
    denying = fact_words()["supporters"]["denying"]
    for word in words:
        at = reply.find(word)
        while at != -1:
            if not reply[max(0, at - 4) : at].endswith(denying):
                return True
            at = reply.find(word, at + 1)
    return False
