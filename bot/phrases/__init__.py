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
one of which any match must contain (喝农药 → 喝农药; {kin}…打我 → 打我; runs of alternatives
give their words, (打|揍)(我|他) → 打我 打他 揍我 揍他, not a single character), one Aho-Corasick pass
(pyahocorasick) finds which of them a message has, and only those patterns' expressions run.
"""

from bot.phrases.grammar import GAP, Grammar, PatternError
from bot.phrases.match import SOUND_MIN, Hit, PhraseSet
from bot.phrases.message import PINYIN_MIN, Prepared, han_sounds, prepare

__all__ = ["GAP", "PINYIN_MIN", "SOUND_MIN", "Grammar", "Hit", "PatternError", "PhraseSet", "Prepared",
           "han_sounds", "prepare"]
