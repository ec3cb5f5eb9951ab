"""Normalisation: bring a resident's wording and the entries' wording to one comparable form.

Both sides go through the same steps, so the matcher only ever compares like with like:
full/half width and case (NFKC), traditional → simplified (OpenCC), punctuation and spacing,
voice fillers, Yunnan colloquialisms and domain synonyms (from the lexicon files). The result has
two forms: `text` (characters) and `sounds` (merged pinyin, see phonetic.py), and the lexicon is
applied to the sounds as well, so a homophone of a synonym (吃底宝) or its pinyin is rewritten too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ahocorasick

from bot.knowledge.lexicon import Lexicon
from bot.knowledge.phonetic import sounds
from bot.text import fold

_HAN = r"[\u3400-\u9fff\uf900-\ufaff]"
_SPACE_NEAR_HAN = re.compile(rf"\s+(?={_HAN})|(?<={_HAN})\s+")
_SPACES = re.compile(r"\s+")
_HAN_CHAR = re.compile(_HAN)
# Sound rewrites need this many syllables: two-syllable homophones are common in written Chinese
# (照在 would become 受灾 through its variant 遭灾), but typed pinyin has no characters to go by.
MIN_SYLLABLES_WRITTEN = 3
MIN_SYLLABLES_PINYIN = 2


# A message this long is also read clause by clause, so a question at the end of a story counts.
LONG_MESSAGE = 20
MIN_CLAUSE = 8
_MARK = "\x00"  # a clause break inside the normaliser (fold removes real control characters)
_BREAKS = re.compile(rf"(?:[^\w\s]|_|\s(?={_HAN})|(?<={_HAN})\s)+")
_LATIN_SPACES = re.compile(r"\s+")
# Pinyin typed with tone marks (wǒ jiā) reads like pinyin without them; ü as the v pinyin keyboards use.
_MARKED = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "v": "ǖǘǚǜü"}
_TONES = str.maketrans({c: plain for plain, marked in _MARKED.items() for c in marked})


@dataclass(frozen=True, slots=True)
class Key:
    text: str
    sounds: str
    clauses: tuple[str, ...] = ()  # sound keys of a long message's clauses (empty for short ones)


def _automaton(words: dict[str, str]) -> ahocorasick.Automaton | None:
    """An automaton finding the forms of `words` (form -> word), each giving (its length, its word)."""
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for form, word in words.items():
        automaton.add_word(form, (len(form), word))
    automaton.make_automaton()
    return automaton


class _Rewriter:
    """Replace every listed word by its target in one left-to-right, longest-match-first pass.

    Canonical terms map to themselves, so 流浪乞讨 is not re-expanded through its variant 流浪.
    One Aho-Corasick pass (pyahocorasick) finds every listed word in the text; of those, the
    leftmost, then the longest there, is replaced and the pass goes on after it: what a regular
    expression of the words, longest first, does with `sub`, at a third of its cost with
    hundreds of words (every key of every phrasing passes six of these at each build).
    """

    def __init__(self, mapping: dict[str, str]) -> None:
        self._mapping = {k: v for k, v in mapping.items() if k}
        self._automaton = _automaton(self._mapping)

    def __call__(self, text: str) -> str:
        if self._automaton is None:
            return text
        longest: dict[int, tuple[int, str]] = {}
        for end, (length, target) in self._automaton.iter(text):
            start = end - length + 1
            if length > longest.get(start, (0, ""))[0]:
                longest[start] = (length, target)
        if not longest:
            return text
        out: list[str] = []
        done = 0
        for start in sorted(longest):
            if start >= done:
                length, target = longest[start]
                out += (text[done:start], target)
                done = start + length
        out.append(text[done:])
        return "".join(out)


def _strip_punctuation(text: str) -> str:
    kept = [" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text]
    return _SPACES.sub(" ", _SPACE_NEAR_HAN.sub("", "".join(kept))).strip()


def surface(raw: str) -> str:
    """Width, case, script and punctuation only (no lexicon): used to compare questions in `check`."""
    return _strip_punctuation(fold(raw))


class _Cues:
    """Find which of a word list a key mentions, by characters or (two syllables and up) by sound.

    At each position only the longest listed word starting there counts (a listed word that only
    begins a longer listed one there does not). One Aho-Corasick pass (pyahocorasick) per form.
    """

    def __init__(self, words: list[tuple[str, Key]]) -> None:
        self._text = _automaton({k.text: word for word, k in words if k.text})
        self._sounds = _automaton(
            {k.sounds: word for word, k in words if len(k.sounds) >= MIN_SYLLABLES_PINYIN}
        )

    @staticmethod
    def _longest(automaton: ahocorasick.Automaton | None, text: str) -> list[str]:
        if automaton is None or not text:
            return []
        best: dict[int, tuple[int, str]] = {}
        for end, (length, word) in automaton.iter(text):
            start = end - length + 1
            if length > best.get(start, (0, ""))[0]:
                best[start] = (length, word)
        return [word for _, word in best.values()]

    def found(self, key: Key) -> frozenset[str]:
        return frozenset(self._longest(self._text, key.text) + self._longest(self._sounds, key.sounds))


class Normalizer:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._steps = (
            _Rewriter(dict.fromkeys(lexicon.fillers, "")),
            _Rewriter(lexicon.colloquial),
            _Rewriter({**{t: t for t in lexicon.synonyms.values()}, **lexicon.synonyms}),
        )
        self._sound_steps = {
            n: tuple(self._sound_rewriter(step, n) for step in self._steps)
            for n in (MIN_SYLLABLES_WRITTEN, MIN_SYLLABLES_PINYIN)
        }
        self._in_scope = self._cues(lexicon.in_scope)
        self._out_of_scope = self._cues(lexicon.out_of_scope)
        self._terms = self._cues(tuple(dict.fromkeys([*lexicon.synonyms.values(), *lexicon.in_scope])))

    def _cues(self, words: tuple[str, ...]) -> _Cues:
        return _Cues([(word, self.key(word)) for word in words])

    @staticmethod
    def _sound_rewriter(step: _Rewriter, min_syllables: int) -> _Rewriter:
        """The same rewrite on sound keys, for words long enough not to be chance homophones."""
        mapping: dict[str, str] = {}
        for word, target in step._mapping.items():
            key = sounds(surface(word))
            if len(key) >= min_syllables:
                mapping.setdefault(key, sounds(surface(target)))
        return _Rewriter(mapping)

    @staticmethod
    def _min_syllables(text: str) -> int:
        return MIN_SYLLABLES_WRITTEN if _HAN_CHAR.search(text) else MIN_SYLLABLES_PINYIN

    def text(self, raw: str) -> str:
        return self.key(raw).text

    def key(self, raw: str) -> Key:
        """Text and sounds in one pass; a long message also keeps its clauses' sounds.

        Clause breaks (punctuation, and spaces next to Chinese) become a marker that no lexicon
        word contains, so rewriting never joins two clauses and the clauses fall out at the end.
        """
        marked = _BREAKS.sub(_MARK, _LATIN_SPACES.sub(" ", fold(raw).translate(_TONES)))
        for step in self._steps:
            marked = step(marked)
        parts = self._merge([p.strip() for p in marked.split(_MARK)])
        text = _SPACE_NEAR_HAN.sub("", " ".join(parts)).strip()
        spoken = _MARK.join(sounds(p) for p in parts)
        for step in self._sound_steps[self._min_syllables(text)]:
            spoken = step(spoken)
        clauses = tuple(c.replace(" ", "") for c in spoken.split(_MARK))
        sound_key = "".join(clauses)
        return Key(text=text, sounds=sound_key, clauses=clauses if len(text) >= LONG_MESSAGE else ())

    @staticmethod
    def _merge(parts: list[str]) -> list[str]:
        """Drop empty pieces and join pieces shorter than a clause to the next one."""
        merged: list[str] = []
        pending = ""
        for part in parts:
            pending += part
            if len(pending) >= MIN_CLAUSE:
                merged.append(pending)
                pending = ""
        if pending:
            if merged and len(pending) < MIN_CLAUSE:
                merged[-1] += pending
            else:
                merged.append(pending)
        return merged

    def terms(self, key: Key) -> frozenset[str]:
        """The domain terms (synonym targets and in-scope cues) a text mentions."""
        return self._terms.found(key)

    def in_scope(self, key: Key) -> bool:
        return bool(self._in_scope.found(key))

    def out_of_scope(self, key: Key) -> bool:
        return bool(self._out_of_scope.found(key))
