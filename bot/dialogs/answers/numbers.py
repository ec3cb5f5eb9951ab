"""Numbers as residents say them: digits, Chinese numerals, ranges and approximations.

Why: "三四百" is 300–400, not 3400; "五六百", "三五千", "一两千", "十几", "几百", "三百多",
"三百来块", "一千左右" are all ranges a careful listener hears as ranges. Plain numerals are read by
`cn2an` (a maintained converter); this module finds the numeral runs in a sentence and adds the
ranges and approximations on top. Every number comes back as an interval [low, high] with the
position it was found at, so callers can look at the words around it (岁, 个月, 口人, 块 …).
"""

from __future__ import annotations

import itertools
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

_CN_DIGITS = "零〇一二两三四五六七八九幺俩"
_DIGIT_VALUE = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "幺": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = "十百千万亿"
_PLACE = {unit: Decimal(value) for unit, value in (("十", 10), ("百", 100), ("千", 1000), ("万", 10000),
                                                    ("亿", 100000000))}
_RUN = re.compile(rf"(?:\d+(?:[.,，]\d+)*(?:\.\d+)?|[{_CN_DIGITS}{_UNITS}几点半kw])+", re.IGNORECASE)
# "点", "半", k and w only inside or after a number ("一点五", "两千半", "3k"), never before it.
_LEAD = "点半kKwW"
_TAIL = "点"
# A Chinese digit right next to an Arabic one is two numbers ("老二6岁", "三个6岁"), not one.
_SEAM = re.compile(rf"(?<=[{_CN_DIGITS}])(?=\d)|(?<=\d)(?=[{_CN_DIGITS}])")
_MAX = Decimal(10) ** 12  # beyond any amount a resident means: longer digit strings are not amounts


@dataclass(frozen=True)
class Number:
    low: Decimal
    high: Decimal
    start: int
    end: int
    text: str
    approx: bool = False  # a range, 几, 多 …: not an exact figure

    @property
    def point(self) -> Decimal:
        return (self.low + self.high) / 2


def _convert(run: str) -> Decimal | None:
    """One plain numeral (no ranges): 2500, 两千五, 3万5, 1.5万, 一点五万, 一万二, 一二零零."""
    run = run.lower().replace("k", "千").replace("w", "万").replace(",", "").replace("，", "")
    if "点" in run:  # 一点五万 → 1.5万
        head, _, tail = run.partition("点")
        head_value = _convert(head) if head else None
        if head_value is None or not tail:
            return None
        digits = re.match(rf"[\d{_CN_DIGITS}]+", tail)
        if digits is None:
            return None
        decimals = "".join(str(_DIGIT_VALUE.get(ch, ch)) for ch in digits.group())
        rest = tail[digits.end() :]
        value = Decimal(f"{head_value}.{decimals}")
        return value * _PLACE[rest] if rest in _PLACE else value if not rest else None
    if run.endswith("半") and len(run) > 1:  # 两千半 → 2500, 一万半 → 15000
        base = _convert(run[:-1])
        unit = run[-2]
        return None if base is None or unit not in _PLACE else base + _PLACE[unit] / 2
    if re.fullmatch(r"\d+(?:\.\d+)?", run):
        return Decimal(run)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return Decimal(str(cn2an.cn2an(run, "smart")))
        except (ValueError, KeyError, IndexError, InvalidOperation):
            return None


def _place(run: str, value: Decimal) -> Decimal:
    """The smallest place the numeral names, for "多": 三百 → 100, 一千五 → 100, 800 → 100, 30 → 10."""
    if run and run[-1] in _PLACE:
        return _PLACE[run[-1]]
    if len(run) >= 2 and run[-2] in _PLACE and run[-1] in _DIGIT_VALUE and run[-2] != "十":
        return _PLACE[run[-2]] / 10  # 一千五: the 五 is hundreds
    if value == value.to_integral_value() and value >= 10:
        digits = str(int(value))
        return Decimal(10) ** (len(digits) - len(digits.rstrip("0"))) if digits.endswith("0") else Decimal(1)
    return Decimal(1)


