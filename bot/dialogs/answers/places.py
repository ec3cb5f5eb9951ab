"""Where the household lives and what it owns, and how old: place, ages, houses, vehicles
(pensions: `pensions`; how long a 居住证 is held: `durations`).

Why: "户口在红河 在县城打工" is another Yunnan county and a town;
"快七十了" is 69 or so; "就几间土房" is one house (an unsafe one), not several; "有个三轮车" is
not a car. Each reader returns the value for its topic or None when the reply does not give it.
"""

from __future__ import annotations

import re
from functools import cache

from bot.dialogs.answers.facts import fact_words
from bot.dialogs.answers.money import mask_words
from bot.dialogs.answers.money_words import amount_words
from bot.dialogs.answers.numbers import find_numbers, mend
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import yes_no
from bot.text import fold
from bot.townships import townships

MAX_AGE = 120
_AGE_STOP = ("个", "口", "块", "元", "级", "亩", "套", "间", "万", "千", "月", "天", "年")


@cache
def _age_stops() -> tuple[str, ...]:
    """Words after a number that make it a count, a time or a quantity, not an age: the above and
    amounts.yaml's units of time and things (到哪一步了, 还有三道题)."""
    units = amount_words()["not_money"]
    return _AGE_STOP + units["time"] + units["things"]


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


_NOT = ("不是", "不在", "莫是", "没是", "非")


def _denied(text: str, words: tuple[str, ...]) -> bool:
    """Every mention of these words is denied: "户口不在元江" says where the hukou is not."""
    spans = [m.start() for w in words for m in re.finditer(re.escape(w), text)]
    return bool(spans) and all(text[max(0, i - 2) : i].endswith(_NOT) for i in spans)


# "户口还莫迁", "一直没有迁过来": the hukou stayed where the resident came from; "户口就迁过来了",
# "户口迁到甘庄": it moved, to 元江 unless another place follows.
_MOVE = "(?:迁|转|落|移)"
_KEPT = re.compile(
    rf"户口[^，。,；;]{{0,6}}?(?:没|莫|未|不得)(?:有|得)?{_MOVE}|(?:没|莫|未)(?:有|得)?{_MOVE}户口"
)
_MOVED = re.compile(rf"户口[^，。,；;]{{0,6}}?{_MOVE}(?:户)?(?:过来|回来|进来|来|到|进)")


def _origin(part: str) -> str | None:
    words = fact_words()["place"]
    if _has(part, words["outside"]):
        return "outside_yunnan"
    return "yunnan_other" if _has(part, words["yunnan"]) else None


def _migrated(reply: str) -> str | None:
    """The hukou of a resident who came from elsewhere (married in, followed a spouse), when the
    reply says whether it moved: kept → where they came from; moved → where it moved to."""
    kept = _KEPT.search(reply)
    if kept:
        came = re.split(r"嫁|跟着|来元江|过来|到元江", reply[: kept.start()])[0]
        return _origin(came) or _origin(reply[: kept.start()])
    moved = _MOVED.search(reply)
    if moved:
        to = re.split(r"[，。,；;]", reply[moved.end() :])[0]
        return _origin(to) or "yuanjiang"
    return None


def read_place(text: str) -> dict[str, str | None] | None:
    """{hukou: yuanjiang | yunnan_other | outside_yunnan, area: urban | rural | None}."""
    words, reply = fact_words()["place"], heard(text)
    for place in townships():  # "红河街道" is a township of 元江, not the 红河 prefecture; its 镇, 乡
        name = fold(place["name"])  # stays, so "因远镇上", "洼垤乡下" still say town or country
        reply = reply.replace(name, "元江" + next((s for s in ("镇", "乡") if name.endswith(s)), ""))
    migrated = _migrated(reply)
    if migrated is not None:
        return {"hukou": migrated, "area": _area(reply)}
    clauses = [c for c in re.split(r"[\s，,。；;、]+", reply) if c]
    hukou_part = next((c for c in clauses if "户口" in c and len(c) > 3), None) or (
        reply.split("住")[0] if "住" in reply else reply
    )
    outside = _has(reply, words["outside"])
    other = _has(reply, words["yunnan"])
    local = _has(reply, words["local"])
    if "户口" in reply and hukou_part:
        outside, other = _has(hukou_part, words["outside"]), _has(hukou_part, words["yunnan"])
        if _has(hukou_part, words["hometown"]) and not (outside or other or _has(hukou_part, words["local"])):
            # "湖南邵阳的 户口都在老家": the hukou is where they come from
            outside, other = _has(reply, words["outside"]), _has(reply, words["yunnan"])
        local = _has(hukou_part, words["local"]) or (local and not (outside or other))
    if _denied(hukou_part, words["local"]) or _has(hukou_part, words["elsewhere"]):
        # "我家不是本地户口", "外地户口": not local; where, if said, is another county or province
        if _has(reply, words["outside"]):
            return {"hukou": "outside_yunnan", "area": _area(reply)}
        if _has(reply, words["yunnan"]):
            return {"hukou": "yunnan_other", "area": _area(reply)}
        return None  # not said where: the place question asks
    if outside and not (
        local and _has(hukou_part, words["local"]) and not _has(hukou_part, words["outside"])
    ):
        hukou: str | None = "outside_yunnan"
    elif other and not _has(hukou_part, words["local"]):
        hukou = "yunnan_other"
    elif local or other:
        hukou = "yuanjiang"
    else:
        hukou = None
    area = _area(reply)
    if hukou is None and area is not None:
        hukou = "yuanjiang"  # "住在村里": a resident of 元江 answering where they live
    return None if hukou is None else {"hukou": hukou, "area": area}


