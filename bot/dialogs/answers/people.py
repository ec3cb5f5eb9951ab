"""The application's personal answers as people type them: name, mobile, ID number, township, village.

Why: "我叫李春花", "138 8765 4321 是我外孙的", an ID number read out digit by digit, "我是因远的",
"清水河村委会的" all answer their question, and an ID whose birth date does not fit the age the
resident gave must be queried, not accepted. The checks themselves (check digit, real dates,
mobile prefixes) are `bot.application.identity`; this module finds the value in the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from bot.application.identity import (
    IdNumber,
    IdProblem,
    digit_runs,
    find_id_run,
    find_mobile,
    parse_id_number,
    parse_mobile,
)
from bot.dialogs.answers.facts import fact_words
from bot.dialogs.answers.members_speaker import TYPED_FOR
from bot.dialogs.answers.members_words import mentions
from bot.dialogs.answers.numbers import typed_digits
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.slots import other_meaning
from bot.dialogs.answers.vocabulary import contains, is_unknown, said, trim, vocabulary
from bot.dialogs.choices import ordinal
from bot.text import compact, fold
from bot.townships import townships

_NAME = re.compile(r"^[\u3400-\u9fff·]{2,12}$|^[a-z][a-z ·]{1,30}$")
_NAME_DOTS = re.compile(r"[•・.．。]")
AGE_SLACK = 1  # an age said in 虚岁 or before this year's birthday is off by one


@dataclass(frozen=True)
class IdCheck:
    """An ID number that is valid but does not fit the age given (`mismatch`), or one that is fine."""

    id_number: IdNumber
    age: int
    mismatch: bool


_UNSAID = ("不说", "不想说", "不告诉", "不方便", "保密", "不知道", "记不得")
_SPELLED = re.compile(r"^\S{1,4}的\S$")  # "普通的普", "刀子的刀": how a character is written


def read_name(text: str) -> str | None:
    """The name in "我叫李春花", "姓名 王建华", "李春花", "岩温", "申请人是我妈，何桂芬",
    "刀玉兰 刀子的刀 玉石的玉" (the spelling after it is left out); "unknown" when not given."""
    folded = _NAME_DOTS.sub("·", fold(text))
    words = fact_words()
    if any(w in folded for w in _UNSAID):
        return "unknown"
    clauses = [c for c in re.split(r"[\s，,。；;、]+", folded) if c]
    found = [(value, c) for c in clauses if (value := _name_in(c, words))]
    # "我是杨正明 帮我妈问的 … 叫罗翠芬": typed for someone else, the applicant's name is hers
    if len(found) > 1 and (TYPED_FOR.search(folded) or "申请人" in folded):
        found = [f for f in found if not f[1].startswith(("我是", "我叫"))] or found
    # "我叫白老三，身份证上是白文忠": the name on the papers is the one an application needs
    found = [f for f in found if _ON_PAPERS.search(f[1])] or found
    if not found:
        return None
    name = found[0][0]
    for later, _ in found[1:]:  # "马文 马文华": said again, longer, as the resident corrects it
        if later.startswith(name) and len(later) > len(name):
            name = later
    return _as_typed(name, text)


_ON_PAPERS = re.compile(r"身份证|户口本|证件")


def _as_typed(name: str, text: str) -> str:
    """The name in the characters the resident typed (陳國華 stays 陳國華), found through the
    folded text when folding kept every character in place."""
    original = _NAME_DOTS.sub("·", text)
    folded = fold(original)
    at = folded.find(name)
    typed = original[at : at + len(name)] if at != -1 and len(folded) == len(original) else name
    return typed if re.fullmatch(r"[\u3400-\u9fff·]+", typed) else name


def _name_in(clause: str, words: dict[str, Any]) -> str | None:
    """The name one clause gives, if any."""
    value, led = clause, False
    for lead in words["name_lead"]:
        at = value.find(lead)
        if at != -1 and len(value) > at + len(lead) + 1:
            value, led = trim(value[at + len(lead) :]), True
            break
    if not led and value.startswith(tuple(words["name_lead"])):
        return None  # "我叫", "我叫罗": the lead said, the name not yet (a false start)
    value = re.sub(r"(?:就是|吧|啊|呀|的|哦|嘛)$", "", value)
    if value.startswith("姓") and len(value) > 3 and value[1] == value[2]:
        value = value[2:]  # 姓王王建华
    if _SPELLED.match(clause) or not _NAME.match(value) or (len(value) > 6 and "·" not in value):
        return None
    if other_meaning(clause) or other_meaning(value):  # "同意", "好的", "你好", "算了": not names
        return None
    relation = mentions(value)
    if (
        any(w in value for w in words["name_forbidden"])
        or is_unknown(value)
        or (relation and (not led or value.startswith(("我", "他", "她")) or relation[0].word == value))
    ):
        return None
    return value


def read_phone(text: str) -> str | None:
    """11 digits, or "invalid" when the reply holds a number that is not a mobile, "unknown" when it
    says there is none ("没得手机", "微信这个号"); None if it holds no number."""
    mended = typed_digits(re.sub(r"(?<=\d)[oO](?=\d)|(?<=\d)[oO]$", "0", heard(text)))
    corrected = _corrected(mended)
    if corrected is not None:
        return corrected
    mobile = find_mobile(mended) or _own_mobile(mended)
    if mobile is None:
        joined = "".join(digit_runs(mended))  # "一五八 幺二九三 那个 四零六七"
        mobile = (parse_mobile(joined) or _false_start(mended)) if joined else None
    if mobile is not None:
        return mobile
    if digit_runs(mended):
        return "invalid"
    return "unknown" if any(w in mended for w in ("没", "微信", "记不", "不知道", "晓不得", "莫得")) else None


_GROUP = re.compile(r"^[0-9零〇一幺二三四五六七八九]+$")


def _false_start(mended: str) -> str | None:
    """A number said in groups where voice input caught a false start or a group twice, the group
    said again at the start of the next ("一五 一五八 幺二…", "… 三零九一 三零九一"): the one
    mobile left without it, if there is one."""
    groups = [g.translate(_SPOKEN) for g in mended.split() if _GROUP.match(g)]
    found = {
        m
        for i in range(len(groups) - 1)
        if groups[i + 1].startswith(groups[i])
        and (m := parse_mobile("".join(groups[:i] + groups[i + 1 :]))) is not None
    }
    return found.pop() if len(found) == 1 else None


_OWN = re.compile(r"我的|我自己的|我本人|本人的|自己的")
_OTHERS = re.compile(r"[他她]们?(?:家)?的?|隔壁|邻居|别人")


def _own_mobile(mended: str) -> str | None:
    """Of several mobile numbers, the one said as the resident's own ("我的电话是… 或者打隔壁的
    …"); None when none is, or more than one."""
    own: set[str] = set()
    said_before = 0
    for match in re.finditer(r"\d{11}", mended):
        before = mended[said_before : match.start()]
        said_before = match.end()
        if _OWN.search(before) and not _OTHERS.search(before[-8:]):
            own.add(match.group())
    mobiles = {m for m in own if parse_mobile(m) is not None}
    return mobiles.pop() if len(mobiles) == 1 else None


