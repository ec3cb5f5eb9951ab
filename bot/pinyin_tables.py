"""pypinyin's phrase table in less memory: the same readings, each held once.

pypinyin reads its phrase table (47,000 words, `phrases_dict.json`) into a fresh list per
character of every word and a fresh string per syllable: 190,000 lists and 144,000 strings for
1,249 distinct readings, 28 MB of a worker's memory. `share_readings` points every word at one
shared list per distinct reading, before the models load into the memory this frees (17 MB less
per worker when ready). Nothing that reads the table changes: pypinyin deep-copies what it
returns, and `bot.knowledge.phonetic` only reads. pypinyin's second copy of its tables (for
custom dictionaries, which this service never loads) is skipped by `PYPINYIN_NO_DICT_COPY`, set
in `bot/__init__.py` before anything imports pypinyin.
"""

from __future__ import annotations

from functools import cache


@cache
def share_readings() -> int:
    """Make equal readings of the phrase table one object (once per process); how many remain."""
    from pypinyin.phrases_dict import phrases_dict

    syllables: dict[str, str] = {}
    readings: dict[tuple[str, ...], list[str]] = {}
    for word in phrases_dict.values():
        for i, choices in enumerate(word):
            key = tuple(syllables.setdefault(s, s) for s in choices)
            word[i] = readings.setdefault(key, list(key))
    return len(readings)
