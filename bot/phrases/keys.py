"""Keys: strings one of which every match of a pattern contains, found by one Aho-Corasick pass.

The more selective a pattern's keys, the fewer of its regular expressions run on a message. A run
of parts whose every possible string is known (characters, alternatives of words, optional parts)
gives the run's strings as keys — (打|揍)(了)?(我|他) gives 打我 打了我 … — as long as they stay few;
otherwise a part's own keys serve. `requires` (a character of each mandatory part) filters further.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.phrases.grammar import Compiled


def either(options: Iterable[tuple[frozenset[str], ...]]) -> tuple[frozenset[str], ...]:
    """What an alternation requires: a character of some requirement of each alternative."""
    chosen = []
    for requires in options:
        if not requires:
            return ()
        chosen.append(min(requires, key=len))
    return (frozenset().union(*chosen),)


def every(options: Iterable[tuple[frozenset[str], ...]]) -> tuple[frozenset[str], ...]:
    return tuple(dict.fromkeys(req for requires in options for req in requires))


MAX_KEYS = 64  # sound keys of a word with several polyphones multiply; beyond this, use a part


def union(options: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    found: set[str] = set()
    for keys in options:
        if keys is None:
            return None
        found |= keys
    return frozenset(found)


def best(options: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective key set: the longest shortest key, then the fewest keys."""
    usable = [o for o in options if o and len(o) <= MAX_OPTION]
    return max(usable, key=lambda keys: (min(map(len, keys)), -len(keys))) if usable else None


EMPTY = frozenset({""})
MAX_WORDS = 4 * MAX_KEYS
MAX_OPTION = 16 * MAX_KEYS  # keys of a class: the keys of all its words


def union_words(options: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    found = union(options)
    return found if found is not None and len(found) <= MAX_WORDS else None


def product(options: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    found = EMPTY
    for words in options:
        if words is None or len(found) * len(words) > MAX_WORDS:
            return None
        found = frozenset(a + b for a in found for b in words)
    return found


def run_keys(run: list[frozenset[str]]) -> list[frozenset[str]]:
    """Keys of a run of parts with known words: their products, as long as they stay few (a run
    whose product would grow too large is split); a product that can be empty is no key."""
    found = []
    combos = EMPTY
    for words in run:
        if len(combos) * len(words) > MAX_KEYS and combos != EMPTY:
            found.append(combos)
            combos = EMPTY
        combos = frozenset(a + b for a in combos for b in words)
    found.append(combos)
    return [keys for keys in found if "" not in keys]


MAX_MORE = 2  # key sets of other parts a pattern also needs found before its expression runs

KeySet = frozenset[str]
Keys = tuple[KeySet | None, KeySet | None, tuple[KeySet, ...], tuple[KeySet, ...]]


def others(options: list[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """The next most selective key sets after `best`: every match holds one key of each as well."""
    chosen = best(options)
    usable = [o for o in options if o and len(o) <= MAX_OPTION and o != chosen]
    return tuple(sorted(usable, key=lambda keys: (-min(map(len, keys)), len(keys)))[:MAX_MORE])


def sequence_keys(parts: list[Compiled]) -> Keys:
    """Keys of a sequence (characters, sounds), and of other mandatory parts (`others`)."""
    text_options: list[frozenset[str]] = []
    sound_options: list[frozenset[str]] = []
    run: list[Compiled] = []

    def close_run() -> None:
        if run:
            text_options.extend(run_keys([p.words for p in run if p.words is not None]))
            sound_options.extend(run_keys([p.sound_words for p in run if p.sound_words is not None]))
            run.clear()

    for part in parts:
        if part.words is not None and part.sound_words is not None:
            run.append(part)
            continue
        close_run()
        if part.min_len > 0 and part.keys is not None:
            text_options.append(part.keys)
        if part.min_len > 0 and part.sound_keys is not None:
            sound_options.append(part.sound_keys)
    close_run()
    return best(text_options), best(sound_options), others(text_options), others(sound_options)