_TAIL = re.compile(
    r"最后(?:[一两二三四五六七八九\d]位|一个|几位|两个)?(?:是|为|改成)?\s*([0-9零〇一幺二三四五六七八九\s]{1,6})$"
)
_SPOKEN = str.maketrans("零〇一幺二三四五六七八九", "001123456789")


def _corrected(mended: str) -> str | None:
    """A number then its correction: the whole number said again ("… 不对 13577712308"), or only
    its last digits ("一三九… 哦不对 最后是五六")."""
    found = [(at, -len(w), w) for w in vocabulary()["correction"] if (at := mended.find(w)) >= 0]
    if not found:
        return None
    at, _, word = min(found)
    before, after = mended[:at], mended[at + len(word) :]
    again = find_mobile(after) or next(
        (m for token in reversed(after.split()) if (m := find_mobile(token)) is not None), None
    )  # "最后是08 13577712308": the number said again whole
    if again is not None:
        return again
    first = find_mobile(before) or parse_mobile("".join(digit_runs(before)) or "0")
    tail = _TAIL.search(after.strip())
    if first is None or tail is None:
        return None
    digits = re.sub(r"\s", "", tail.group(1)).translate(_SPOKEN)
    return parse_mobile(first[: -len(digits)] + digits) if 0 < len(digits) < len(first) else None


