"""Alternations grouped by first character and search windows change no match.

The oracle writes each pattern the plain way (every alternation as written, searched over the
whole message) from the same parse; random patterns over a small alphabet, with classes,
optional parts, gaps and clause edges, must find the same spans and gaps both ways."""

from __future__ import annotations

import random
import re

from bot.phrases import GAP, Grammar, PhraseSet, prepare
from bot.phrases.grammar import _Node, _Parser
from bot.phrases.heads import Head, factored


def test_alternatives_are_grouped_by_first_character_in_their_order() -> None:
    heads = [Head(frozenset("自"), "自", "杀"), Head(frozenset("轻"), "轻", "生"),
             Head(frozenset("自"), "自", "尽")]
    assert factored(heads) == "(?:自(?:杀|尽)|轻生)"


def test_an_alternative_without_one_first_character_keeps_its_place() -> None:
    heads = [Head(frozenset("自"), "自", "杀"), Head(frozenset("自轻"), None, "(?:自|轻)X"),
             Head(frozenset("自"), "自", "尽"), Head(frozenset("轻"), "轻", "生")]
    assert factored(heads) == "(?:自杀|(?:自|轻)X|自尽|轻生)"
    maybe_nothing = Head(None, None, "(?:b)?")
    assert factored([Head(frozenset("a"), "a", "1"), maybe_nothing, Head(frozenset("a"), "a", "2")]
                    ) == "(?:a1|(?:b)?|a2)"


HAN = str.maketrans("abc", "甲乙丙")  # characters, not letters: letters could read as pinyin
CLASSES = {"k": ["甲乙", "甲", "(乙|丙)甲?", "丙甲"], "m": ["{k}丙", "乙", "甲?丙"]}


def _plain(node: _Node, grammar: Grammar) -> str:
    """The pattern as an expression written the plain way (the oracle)."""
    kind = node.kind
    if kind == "lit":
        return re.escape(node.value)
    if kind == "class":  # longest words first, as the grammar orders them
        words = sorted(grammar.words[node.value], key=lambda w: -grammar.compile(w).min_len)
        return "(?:" + "|".join(_plain(_Parser(w).parse(), grammar) for w in words) + ")"
    if kind == "alt":
        return "(?:" + "|".join(_plain(c, grammar) for c in node.children) + ")"
    if kind == "opt":
        return f"(?:{_plain(node.children[0], grammar)})?"
    if kind == "gap":
        return f"([^\\n]{{0,{GAP}}}?)"
    if kind == "digits":
        return "[0-9]+"
    if kind in ("start", "end"):
        return "(?<=\\n)" if kind == "start" else "(?=\\n)"
    return "".join(_plain(c, grammar) for c in node.children)


def _pattern(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.35:
            parts.append(rng.choice("abc"))
        elif roll < 0.55:
            parts.append("{" + rng.choice("km") + "}")
        elif roll < 0.7 and depth < 2:
            parts.append("(" + "|".join(_pattern(rng, depth + 1) for _ in range(rng.randint(2, 3))) + ")")
        elif roll < 0.8 and parts and parts[-1][-1] not in "?…":
            parts.append("?")
        elif roll < 0.9 and parts and parts[-1] != "…":
            parts.append("…")
        else:
            parts.append(rng.choice("abc") * 2)
    if rng.random() < 0.1:
        parts.insert(0, "^")
    return ("".join(parts).lstrip("?…") or "a").translate(HAN)


def test_random_patterns_match_as_written_plainly() -> None:
    rng = random.Random(9)
    grammar = Grammar(CLASSES)
    texts = ["".join(rng.choice("abc,") for _ in range(rng.randint(1, 70))).translate(HAN)
             for _ in range(120)]
    checked = 0
    for _ in range(300):
        source = _pattern(rng)
        if grammar.compile(source).min_len < 1:
            continue
        plain = re.compile(_plain(_Parser(source).parse(), grammar))
        phrases = PhraseSet({"g": [source]}, grammar)
        for text in texts:
            message = prepare(text)
            want = [(m.start(), m.end(), tuple(m.span(g) for g in range(1, plain.groups + 1)
                                              if m.start(g) < m.end(g)))
                    for m in plain.finditer(message.text) if m.end() > m.start()]
            got = [(h.start, h.end, h.gaps) for h in phrases.hits(message) if not h.sounds]
            assert got == want, (source, text)
            checked += bool(want)
    assert checked > 500  # most patterns meet texts they match
