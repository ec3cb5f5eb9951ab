"""Phrase patterns: the small language of the word lists staff edit (danger cues, intents, referrals).

Staff write phrases the way residents speak, not regular expressions. A pattern is matched
against a message after `bot.text.fold` (so traditional and full-width spellings are heard too),
with spaces and punctuation removed and clause breaks (，。！？…) kept:

    喝农药            the characters themselves
    {kin}             any word of the word class `kin` (classes may use other classes)
    (摔|跌)倒         alternatives;  ?  after a character, class or group makes it optional: 喝了?药
    …  or  ...        up to GAP characters in between, inside one clause: {kin}…打我
    #                 a number written in digits: #天没吃
    ^  $              the start / the end of a clause

Every pattern is also compiled over sound keys (merged pinyin, `bot.knowledge.phonetic`), so
voice input's homophones (不想火了 for 不想活了, 龙药 for 农药) and typed pinyin (bu xiang huo le)
match too. Short sound matches are chance homophones in written Chinese (跳河 / 调和), so in
character text a sound match needs at least SOUND_MIN syllables and no gap; in pinyin input,
which has no characters to go by, two syllables are enough.

Matching must stay cheap (the safety check runs on every message): each pattern knows strings
one of which any match must contain (喝农药 → 喝农药; {kin}…打我 → 打我), one Aho-Corasick pass
(pyahocorasick) finds which of them a message has, and only those patterns' expressions run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
from pypinyin import Style, lazy_pinyin

from bot.knowledge.phonetic import SYLLABLES, code, segment_pinyin
from bot.text import fold

GAP = 6  # characters `…` may stand for
SOUND_MIN = 3  # syllables a sound match needs in character text
PINYIN_MIN = 2  # ... and in pinyin input
_CLAUSE = re.compile(r"\s*[,.!?;:，。！？；：、…~～\n]+\s*")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"(?:[a-zv]+[1-5]?)+")
_TONE = re.compile(r"(?<=[a-zv])[1-5]")
_STUTTER = re.compile(r"(?<![a-z0-9])(\S{1,4})(?:\s+\1)+(?![a-z0-9])")  # voice input repeats words: 那个 那个, 都 都
_HESITATION = re.compile("[嗯呃]+")
_OTHER = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffa-z0-9\n ]+")  # punctuation, symbols, emoji: dropped
_ACCENTED = re.compile(r"[\u00c0-\u024f\u0300-\u036f]")  # pinyin with tone marks (bù xiǎng)


class PatternError(ValueError):
    """A pattern or word class cannot be compiled; the message says which and why."""


# -- the message side ------------------------------------------------------------------------------


class _HanCodes(dict[int, str]):
    """str.translate table: a Han character → the code of its (toneless, merged) syllable."""

    def __missing__(self, point: int) -> str:
        char = chr(point)
        value = char
        if _HAN.match(char):
            syllables = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
            if syllables and syllables[0] in SYLLABLES:
                value = code(syllables[0])
        self[point] = value
        return value


_CODES = _HanCodes()


def han_sounds(text: str) -> str:
    """Sound key of character text, one code per Han character (positions stay aligned)."""
    return text.translate(_CODES)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A message in the two forms patterns are matched against.

    `text`: folded, no spaces or punctuation, clauses separated by `\\n` (and framed by it).
    `sounds`: the same with every Han character and typed pinyin syllable as a sound code; it is
    aligned character for character with `text` unless `pinyin` is set.
    """

    text: str
    sounds: str
    pinyin: bool

    @property
    def chars(self) -> frozenset[str]:
        return frozenset(self.text)