def _area(reply: str) -> str | None:
    words = fact_words()["place"]
    towns = "|".join(map(re.escape, words["urban"]))
    ways = "|".join(map(re.escape, words["far_from"]))
    far = rf"(?:{ways})(?:{towns})\S{{0,6}}?(?:{'|'.join(map(re.escape, words['distance']))})"
    away = re.sub(far, lambda m: "＿" * len(m.group()), reply)  # "离县城三十多公里": a landmark
    if away != reply:
        return _area_said(away) or "rural"
    return _area_said(reply)


def _area_said(reply: str) -> str | None:
    words = fact_words()["place"]
    # Where the hukou is ("户口还在村里", "户口都在老家") says nothing of where they live.
    lived = "，".join(c for c in re.split(r"[\s，。,；;]+", reply) if "户口" not in c)
    living = lived.split("住", 1)[1] if "住" in lived else lived
    for part in (living, lived, reply):
        urban, rural = _has(part, words["urban"]), _has(part, words["rural"])
        if urban != rural:
            return "urban" if urban else "rural"
    return None


UNKNOWN = "unknown"  # the reply gives no exact value on purpose ("快七十了", "记不清了")
_REAL_AGE = ("实岁", "周岁", "实际", "其实", "今年", "满")
_ROUGH_AGE = ("快", "将近", "差不多", "大概", "好像", "估计", "左右", "出头", "好几", "几")
_DONT_KNOW = ("记不清", "记不得", "不记得", "晓不得", "不晓得", "不知道", "不清楚", "忘了", "搞不清")


def read_age(text: str) -> int | str | None:
    """A whole age: 65, 六十五岁, 今年七十了, 七十 七十一了 (said again, more exactly), 八十有五;
    "unknown" for an age given only roughly ("快七十了", "七十多", "六十好几") or not remembered."""
    reply = mask_words(mend(heard(text)))
    candidates: list[tuple[int, int]] = []  # (weight, age)
    said: list[tuple[str, int]] = []  # (numeral, weight) so far
    for position, number in enumerate(find_numbers(reply)):
        after, before = reply[number.end :], reply[max(0, number.start - 3) : number.start]
        if after.startswith(("个月", "月")) and number.high < 12 and not re.search(r"岁|年", reply):
            return 0  # 娃娃才两个月: under a year
        if after.startswith(("年", "月")) and not after.startswith("年纪"):
            continue  # 1961年的, 两个月
        if after.startswith(_age_stops()) and not after.startswith(("岁", "周岁")):
            continue
        if not 0 <= number.high <= MAX_AGE or "比" in before:
            continue
        clause = re.split(r"[\s，,。；;]", reply[: number.start])[-1]
        if any(w in clause for w in fact_words()["age_to_come"]):
            continue  # "明年就满十八": an age to come
        rough = (
            number.approx
            or any(w in before for w in _ROUGH_AGE)
            or after.startswith(("多", "几", "出头", "好几"))
        )
        weight = (
            position
            + (10 if any(w in before for w in _REAL_AGE) else 0)
            + (5 if after.startswith("岁") else 0)
        )
        for earlier, earlier_weight in said:
            if number.text.startswith(earlier) and len(number.text) > len(earlier):
                weight = max(weight, earlier_weight + 1)  # "今年 六十 六十三了": said again, more exactly
        said.append((number.text, weight))
        candidates.append((weight, UNKNOWN if rough else int(number.low)))  # type: ignore[arg-type]
    relative = re.search(
        r"比我(大|小)([一二两三四五六七八九十\d]+)岁.*?我(?:今年)?([一二两三四五六七八九十\d]+)", reply
    )
    if relative:  # 老伴比我大两岁，我七十
        gap, own = (find_numbers(relative.group(i))[0].low for i in (2, 3))
        return int(own + gap if relative.group(1) == "大" else own - gap)
    if not candidates:
        return UNKNOWN if any(w in reply for w in _DONT_KNOW) or "几年" in reply else None
    if any(w in reply for w in _DONT_KNOW):
        return UNKNOWN
    return max(candidates, key=lambda c: c[0])[1]


