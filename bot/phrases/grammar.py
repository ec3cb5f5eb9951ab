"""The pattern side: parsing staff-written phrases and compiling them to expressions and keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from bot.errors import DataError
from bot.knowledge.phonetic import SYLLABLES, code
from bot.phrases import heads
from bot.phrases.heads import Head, Part
from bot.phrases.keys import EMPTY, either, every, product, sequence_keys, union, union_words
from bot.phrases.message import han_sounds
from bot.text import fold

GAP = 6  # characters `…` may stand for


class PatternError(DataError):
    """A pattern or word class cannot be compiled; the message says which and why."""



@dataclass(frozen=True, slots=True)
class _Node:
    kind: str  # lit, class, alt, seq, opt, gap, start, end
    value: str = ""
    children: tuple[_Node, ...] = ()


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.text = fold(source).replace("...", "…").replace("……", "…")
        self.pos = 0

    def fail(self, why: str) -> PatternError:
        return PatternError(f"{self.source!r}: {why}")

    def parse(self) -> _Node:
        node = self._alternatives()
        if self.pos != len(self.text):
            raise self.fail(f"unexpected {self.text[self.pos]!r}")
        return node

    def _alternatives(self) -> _Node:
        options = [self._sequence()]
        while self.pos < len(self.text) and self.text[self.pos] == "|":
            self.pos += 1
            options.append(self._sequence())
        if any(not o.children for o in options):
            raise self.fail("an empty alternative")
        return options[0] if len(options) == 1 else _Node("alt", children=tuple(options))

    def _sequence(self) -> _Node:
        items: list[_Node] = []
        while self.pos < len(self.text) and self.text[self.pos] not in "|)":
            ch = self.text[self.pos]
            self.pos += 1
            if ch == "(":
                item = self._alternatives()
                if self.pos >= len(self.text) or self.text[self.pos] != ")":
                    raise self.fail("a ( without its )")
                self.pos += 1
            elif ch == "{":
                end = self.text.find("}", self.pos)
                if end < 0:
                    raise self.fail("a { without its }")
                item = _Node("class", self.text[self.pos:end].strip())
                self.pos = end + 1
            elif ch == "…":
                item = _Node("gap")
            elif ch == "#":
                item = _Node("digits")
            elif ch == "^":
                item = _Node("start")
            elif ch == "$":
                item = _Node("end")
            elif ch == "?":
                if not items or items[-1].kind in ("opt", "gap", "start", "end"):
                    raise self.fail("? must follow a character, class or group")
                items[-1] = _Node("opt", children=(items[-1],))
                continue
            elif ch in "}" or ch.isspace() or unicodedata.category(ch)[0] in "PSZC":
                raise self.fail(f"{ch!r} is not allowed in a pattern")
            else:
                item = _Node("lit", ch)
            items.append(item)
        return _Node("seq", children=tuple(items))


@dataclass(frozen=True, slots=True)
class Compiled:
    text: str  # regular expression over Prepared.text
    sounds: str  # ... over Prepared.sounds
    min_len: int  # fewest characters (syllables) a match has
    max_len: int | None  # most characters (syllables) a match has (None: no bound, digits)
    gapless: bool
    # Every match contains one of these strings (None: cannot tell); found in one Aho-Corasick
    # pass over the message, they decide which regular expressions are worth running at all.
    keys: frozenset[str] | None
    sound_keys: frozenset[str] | None
    # ... and a character of each of these sets (every mandatory part of the pattern).
    requires: tuple[frozenset[str], ...] = ()
    sound_requires: tuple[frozenset[str], ...] = ()
    # ... and one of each of these too (the keys of other parts: {someone}…{suicidal} needs both).
    more_keys: tuple[frozenset[str], ...] = ()
    more_sound_keys: tuple[frozenset[str], ...] = ()
    # Every string a match can be, when they are few (None: a gap, digits, or too many): runs of
    # such parts make the keys (打|揍)(我|他) → 打我 打他 揍我 揍他, not a single character.
    words: frozenset[str] | None = None
    sound_words: frozenset[str] | None = None
    # Its alternatives by first character (`heads.py`), and the characters a match starts with.
    heads: tuple[Head, ...] = ()
    sound_heads: tuple[Head, ...] = ()
    first: frozenset[str] | None = None
    sound_first: frozenset[str] | None = None

    def part(self, sounds: bool) -> Part:
        if sounds:
            return Part(self.sound_heads, self.sound_first, self.min_len, self.sounds)
        return Part(self.heads, self.first, self.min_len, self.text)


@lru_cache(maxsize=8192)
def _run_codes(run: str) -> tuple[frozenset[str], ...]:
    """Sound codes for each character of a pattern's literal run: its usual reading (what a
    message's character gets) and its reading in this word (着火: zhao), so a pattern's 着火 also
    hears zhao huo and 找火. Rare readings are left out: they would make chance homophones."""
    # pypinyin takes a list from `errors` (one reading per character) though its stubs say str.
    spoken = lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: [""] * len(chars))  # type: ignore[arg-type,return-value]
    codes = []
    for ch, syllable in zip(run, spoken, strict=False):
        options = {han_sounds(ch)}
        if syllable in SYLLABLES:
            options.add(code(syllable))
        codes.append(frozenset(options))
    return tuple(codes)


def _most(lengths: Iterable[int | None], combine: Callable[[list[int]], int]) -> int | None:
    """The longest match of parts taken together (`sum`) or as alternatives (`max`); None: no bound."""
    found = list(lengths)
    bounded = [n for n in found if n is not None]
    return combine(bounded) if len(bounded) == len(found) else None


def _either(firsts: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    found: set[str] = set()
    for first in firsts:
        if first is None:
            return None
        found |= first
    return frozenset(found)


def _written(found: tuple[Head, ...], parts: list[Part]) -> str:
    """A sequence's expression: as its parts, or as the alternatives its first group was copied into."""
    return heads.factored(found) if len(found) > 1 else "".join(p.text for p in parts)


