"""Understanding free answers to the questionnaire: yes/no, amounts, ages, counts, years, lists.

Residents answer as they speak, often through voice input: "没得", "两千五", "1.5万", "大概一千",
"六十五岁", "一年一万二". Every parser here takes the raw reply and returns the value, or None when
the reply is not an answer of that kind (the flow then re-asks with a hint). The words themselves
live in `answers.yaml` so staff can add local ways of saying things.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import yaml

from bot.dialogs.choices import CHINESE_DIGITS, ordinal, pick

WORDS_PATH = Path(__file__).with_name("answers.yaml")

_UNITS = {"十": 10, "百": 100, "千": 1000}
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[零〇一幺二两俩三四五六七八九]|[十百千]|点")
_NUMERAL = re.compile(r"[\d.零〇一幺二两俩三四五六七八九十百千万点]+")
_PUNCT = re.compile(r"[\s。!！?？,，、~～:：;；\"'“”‘’()（）]+")
_SPLIT = re.compile(r"(?:[\s,，、;；/+]|以及|还有|加上|和|跟|与|及)+")
_RANGE = re.compile(r"^(.+?)(?:到|至|-|~|～|或者|或)(.+)$")
_HALF = "半"
MAX_AMOUNT = Decimal(100_000_000)  # yuan, as /api/v1/screen allows; more is a typo, not an answer
_MONTHS = "个月"
_YEAR = "年"


@lru_cache(maxsize=1)
def words() -> dict[str, list[str]]:
    raw = yaml.safe_load(WORDS_PATH.read_text(encoding="utf-8"))
    return {name: [str(word).lower() for word in values] for name, values in raw.items()}


def clean(text: str) -> str:
    """Half-width, lower case, no spaces or punctuation, no particles at either end."""
    folded = _PUNCT.sub("", unicodedata.normalize("NFKC", text).strip().lower())
    particles = words()["particles"]
    while folded and folded[-1] in particles and len(folded) > 1:
        folded = folded[:-1]
    while folded and folded[0] in particles and len(folded) > 1:
        folded = folded[1:]
    return folded


def is_unknown(text: str) -> bool:
    """`不知道`, `跳过` and the like: the resident cannot or will not answer."""
    return clean(text) in words()["unknown"]


def looks_like_question(text: str) -> bool:
    """`有没有低保`, `要什么材料`: a question asked mid-way, not an answer."""
    said = clean(text)
    return any(marker in said for marker in words()["question_markers"])


def is_done(text: str) -> bool:
    """`没有了`, `就这些`: no more household members to add."""
    return clean(text) in words()["done"]


def parse_yes_no(text: str) -> bool | None:
    said = clean(text)
    if not said:
        return None
    no, yes = words()["no"], words()["yes"]
    if said in no:
        return False
    if said in yes:
        return True
    if any(said.startswith(word) for word in no if len(word) > 1 or not word.isascii()):
        return False
    if any(said.startswith(word) for word in yes if not word.isascii()):
        return True
    return None


# -- numbers ----------------------------------------------------------------------------------


def _below_wan(text: str, hint: int | None = None) -> Decimal | None:
    """A number under 万 in digits, Chinese numerals or a mix: 2500, 两千五, 一千二百五十, 3千, 1.5."""
    if not text:
        return None
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != text:
        return None
    total, current, last_unit, after_zero = Decimal(0), None, None, False
    decimals = False
    for token in tokens:
        if token == "点":
            if current is None or decimals:
                return None
            decimals = True
            continue
        if token in _UNITS:
            unit = _UNITS[token]
            total += (current if current is not None else Decimal(1)) * unit
            current, last_unit, after_zero = None, unit, False
            continue
        value = Decimal(token) if token[0].isdigit() else Decimal(CHINESE_DIGITS[token])
        if token in ("零", "〇") and last_unit is not None:
            after_zero = True
            continue
        if decimals and current is not None:
            current = Decimal(f"{current}.{token if token[0].isdigit() else CHINESE_DIGITS[token]}")
        elif current is not None:  # digit strings in Chinese: 一二零零
            current = current * 10 + value
        else:
            current = value
    if current is not None:
        if last_unit is not None and not after_zero and current < 10:
            total += current * last_unit // 10
        elif last_unit is None and hint is not None and current < 10:
            total += current * hint
        else:
            total += current
    return total


def parse_number(text: str) -> Decimal | None:
    """A non-negative number written any common way: 2500, 1,200, 两千五, 1.5万, 2k, 一万二."""
    said = unicodedata.normalize("NFKC", text).strip().lower().replace(",", "").replace("，", "")
    said = said.replace("k", "千").replace("w", "万")
    said = re.sub(r"(?<=\d)\s+(?=\d)", "", said)
    if not said or not _NUMERAL.fullmatch(said):
        return None
    try:
        if "万" in said:
            high, _, low = said.partition("万")
            if "万" in low:
                return None
            top = _below_wan(high) if high else Decimal(1)
            rest = _below_wan(low, hint=1000) if low else Decimal(0)
            return None if top is None or rest is None else top * 10000 + rest
        return _below_wan(said)
    except InvalidOperation:
        return None


def _strip(text: str, fillers: Sequence[str]) -> str:
    for filler in sorted(fillers, key=len, reverse=True):
        text = text.replace(filler, "")
    return text


def _amount(text: str) -> Decimal | None:
    """One amount or a range (the middle of it): 一千到两千 → 1500."""
    ranged = _RANGE.match(text)
    if ranged:
        low, high = parse_number(ranged.group(1)), parse_number(ranged.group(2))
        if low is not None and high is not None:
            return (low + high) / 2
    return parse_number(text)


def parse_money(text: str, monthly: bool = False) -> float | None:
    """Yuan. With `monthly`, a yearly amount ("一年一万二", "年收入8000") is divided by 12."""
    said = clean(text)
    vocabulary = words()
    if said in vocabulary["zero"]:
        return 0.0
    yearly = any(said.startswith(word) or said.endswith(word) for word in vocabulary["per_year"])
    core = _strip(said, [*vocabulary["per_year"], *vocabulary["amount_fillers"]])
    amount = _amount(core)
    if amount is None or amount > MAX_AMOUNT:
        return None
    if monthly and yearly:
        amount = amount / 12
    return float(round(amount, 2))


def parse_whole(text: str, low: int, high: int, none_is_zero: bool = False) -> int | None:
    """A whole number in [low, high] (ages, counts): 六十五岁, 3个人, 两套; `没有` → 0 if allowed."""
    said = clean(text)
    if none_is_zero and (said in words()["zero"] or said in words()["no"]):
        return 0
    value = _amount(_strip(said, words()["amount_fillers"]))
    if value is None or value != value.to_integral_value() or not low <= value <= high:
        return None
    return int(value)


def parse_years(text: str) -> float | None:
    """How long something has been held: 两年, 1年半, 半年, 8个月, 没有 → 0."""
    said = clean(text)
    if said in words()["zero"] or parse_yes_no(said) is False:
        return 0.0
    said = _strip(said, [w for w in words()["amount_fillers"] if w != "个"])
    if said == _HALF + _YEAR:
        return 0.5
    if said.endswith(_MONTHS):
        months = parse_number(said.removesuffix(_MONTHS))
        return None if months is None else round(float(months) / 12, 2)
    half = Decimal("0.5") if said.endswith(_YEAR + _HALF) else Decimal(0)
    core = said.removesuffix(_HALF).removesuffix(_YEAR)
    number = parse_number(core)
    if number is None or number > 100:
        return None
    return float(number + half)


# -- lists ------------------------------------------------------------------------------------


def alias_index(text: str, aliases: Sequence[Sequence[str]]) -> int | None:
    """Index of the option one of whose words is the whole reply."""
    said = clean(text)
    return next((i for i, words_ in enumerate(aliases) if said in words_), None)


def parse_choice(text: str, labels: Sequence[str], aliases: Sequence[Sequence[str]] = ()) -> int | None:
    """Index of the numbered option the reply names: its number, one of its words, or its label."""
    alias = alias_index(text, aliases)
    return alias if alias is not None else pick(text, list(labels))


def parse_multi(text: str, labels: Sequence[str], aliases: Sequence[Sequence[str]] = ()) -> list[int] | None:
    """Indices of every option named: `1 3`, `1、3`, `13`, `第一个和第三个`, or words; `没有` → [].

    `aliases[i]` are other words for option i, matched whole (e.g. 受灾 for 遭了灾).
    """
    said = clean(text)
    if said in words()["no"] or said in words()["done"]:
        return []
    folded = unicodedata.normalize("NFKC", text).strip()
    parts = [part for part in _SPLIT.split(folded) if part]
    chosen: list[int] = []
    for part in parts:
        indices = _multi_part(part, labels, aliases)
        if indices is None:
            return None
        chosen += [i for i in indices if i not in chosen]
    return sorted(chosen) if chosen else None


def _multi_part(part: str, labels: Sequence[str], aliases: Sequence[Sequence[str]]) -> list[int] | None:
    alias = alias_index(part, aliases)
    if alias is not None:
        return [alias]
    if part.isdigit() and len(part) > 1 and len(labels) < 10:
        digits = [int(ch) for ch in part]
        return [d - 1 for d in digits] if all(1 <= d <= len(labels) for d in digits) else None
    number = ordinal(part)
    if number is not None:
        return [number - 1] if 1 <= number <= len(labels) else None
    index = pick(part, list(labels))
    return None if index is None else [index]


def parse_member(text: str, relations: Mapping[str, str]) -> tuple[str, str, int | None] | None:
    """A household member as (relation id, the word used, age or None): `老伴 62岁`, `儿子12`.

    `relations` maps each word (儿子, 老伴 …) to a relation id; the longest word found wins.
    """
    said = clean(text)
    found = [word for word in relations if word and word in said]
    if not found:
        return None
    word = max(found, key=len)
    numerals = [run for run in _NUMERAL.findall(said.replace(word, " ", 1)) if run.strip(".")]
    if not numerals:
        return relations[word], word, None
    age = parse_whole(numerals[0], 0, 120) if len(numerals) == 1 else None
    return None if age is None else (relations[word], word, age)
