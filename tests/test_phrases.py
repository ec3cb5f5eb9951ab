"""The pattern language staff write cues and intents in."""

import pytest

from bot.phrases import Grammar, PatternError, PhraseSet, prepare


def groups(patterns: dict[str, list[str]], text: str, classes: dict | None = None) -> set[str]:
    return {h.group for h in PhraseSet(patterns, Grammar(classes or {})).hits(prepare(text))}


def test_classes_options_gaps_and_clause_edges() -> None:
    classes = {"kin": ["老伴儿?", "(儿|孙)子"]}
    assert groups({"a": ["{kin}…摔倒"]}, "我家老伴儿今天摔倒了", classes) == {"a"}
    assert groups({"a": ["{kin}…摔倒"]}, "孙子来了，我摔倒了", classes) == set()  # not across a clause
    assert groups({"a": ["^不测了$"]}, "算了，不测了", classes) == {"a"}
    assert groups({"a": ["#天没吃"]}, "3天没吃饭", classes) == {"a"}


def test_sounds_hear_homophones_pinyin_and_traditional_but_not_short_chance_homophones() -> None:
    assert groups({"a": ["不想活了?"]}, "我不想火了") == {"a"}
    assert groups({"a": ["不想活了?"]}, "bù xiǎng huó le") == {"a"}
    assert groups({"a": ["不想活了?"]}, "我不想活了") == {"a"}
    assert groups({"a": ["跳河"]}, "调和一下") == set()
    assert groups({"a": ["着火"]}, "家裡著火了") == {"a"}


def test_a_voice_stutter_is_one_word_but_a_typed_syllable_said_twice_is_kept() -> None:
    assert prepare("他喝了那个 那个敌敌畏").text == prepare("他喝了那个敌敌畏").text
    assert groups({"a": ["敌敌畏"]}, "ta he le di di wei") == {"a"}
    assert groups({"a": ["奶奶…摔"]}, "wo nai nai shuai le") == {"a"}


@pytest.mark.parametrize("bad", ["{nope}", "(a|", "a|", "?a", "a b"])
def test_mistakes_are_reported(bad: str) -> None:
    with pytest.raises(PatternError):
        PhraseSet({"x": [bad]}, Grammar({}))


def test_keys_of_a_run_of_alternatives_are_its_words_not_a_character() -> None:
    compiled = Grammar({"kin": ["老伴", "儿子"]}).compile("(打|揍)(了)?{kin}")
    assert compiled.keys == frozenset({"打老伴", "打了老伴", "打儿子", "打了儿子", "揍老伴", "揍了老伴",
                                       "揍儿子", "揍了儿子"})
    assert Grammar({}).compile("(从|在)…(楼|桥)…跳").keys is not None  # a gap: a part's own keys


def _every_match(phrases: PhraseSet, text: str) -> list[tuple[str, int, int, bool]]:
    """The oracle: every entry's expression over the whole message, no keys (what `hits` must find)."""
    message = prepare(text)
    if message.pinyin:
        return [(e.source, m.start(), m.end(), True) for e in phrases.entries
                for m in e.sounds.finditer(message.sounds) if m.end() > m.start()]
    found = [(e.source, m.start(), m.end(), False) for e in phrases.entries
             for m in e.text.finditer(message.text) if m.end() > m.start()]
    by_text = {source for source, *_ in found}
    return found + [(e.source, m.start(), m.end(), True) for e in phrases.entries
                    if e.sound_ok_in_han and e.source not in by_text
                    for m in e.sounds.finditer(message.sounds) if m.end() > m.start()]


def test_the_keys_never_hide_a_match() -> None:
    """The Aho-Corasick keys only decide which expressions run: on the danger cues and a training
    corpus the hits are exactly those of running every expression over every message."""
    import yaml

    from bot.safety.cues import CUES_PATH, load_cues
    from bot.safety.model import TRAINING_PATH

    book = load_cues(CUES_PATH)
    texts = [str(i["text"]) for i in yaml.safe_load(TRAINING_PATH.read_text(encoding="utf-8"))][::3]
    for phrases in (book.cues, book.modifiers, book.exceptions):
        for text in texts:
            hits = [(h.pattern, h.start, h.end, h.sounds) for h in phrases.hits(prepare(text))]
            assert sorted(hits) == sorted(_every_match(phrases, text)), text