def _plain_latin(piece: str) -> str:
    """Pinyin typed with tone marks (bù xiǎng) or ü, without them."""
    decomposed = unicodedata.normalize("NFD", piece.replace("ü", "v"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _latin_sounds(word: str) -> str | None:
    letters = _TONE.sub("", word)
    syllables = segment_pinyin(letters)
    return "".join(code(s) for s in syllables) if syllables else None


@lru_cache(maxsize=2048)
def prepare(raw: str) -> Prepared:
    # 著 stays 著 after OpenCC where it can be 著名; patterns mean 着 (躺著不動).
    folded = fold(raw).replace("著", "着")
    if " " in folded:
        folded = _STUTTER.sub(r"\1", folded)
    if not folded.isascii():
        folded = _plain_latin(folded) if _ACCENTED.search(folded) else folded
    plain = _OTHER.sub("", _CLAUSE.sub("\n", _HESITATION.sub(" ", folded)))
    clauses = [c.split() for c in plain.split("\n")]
    clauses = [words for words in clauses if words]
    text = "\n" + "\n".join("".join(words) for words in clauses) + "\n"
    latin = {word: _latin_sounds(word) for words in clauses for word in words if _LATIN_WORD.fullmatch(word)}
    if sum(len(s) for s in latin.values() if s) < PINYIN_MIN:  # keep both forms aligned
        return Prepared(text, han_sounds(text), False)
    sounds = "\n".join("".join(latin.get(w) or han_sounds(w) for w in words) for words in clauses)
    return Prepared(text, "\n" + sounds + "\n", True)


# -- the pattern side ----------------------------------------------------------------------------


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
class _Compiled:
    text: str  # regular expression over Prepared.text
    sounds: str  # ... over Prepared.sounds
    min_len: int  # fewest characters (syllables) a match has
    gapless: bool
    # Every match contains one of these strings (None: cannot tell); found in one Aho-Corasick
    # pass over the message, they decide which regular expressions are worth running at all.
    keys: frozenset[str] | None
    sound_keys: frozenset[str] | None
    lit: bool = False  # a single character (runs of them make a word key)
    # ... and a character of each of these sets (every mandatory part of the pattern).
    requires: tuple[frozenset[str], ...] = ()
    sound_requires: tuple[frozenset[str], ...] = ()


@lru_cache(maxsize=8192)
def _run_codes(run: str) -> tuple[frozenset[str], ...]:
    """Sound codes for each character of a pattern's literal run: its usual reading (what a
    message's character gets) and its reading in this word (着火: zhao), so a pattern's 着火 also
    hears zhao huo and 找火. Rare readings are left out: they would make chance homophones."""
    spoken = lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: [""] * len(chars))
    codes = []
    for ch, syllable in zip(run, spoken, strict=False):
        options = {han_sounds(ch)}
        if syllable in SYLLABLES:
            options.add(code(syllable))
        codes.append(frozenset(options))
    return tuple(codes)


def _sound_class(codes: frozenset[str]) -> str:
    return re.escape(next(iter(codes))) if len(codes) == 1 else "[" + "".join(sorted(codes)) + "]"


class Grammar:
    """Word classes, compiled on demand; patterns that name a class expand to its words."""

    def __init__(self, classes: Mapping[str, Iterable[str]]) -> None:
        self.words = {name: tuple(str(w) for w in words) for name, words in classes.items()}
        self._done: dict[str, _Compiled] = {}
        self._busy: set[str] = set()
        self._patterns: dict[str, _Compiled] = {}

    def compile(self, source: str) -> _Compiled:
        source = str(source)
        if source not in self._patterns:
            self._patterns[source] = self._node(_Parser(source).parse(), source)
        return self._patterns[source]

    def _class(self, name: str, source: str) -> _Compiled:
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
    def _alt(parts: list[_Compiled]) -> _Compiled:
        return _Compiled("(?:" + "|".join(p.text for p in parts) + ")",
                         "(?:" + "|".join(p.sounds for p in parts) + ")",
                         min(p.min_len for p in parts), all(p.gapless for p in parts),
                         _union(p.keys for p in parts), _union(p.sound_keys for p in parts),
                         requires=_either(p.requires for p in parts),
                         sound_requires=_either(p.sound_requires for p in parts))

    def _node(self, node: _Node, source: str) -> _Compiled:
        kind = node.kind
        if kind == "lit":
            return self._literal(node.value, _run_codes(node.value)[0])
        if kind == "class":
            return self._class(node.value, source)
        if kind == "alt":
            return self._alt([self._node(c, source) for c in node.children])
        if kind == "opt":
            inner = self._node(node.children[0], source)
            return _Compiled(f"(?:{inner.text})?", f"(?:{inner.sounds})?", 0, inner.gapless, None, None)
        if kind == "gap":  # the only capturing group: hits report where their gaps were
            gap = f"([^\\n]{{0,{GAP}}}?)"
            return _Compiled(gap, gap, 0, False, None, None)
        if kind == "digits":
            digits = frozenset("0123456789")
            return _Compiled("[0-9]+", "[0-9]+", 1, True, digits, digits, requires=(digits,),
                             sound_requires=(digits,))
        if kind in ("start", "end"):
            edge = "(?<=\\n)" if kind == "start" else "(?=\\n)"
            return _Compiled(edge, edge, 0, True, None, None)
        parts = self._sequence(node.children, source)
        return _Compiled("".join(p.text for p in parts), "".join(p.sounds for p in parts),
                         sum(p.min_len for p in parts), all(p.gapless for p in parts), *_sequence_keys(parts),
                         requires=_all(p.requires for p in parts), sound_requires=_all(p.sound_requires for p in parts))


    @staticmethod
    def _literal(ch: str, codes: frozenset[str]) -> _Compiled:
        return _Compiled(re.escape(ch), _sound_class(codes), 1, True, frozenset(ch), codes, lit=True,
                         requires=(frozenset(ch),), sound_requires=(codes,))

    def _sequence(self, children: tuple[_Node, ...], source: str) -> list[_Compiled]:
        """Children compiled in order; runs of characters are read as words (for their sounds)."""
        parts: list[_Compiled] = []
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


def _either(options: Iterable[tuple[frozenset[str], ...]]) -> tuple[frozenset[str], ...]:
    """What an alternation requires: a character of some requirement of each alternative."""
    chosen = []
    for requires in options:
        if not requires:
            return ()
        chosen.append(min(requires, key=len))
    return (frozenset().union(*chosen),)


def _all(options: Iterable[tuple[frozenset[str], ...]]) -> tuple[frozenset[str], ...]:
    return tuple(dict.fromkeys(req for requires in options for req in requires))


MAX_KEYS = 64  # sound keys of a word with several polyphones multiply; beyond this, use a part


def _union(options: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    found: set[str] = set()
    for keys in options:
        if keys is None:
            return None
        found |= keys
    return frozenset(found)


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective key set: the longest shortest key, then the fewest keys."""
    usable = [o for o in options if o and len(o) <= 4 * MAX_KEYS]
    return max(usable, key=lambda keys: (min(map(len, keys)), -len(keys))) if usable else None


def _sequence_keys(parts: list[_Compiled]) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    text_options: list[frozenset[str]] = []
    sound_options: list[frozenset[str]] = []
    run: list[_Compiled] = []

    def close_run() -> None:
        if run:
            text_options.append(frozenset({"".join(next(iter(p.keys or ())) for p in run)}))
            combos = [""]
            for part in run:
                combos = [c + k for c in combos for k in sorted(part.sound_keys or ())][: MAX_KEYS + 1]
            if len(combos) <= MAX_KEYS:
                sound_options.append(frozenset(combos))
            run.clear()

    for part in parts:
        if part.lit:
            run.append(part)
            continue
        close_run()
        if part.min_len > 0 and part.keys is not None:
            text_options.append(part.keys)
        if part.min_len > 0 and part.sound_keys is not None:
            sound_options.append(part.sound_keys)
    close_run()
    return _best(text_options), _best(sound_options)


# -- matching ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    group: str  # the name the pattern was listed under (a category, an intent, a modifier)
    pattern: str  # the pattern as staff wrote it
    start: int
    end: int
    sounds: bool  # matched on Prepared.sounds (else on Prepared.text)
    gaps: tuple[tuple[int, int], ...] = ()  # where the pattern's … matched

    def in_gap(self, start: int, end: int) -> bool:
        return any(low <= start and end <= high for low, high in self.gaps)


@dataclass(slots=True)
class _Entry:
    group: str
    source: str
    compiled: _Compiled
    sound_ok_in_han: bool  # long enough (and without gaps) to be matched by sound in character text
    _text: re.Pattern[str] | None = None
    _sounds: re.Pattern[str] | None = None

    # Compiled on first use: most patterns are never tried in a given process's first minutes,
    # and compiling hundreds of alternations up front would slow every start and reload.
    @property
    def text(self) -> re.Pattern[str]:
        if self._text is None:
            self._text = re.compile(self.compiled.text)
        return self._text

    @property
    def sounds(self) -> re.Pattern[str]:
        if self._sounds is None:
            self._sounds = re.compile(self.compiled.sounds)
        return self._sounds


class PhraseSet:
    """Patterns listed under group names, matched together against prepared messages."""

    KINDS = ("text", "han", "pinyin")  # characters; sounds in character text; sounds in pinyin input

    def __init__(self, groups: Mapping[str, Iterable[str]], grammar: Grammar, sound_min: int = SOUND_MIN) -> None:
        """`sound_min`: the syllables a gapless pattern needs to be heard by sound in character text
        (short command phrases have many chance homophones: 明天天气 sounds like 明天填)."""
        self.entries: list[_Entry] = []
        keyed: dict[str, dict[str, list[int]]] = {kind: {} for kind in self.KINDS}
        self._always: dict[str, list[int]] = {kind: [] for kind in self.KINDS}
        for group, patterns in groups.items():
            for source in patterns:
                compiled = grammar.compile(str(source))
                index = len(self.entries)
                entry = _Entry(group, str(source), compiled,
                               compiled.gapless and compiled.min_len >= sound_min)
                self.entries.append(entry)
                kinds = [("text", compiled.keys), ("pinyin", compiled.sound_keys)]
                if entry.sound_ok_in_han:
                    kinds.append(("han", compiled.sound_keys))
                for kind, keys in kinds:
                    if keys is None:
                        self._always[kind].append(index)
                    for key in keys or ():
                        keyed[kind].setdefault(key, []).append(index)
        self._automata = {kind: _automaton(table) for kind, table in keyed.items()}
        self._requires = {"text": [e.compiled.requires for e in self.entries],
                          "han": [e.compiled.sound_requires for e in self.entries],
                          "pinyin": [e.compiled.sound_requires for e in self.entries]}

    def _candidates(self, kind: str, text: str) -> list[int]:
        automaton = self._automata[kind]
        found = set(self._always[kind])
        if automaton is not None:
            for _, indices in automaton.iter(text):
                found.update(indices)
        if len(found) < 2:
            return list(found)
        chars = frozenset(text)
        requires = self._requires[kind]
        return sorted(i for i in found if not any(map(chars.isdisjoint, requires[i])))

    def hits(self, message: Prepared) -> list[Hit]:
        """Every occurrence of every pattern in the message, by characters and by sound."""
        if message.pinyin:
            return self._pass("pinyin", message.sounds, True, set())
        matched: set[int] = set()
        found = self._pass("text", message.text, False, matched)
        # A pattern already found by its characters: its sound would only find it again.
        return found + self._pass("han", message.sounds, True, matched)

    def _pass(self, kind: str, text: str, sounds: bool, matched: set[int]) -> list[Hit]:
        found: list[Hit] = []
        for i in self._candidates(kind, text):
            if i in matched:
                continue
            entry = self.entries[i]
            hits = _search(entry, entry.sounds if sounds else entry.text, text, sounds)
            if hits:
                matched.add(i)
                found.extend(hits)
        return found


def _automaton(table: dict[str, list[int]]) -> ahocorasick.Automaton | None:
    if not table:
        return None
    automaton = ahocorasick.Automaton()
    for key, indices in table.items():
        automaton.add_word(key, tuple(indices))
    automaton.make_automaton()
    return automaton


def _search(entry: _Entry, pattern: re.Pattern[str], text: str, sounds: bool) -> list[Hit]:
    return [Hit(entry.group, entry.source, m.start(), m.end(), sounds,
                tuple(m.span(g) for g in range(1, pattern.groups + 1) if m.start(g) < m.end(g)))
            for m in pattern.finditer(text) if m.end() > m.start()]