def _adjacent_range(run: str) -> tuple[str, str] | None:
    """五六百 → (五百, 六百); 一两千 → (一千, 两千); 三五千; 十一二 → (十一, 十二); 一千五六."""
    match = re.search(r"([一二两三四五六七八九])([二两三四五六七八九])", run)
    if match is None or "零" in run or "〇" in run:
        return None
    first, second = (_DIGIT_VALUE[ch] for ch in match.groups())
    if not 0 < second - first <= 2 or (re.fullmatch(rf"[{_CN_DIGITS}]+", run) and len(run) > 2):
        return None
    low = run[: match.start()] + match.group(1) + run[match.end() :]
    high = run[: match.start()] + match.group(2) + run[match.end() :]
    return low, high


_SAME_UNIT = re.compile(r"([一二两三四五六七八九])([十百千万])([一二两三四五六七八九])\2")


def _read_run(run: str) -> tuple[Decimal, Decimal, bool] | None:
    both = _SAME_UNIT.fullmatch(run)  # 一千两千, 三千五千: two amounts of one unit, a range
    if both is not None:
        low, high = _convert(both.group(1) + both.group(2)), _convert(both.group(3) + both.group(2))
        if low is not None and high is not None and low < high:
            return low, high, True
    if run in _PLACE:  # 千把块, 万把块: a lone unit is one of it
        return _PLACE[run], _PLACE[run], False
    if "几" in run:
        index = run.index("几")
        after_ten = index > 0 and run[index - 1] == "十"
        low = _convert(run.replace("几", "一" if after_ten else "二", 1))
        high = _convert(run.replace("几", "九", 1))
        return None if low is None or high is None else (low, high, True)
    ranged = _adjacent_range(run)
    if ranged is not None:
        low, high = (_convert(part) for part in ranged)
        if low is not None and high is not None and low < high:
            return low, high, True
    value = _convert(run)
    return None if value is None else (value, value, False)


def _runs(text: str) -> list[tuple[str, int]]:
    runs = []
    for match in _RUN.finditer(text):
        offset, whole = match.start(), match.group()
        if (
            len(whole) > 1
            and whole.endswith("一")
            and not whole.endswith("十一")  # 十一个月, 二十一天: eleven, twenty-one
            and text[match.end() : match.end() + 1] in ("年", "月", "天", "个")
        ):
            whole = whole[:-1]  # 一万二一年: 一万二, then the period 一年
        for seamed in _SEAM.split(whole):
            for part in _ascending(seamed):
                if part:
                    runs.append((part, offset))
                offset += len(part)
        if whole != match.group():
            runs.append(("一", match.end() - 1))
    return runs


_SMALL_UNITS = "十百千"


def _ascending(run: str) -> list[str]:
    """A run whose units climb is two numbers said one after the other ("两百一千二": 两百, then
    一千二), as no numeral names hundreds before thousands, nor thousands twice ("一千一千二");
    万 and 亿 multiply what came before."""
    last, cut = 0, []
    for index, char in enumerate(run):
        if char in "万亿":
            last = 0
        elif char in _SMALL_UNITS:
            place = _SMALL_UNITS.index(char) + 1
            again = place == last >= 2 and run[index + 1 : index + 2] in tuple(_DIGIT_VALUE)
            climbs = place > last or again  # 一千一千二: 千 twice, then a digit: two (一千两千: a range)
            if last and climbs and index >= 2 and run[index - 1] in _DIGIT_VALUE:
                cut.append(index - 1)
            last = place
    bounds = [0, *cut, len(run)]
    return [run[a:b] for a, b in itertools.pairwise(bounds)]


_FINANCIAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
_CN = "一二两三四五六七八九"
_MENDS = (
    (re.compile(rf"(?<=[{_CN}])白"), "百"),  # 三白 (input method) → 三百
    (re.compile(rf"(?<=[{_CN}])是(?=[{_CN}]|岁)"), "十"),  # 七是二, 三是岁 (by sound) → 七十二, 三十岁
    (re.compile(rf"(?<=十)[有又](?=[{_CN}])"), ""),  # 八十有五, 八十又一 → 八十五, 八十一
    (re.compile(r"(?<=年)伴"), "半"),  # 一年伴 (by sound) → 一年半
    (re.compile(rf"(?<=[{_CN}])干(?=左右|块|多|来|元|出头|$|\s)"), "千"),  # 三干左右 (typed by shape) → 三千
    (re.compile(rf"(?<=[{_CN}])完(?![了成整全])"), "万"),  # 两完 (input method) → 两万
    (re.compile(r"(?<=十)[凄漆妻期]"), "七"),  # 六十凄 (by sound) → 六十七
    (re.compile(r"(?<=十)[久酒]"), "九"),  # 七十久 (by sound) → 七十九
    (re.compile(r"(?<=十)[巴扒](?![掌])"), "八"),  # 六十巴 (by sound) → 六十八
    # 七八伯 (by sound) → 七八百: after a range or a bigger unit only (二伯, 三伯 are uncles)
    (re.compile(rf"(?:(?<=[{_CN}]{{2}})|(?<=[千万][{_CN}]))伯"), "百"),
)
# A lower-case l (or I, or |) typed for 1 between digits or leading them: "530428l972…", "l50元".
_TYPED_ONE = re.compile(r"(?<=\d)[lI|](?=\d)|(?<![A-Za-z])[lI|](?=\d\d)")


def typed_digits(text: str) -> str:
    """Letters typed for digits ("l50", "l5987701234"), the text's length kept."""
    return _TYPED_ONE.sub("1", text)


def mend(text: str) -> str:
    """Numerals written the other ways residents type them: 伍, 三白, 七是二, 八十有五, l50."""
    text = typed_digits(text.translate(_FINANCIAL))
    for pattern, replacement in _MENDS:
        text = pattern.sub(replacement, text)
    return text


def find_numbers(text: str) -> list[Number]:
    """Every number in already folded text, left to right, with 多/来/左右 widening it.
    The text should be `mend`ed first where positions need not be kept."""
    found: list[Number] = []
    taken = 0  # the end of a unit already read with the number before it ("十来万")
    for run, start in _runs(text):
        if start < taken:
            continue
        stripped = run.lstrip(_LEAD).rstrip(_TAIL)
        if not stripped or not re.search(rf"[\d{_CN_DIGITS}{_UNITS}几]", stripped):
            continue
        start += run.index(stripped)
        read = _read_run(stripped)
        if read is None or read[1] >= _MAX:
            continue
        low, high, approx = read
        end = start + len(stripped)
        after = text[end : end + 3]
        bigger = _PLACE.get(after[1:2]) if after[:1] in ("多", "来", "几") else None
        if (
            bigger is not None
            and bigger > _place(stripped, low)
            and not re.match(rf"[\d{_CN_DIGITS}]", after[2:3])
        ):
            # 十来万, 三十多万, 两千多万: the approximation is of the unit after it
            place = _place(stripped, low) * bigger
            low, high = low * bigger, high * bigger
            if after.startswith("来"):
                low, high = low * Decimal("0.9"), high * Decimal("1.1")
            else:
                high = low + place - 1
            end = taken = end + 2
            found.append(Number(low, high, start, end, stripped + after[:2], True))
            continue
        if after.startswith("多") or after.startswith("几"):
            high = low + _place(stripped, low) - (1 if low >= 10 else Decimal("0.1"))
            approx, end = True, end + 1
        elif after.startswith(("来", "把")):
            low, high, approx = low * Decimal("0.9"), high * Decimal("1.1"), True
        found.append(Number(low, high, start, end, stripped, approx))
    return found
