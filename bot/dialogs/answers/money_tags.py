"""What each heard amount is said for: about or under a figure, net or a cost, now or in the
past, per person, a source, money that is not counted, and for how many months.

Why: "扣掉成本 差不多一万二" is what is left, "化肥请工一共花了四千" a cost, "上个月才是八百" not what
comes in now, "低保的钱不算" left out; `money_sum` makes one amount of these marks.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.dialogs.answers.money_words import Heard, amount_words, has_word
from bot.dialogs.answers.numbers import find_numbers

_MONTHS = re.compile(r"([一二两三四五六七八九十\d]+)个?月$")

# "嫁出去了", "回去了": a going, not money going out (去了 is a deduction word).
_GOING = re.compile(r"[出回过进上下来跑搬](?=去了)")


def _last(text: str, name: str) -> int:
    if name == "deduct":
        text = _GOING.sub("＿", text).replace("＿去了", "＿＿＿")
    return max((text.rfind(w) for w in amount_words()[name]), default=-1)


_REPAID = re.compile(r"(?:报|报销|报账|赔)(?:了|掉|回来|下来)\s*$")


# The figure now, said after an earlier one: "一个月五千 … 现在是零", "以前八百 现在三百".
_NOW = re.compile(r"(?:现在|如今|目前|这个月)(?:是|就|只有|只|才|就是|就剩|剩)?\s*$")


_WHEN = r"(?:上个月|去年|前年|以前|原来|之前|过去|早先|刚才说的)"
_OVER_TIME = re.compile(r"(?:月|年)下来(?:就|也就|能有|有|大概|差不多|就是|能落|落)?$")
_PAST_BEFORE = re.compile(_WHEN + r"(?:才|都|还|就)?(?:是|有)?$")
_PAST_AFTER = re.compile(r"^(?:多|来)?(?:块|元)?(?:钱)?\s?(?:那?是|都是|还是)" + _WHEN)


def last_clause(before: str) -> str:
    """The words said with an amount: the last clause before it (the one before that if it is empty)."""
    parts = [p for p in re.split(r"[\s，,。；;！!？?]+", before) if p.strip("＿")]
    return parts[-1] if parts else ""


def tag(item: Heard, text: str) -> None:
    words, before = amount_words(), item.before
    tail = before[-4:]
    after = text[item.end : item.end + 4].lstrip("块元钱米")
    for name in ("under", "near", "at_most", "at_least"):
        if any(w in tail for w in words[name]):
            item.tags.add(name)
    if any(w in tail for w in words["about"]) or any(after.startswith(w) for w in words["about"]):
        item.tags.add("about")
    if any(after.startswith(w) for w in words["over"]):
        item.tags.add("over")
    if any(text[item.end : item.end + 6].lstrip("块元钱米都也还").startswith(w) for w in ("不到", "不足")):
        item.tags.add("under")  # 五百不到, 一千块钱都不到
    clause = last_clause(before)
    for name in ("net", "final"):  # and "一天四五十 … 一个月下来七八百": the month's sum of the days
        if has_word(before, name) or (name == "final" and _OVER_TIME.search(clause)):
            item.tags.add(name)
    if has_word(clause, "promised"):
        item.tags.add("promised")  # "女儿讲下个月打五百回来": not come in yet
    if has_word(clause, "varies"):
        item.tags.add("varies")  # "有时候三千": not "有时候晚几天 … 一年一万二"
    if _NOW.search(before):
        item.tags.add("now")
    if _PAST_BEFORE.search(clause) or _PAST_AFTER.match(text[item.end : item.end + 12]):
        item.tags.add("past")  # "上个月才是八百", "七百是去年": not what comes in now
    deduct, cost = _last(before, "deduct"), _last(before, "cost")
    # "扣掉进货一千": the amount right after the cost word is that cost, not what is left
    named_cost = cost >= 0 and re.match(r"^\S{1,3}?(?:的|要|花了|花|了)?$", before[cost:]) is not None
    if deduct >= 0 and cost > deduct and not has_word(before[cost:], "deduct") and not named_cost:
        item.tags.add("net")  # 扣掉成本 差不多一万二: what is left
    elif deduct >= 0 or cost >= 0:
        item.tags.add("cost")
        if _last(before, "final") < max(deduct, cost):
            item.tags.discard("final")  # "化肥请工一共花了四千": the total of the costs, not what is left
    elif _REPAID.search(before):
        item.tags.add("cost")  # "花了三万多 报了一万": the part paid back is taken off
    elif has_word(before, "debt"):
        item.tags.add("debt")
    elif has_word(before, "spending"):
        item.tags.add("spending")
    if any(w in clause and not clause.split(w)[-1].startswith(("月", *words["one_who"] * (w[0] == "一")))
           for w in words["per_person"]):  # not "一个人打工 一个月一千五": one of them earns it
        item.tags.add("per_person")
    if has_word(before, "sources") or (item.start == len(before) and not before.strip(" ＿")):
        item.tags.add("source")
    for kind, kind_words in words["not_counted"].items():
        said = [w for w in kind_words if w in before]
        if (
            said
            and not has_word(before, "counted")
            and not any(_left_out(w, before) for w in said)
            # "我们是低保户 … 自己挣的一个月两三百": named as earned after it, the figure is earnings
            and not has_word(before[max(before.rfind(w) for w in said) :], "earned")
        ):
            item.excluded = kind
    months = _MONTHS.search(before.rstrip("挣赚卖得了就才有打寄给拿"))  # 隔两个月寄一千: per two months
    if months and months.group(1) not in ("一", "1"):
        found = find_numbers(months.group(1))
        if found and found[0].low != found[0].high:  # 隔两三个月寄一千: a third to a half a month
            item.times = (item.times[0] / found[0].high, item.times[1] / found[0].low)
        elif found:
            item.factor = Decimal(1) / found[0].low


def _left_out(word: str, before: str) -> bool:
    """The money `word` names is said to be left out before the amount: "低保的钱不算", "不算低保的话",
    "低保算不算 不算的话 … 两百多" (the amount is what remains without it). Only its last mention counts."""
    start = before.rfind(word)
    after = before[start + len(word) :]
    if _LEFT_OUT_AFTER.match(after):
        return True  # "除了低保五百 还有三百": the 五百 right after it is still that money
    return bool(_LEFT_OUT_BEFORE.search(before[:start])) and bool(re.search(r"[\s，,]|的话", after))


_LEFT_OUT_AFTER = re.compile(r"\S{0,6}?(?:不算|除外|除开|不计|不要算|莫算|别算)")
_LEFT_OUT_BEFORE = re.compile(r"(?:不算|除开|除了|除去|去掉|不计|不包括|不含|刨开|刨去)\S{0,2}$")