_ANOTHER = re.compile(r"还有|另外|又有|还|又")


def read_count(text: str) -> int | None:
    """A small count (houses): 两套, 一处, 就几间土房 (one house), 没有 → 0."""
    words, reply = fact_words()["house"], heard(text)
    if re.search(r"不知道|不清楚|晓不得|记不得", reply):
        return None
    if _has(reply, words["none"]) or (yes_no(text) is False and not _has(reply, words["one_words"])):
        return 0
    counts: list[tuple[int, bool]] = []  # each house count said, and whether it is one more
    for number in find_numbers(reply):
        after, before = reply[number.end : number.end + 2], reply[max(0, number.start - 6) : number.start]
        more = _ANOTHER.search(before[-3:]) is not None
        if number.low != number.high:
            continue
        if after.startswith(("处", "栋", "套", "幢", "个房", "座", "院", "所")) or (
            after.startswith("间") and number.low == 1  # "寨子里一间": a house (三间房 is rooms)
        ) or (
            after.startswith("个") and (number.start <= 1 or "房" in before or (more and counts))
        ):
            counts.append((int(number.low), more))  # "两个，一个老的…": the first is the count
    if counts:  # "一院 … 还有一套": one, and one more; "是两套 … 还有一套": the two, one of them
        first = counts[0][0]
        return first + sum(n for n, more in counts[1:] if more) if first == 1 else first
    if _has(reply, words["destroyed"]) and (_has(reply, words["shelter"]) or _has(reply, words["gone_now"])):
        return 0  # "房子挨水冲垮了 现在搭个棚棚住", "老房子垮了 现在没有了": the house is gone
    if re.search(r"住(?:在)?\S{0,3}家", reply) and not re.search(r"自己家|我家|自家", reply):
        return 0  # 住在亲戚家, 住儿子家: no house of one's own
    if _has(reply, words["one_words"]) or yes_no(text) is True:
        return 1
    return None


def house_condition(text: str) -> str | None:
    """dangerous | none | None (not said): what the house reply says about the home itself."""
    words, reply = fact_words()["house"], heard(text)
    if _has(reply, words["none"]):
        return "none"
    if any(
        w in reply and not reply[: max(0, reply.find(w))].endswith(("不是", "没有", "不"))
        for w in words["dangerous"]
    ):
        return "dangerous"
    return None


def read_car(text: str) -> bool | None:
    """A car, lorry or large machine (a motorbike or tricycle is not one)."""
    words, reply = fact_words()["car"], heard(text)
    denied = r"^(?:都|也|么|嘛)?\S{0,3}?(?:哪里有|哪有|哪个有|莫得|没得|没有|冇得|卖了|卖掉)"
    asked = "(?:" + "|".join(map(re.escape, words["rhetorical"])) + r")(?:什么|啥子?|哪样|么子)?"
    owned = [
        w
        for w in words["vehicle"]
        if w in reply
        and not reply[: reply.find(w)].endswith(("没有", "没得", "没", "莫得"))
        and not re.match(denied, reply[reply.find(w) + len(w) :])
        # "哪有车哦": asked back, so denied (有车 itself may hold the 有 of 哪有)
        and not re.search(asked + "$", reply[: reply.find(w) + w.startswith("有")])
    ]
    small_machine = set(owned) <= {"旋耕机", "拖拉机", "机械"} and re.search(r"小的|小型|手扶|微耕", reply)
    if owned and not small_machine and not re.search(r"买不起|现在没", reply):
        return True
    if owned and small_machine:
        return False  # a small tiller or a walking tractor is no large machinery
    if (
        _has(reply, words["small"])
        or yes_no(text) is False
        or re.search(r"没有|没得|莫得|冇得|买不起|卖了", reply)
        or re.search(asked + "(?:的)?车", reply)
    ):
        return False
    return None


def read_business(text: str) -> bool | None:
    """A shop, workshop or business premises (非住宅房产), if the reply mentions one."""
    words, reply = fact_words()["car"], heard(text)
    if any(
        w in reply and not reply[: reply.find(w)].endswith(("没有", "没得", "没")) for w in words["business"]
    ):
        return True
    return None