def _sound_class(codes: frozenset[str]) -> str:
    return re.escape(next(iter(codes))) if len(codes) == 1 else "[" + "".join(sorted(codes)) + "]"


class Grammar:
    """Word classes, compiled on demand; patterns that name a class expand to its words."""

    def __init__(self, classes: Mapping[str, Iterable[str]]) -> None:
        self.words = {name: tuple(str(w) for w in words) for name, words in classes.items()}
        self._done: dict[str, Compiled] = {}
        self._busy: set[str] = set()
        self._patterns: dict[str, Compiled] = {}

    def compile(self, source: str) -> Compiled:
        source = str(source)
        if source not in self._patterns:
            self._patterns[source] = self._node(_Parser(source).parse(), source)
        return self._patterns[source]

    def _class(self, name: str, source: str) -> Compiled:
        if name in self._done:
            return self._done[name]
        if name not in self.words:
            raise PatternError(f"{source!r}: unknown word class {{{name}}}")
        if name in self._busy:
            raise PatternError(f"word class {{{name}}} uses itself")
        if not self.words[name]:
            raise PatternError(f"word class {{{name}}} is empty")
        self._busy.add(name)
        try:
            parts = [self.compile(word) for word in self.words[name]]
        finally:
            self._busy.discard(name)
        compiled = self._alt(sorted(parts, key=lambda p: -p.min_len))
        self._done[name] = compiled
        return compiled

    @staticmethod
    def _alt(parts: list[Compiled]) -> Compiled:
        text, sounds = (heads.alternation([p.part(s) for p in parts]) for s in (False, True))
        return Compiled(heads.factored(text), heads.factored(sounds),
                         min(p.min_len for p in parts), _most((p.max_len for p in parts), max),
                         all(p.gapless for p in parts),
                         union(p.keys for p in parts), union(p.sound_keys for p in parts),
                         requires=either(p.requires for p in parts),
                         sound_requires=either(p.sound_requires for p in parts),
                         words=union_words(p.words for p in parts),
                         sound_words=union_words(p.sound_words for p in parts),
                         heads=text, sound_heads=sounds, first=_either(p.first for p in parts),
                         sound_first=_either(p.sound_first for p in parts))

    def _node(self, node: _Node, source: str) -> Compiled:
        kind = node.kind
        if kind == "lit":
            return self._literal(node.value, _run_codes(node.value)[0])
        if kind == "class":
            return self._class(node.value, source)
        if kind == "alt":
            return self._alt([self._node(c, source) for c in node.children])
        if kind == "opt":
            inner = self._node(node.children[0], source)
            text, sounds = f"(?:{inner.text})?", f"(?:{inner.sounds})?"
            return Compiled(text, sounds, 0, inner.max_len, inner.gapless, None, None,
                            words=union_words((inner.words, EMPTY)),
                            sound_words=union_words((inner.sound_words, EMPTY)),
                            heads=heads.optional(inner.part(False), text),
                            sound_heads=heads.optional(inner.part(True), sounds), first=inner.first,
                            sound_first=inner.sound_first)
        if kind == "gap":  # the only capturing group: hits report where their gaps were
            gap = f"([^\\n]{{0,{GAP}}}?)"
            return Compiled(gap, gap, 0, GAP, False, None, None, heads=heads.whole(None, gap),
                            sound_heads=heads.whole(None, gap))
        if kind == "digits":
            digits = frozenset("0123456789")
            return Compiled("[0-9]+", "[0-9]+", 1, None, True, digits, digits, requires=(digits,),
                             sound_requires=(digits,), heads=heads.whole(digits, "[0-9]+"),
                             sound_heads=heads.whole(digits, "[0-9]+"), first=digits, sound_first=digits)
        if kind in ("start", "end"):
            edge = "(?<=\\n)" if kind == "start" else "(?=\\n)"
            return Compiled(edge, edge, 0, 0, True, None, None, words=EMPTY, sound_words=EMPTY,
                            heads=heads.whole(None, edge), sound_heads=heads.whole(None, edge),
                            first=frozenset(), sound_first=frozenset())
        parts = self._sequence(node.children, source)
        text_parts, sound_parts = (heads.guarded([p.part(s) for p in parts]) for s in (False, True))
        text_heads, sound_heads = heads.sequence(text_parts), heads.sequence(sound_parts)
        keys, sound_keys, more, sound_more = sequence_keys(parts)
        return Compiled(_written(text_heads, text_parts), _written(sound_heads, sound_parts),
                         sum(p.min_len for p in parts), _most((p.max_len for p in parts), sum),
                         all(p.gapless for p in parts), keys, sound_keys, more_keys=more,
                         more_sound_keys=sound_more,
                         requires=every(p.requires for p in parts),
                         sound_requires=every(p.sound_requires for p in parts),
                         words=product(p.words for p in parts),
                         sound_words=product(p.sound_words for p in parts),
                         heads=text_heads, sound_heads=sound_heads,
                         first=heads.first_of(text_parts), sound_first=heads.first_of(sound_parts))


    @staticmethod
    def _literal(ch: str, codes: frozenset[str]) -> Compiled:
        sounds = _sound_class(codes)
        return Compiled(re.escape(ch), sounds, 1, 1, True, frozenset(ch), codes,
                         requires=(frozenset(ch),), sound_requires=(codes,), words=frozenset(ch),
                         sound_words=codes, heads=heads.character(ch),
                         sound_heads=heads.character(next(iter(codes))) if len(codes) == 1
                         else heads.whole(codes, sounds), first=frozenset(ch), sound_first=codes)

    def _sequence(self, children: tuple[_Node, ...], source: str) -> list[Compiled]:
        """Children compiled in order; runs of characters are read as words (for their sounds)."""
        parts: list[Compiled] = []
        index = 0
        while index < len(children):
            end = index
            while end < len(children) and children[end].kind == "lit":
                end += 1
            if end == index:
                parts.append(self._node(children[index], source))
                index += 1
                continue
            run = "".join(c.value for c in children[index:end])
            parts.extend(self._literal(ch, codes) for ch, codes in zip(run, _run_codes(run), strict=True))
            index = end
        return parts