def read_id(text: str, today: date, age_given: int | None = None) -> IdCheck | IdProblem | str | None:
    """The ID number checked, and against the age the resident gave; "unknown" when the resident
    says they do not have it to hand; None when there is no number."""
    mended = re.sub(r"最后(?:一)?(?:个|位)(?:是)?", "", typed_digits(heard(text)))
    run = find_id_run(mended)
    if run is not None and len(run) < 18:  # read out in groups: "五三零四二八 一九六四 … 一零七 叉"
        joined = "".join(
            digit_runs(" ".join(re.findall(r"[0-9xX零〇一幺二两三四五六七八九叉]", mended)).replace(" ", ""))
        )
        run = joined if len(joined) == 18 else run
    if run is None:
        return (
            "unknown"
            if any(w in mended for w in ("记不", "不记得", "不知道", "晓不得", "不在", "没带", "找不到"))
            or re.search(r"在\S{1,5}那(?:里|儿|点|边)", mended) is not None  # 身份证在我儿子那里
            else None
        )
    parsed = parse_id_number(run, today)
    if not isinstance(parsed, IdNumber):
        return parsed
    born = parsed.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    mismatch = age_given is not None and abs(age - age_given) > AGE_SLACK
    return IdCheck(parsed, age, mismatch)


def read_township(text: str) -> str | None:
    """The township code: its name, a short or misheard form ("因远", "里江"), or a pinyin near miss."""
    reply = compact(text)
    if not reply:
        return None
    number = ordinal(text)
    if number is not None:  # the numbered list the question shows
        return townships()[number - 1]["code"] if 1 <= number <= len(townships()) else None
    if any(w in reply for w in ("晓不得", "不晓得", "不知道", "不清楚", "记不得")):
        return "unknown"
    for place in townships():
        if compact(place["name"]) in reply:
            return place["code"]
    aliases = fact_words()["townships"]
    hits = [(len(w), code) for code, words in aliases.items() for w in words if w in reply]
    if hits:
        return max(hits)[1]
    from pypinyin import lazy_pinyin

    spoken = "".join(lazy_pinyin(reply))
    best, score = None, 0.0
    for place in townships():
        name = "".join(lazy_pinyin(place["name"][:2]))
        value = fuzz.partial_ratio(name, spoken) if len(spoken) >= len(name) else 0.0
        if value > score:
            best, score = place["code"], value
    return best if score >= 90 else None


_CALLED = re.compile(r"(?:叫做|名字叫|名叫|叫)")


def read_village(text: str) -> str | None:
    """The village (村委会 / 社区) as written, without "我是…的" around it, the township before it or a
    spelling after it; "unknown" when not known."""
    words = fact_words()
    folded = fold(text)
    if is_unknown(text) or contains(said(text), vocabulary()["unknown"]):
        return "unknown"
    if other_meaning(text):  # "同意", "你好", "知道了": the village was not said
        return None
    clauses = [trim(c) for c in re.split(r"[\s，,。!！?？]+", folded) if c]
    clauses = [c for c in clauses if c and not _SPELLED.match(c) and not re.search(r"是\S的", c)]
    named = [c for c in clauses if re.search(r"村|社区|寨|组|居委会", c)]
    value = (named or clauses or [""])[0]
    for lead in words["village_lead"]:
        if value.startswith(lead) and len(value) > len(lead) + 1:
            value = value[len(lead) :]
            break
    called = _CALLED.search(value)  # "村委会叫猪街": the name after the word for naming it
    if called and len(value) - called.end() >= 2:
        value = value[called.end() :]
    kinds = "|".join(map(re.escape, sorted(words["village_kind"], key=len, reverse=True)))
    kind = re.match(rf"(?:{kinds})(?:是|就是)", value)  # "村委会是东峨村": the kind of place, then its name
    if kind and len(value) - kind.end() >= 2:
        value = value[kind.end() :]
    under = "|".join(map(re.escape, words["village_under"]))
    below = re.search(rf"(村委会|村委|居委会|社区|村公所)(?:{under})\S*$", value)
    if below and below.start() >= 2:  # "咪哩村委会底下的小寨子": the committee is the village
        value = value[: below.end(1)]
    for tail in words["village_tail"]:
        if value.endswith(tail) and len(value) > len(tail) + 1:
            value = value[: -len(tail)]
            break
    code = read_township(value)
    if code not in (None, "unknown"):  # "因远镇安仁村": keep the village, drop the township
        for name in (next(t["name"] for t in townships() if t["code"] == code), *words["townships"][code]):
            rest = value.replace(fold(name), "", 1)
            rest = rest.removeprefix("的")  # "因远镇的半坤村"
            if rest != value and len(rest) >= 2 and rest not in ("村", "社区", "寨", "村委会"):
                value = rest
                break
    return value if 2 <= len(value) <= 30 and not value.isdigit() else None
