"""The event-built YAML is exactly what PyYAML's safe loader makes, line numbers and errors included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge import yamlload

KEY = "__line__"
ROOT = Path(__file__).resolve().parents[2]


def _regular(text: str) -> Any:
    return yaml.load(text, Loader=yamlload._line_loader(KEY))


DOCUMENTS = [
    "",
    "# only a comment\n",
    "~\n",
    "- id: a\n  refs: [1, 2]\n  reviewed: 2026-11-29\n  question: 低保怎么申请？\n",
    "a: yes\nb: No\nc: on\nd: '1'\ne: 1.5\nf: .inf\ng: 0x1f\nh: 1_000\ni: null\nj: ''\nk:\n",
    "a: 2026-01-02 03:04:05\nb: 12:30\nc: '2026-01-02'\nd: !!str 12\ne: !!int '7'\n",
    "text: |\n  第一行\n  第二行\nfolded: >\n  one\n  two\nquoted: \"tab\\there\"\n",
    "- [a, {b: c, d: [1, {e: f}]}]\n- {}\n- []\n- - nested\n  - list\n",
    "dup: 1\ndup: 2\n1: int key\n2026-01-01: date key\n",
    "base: &b {x: 1}\nuse: *b\nday: &d 2026-01-01\nagain: *d\nlist: &l [1]\nkey: {*d : 1}\n",  # aliases
    "a: &x 1\nb: &x 2\nc: *x\n",  # an anchor defined twice
    "a: *nowhere\n",  # an unknown alias: the regular loader's error
    "a: &r [1, *r]\n",  # a recursive alias
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",  # a merge key
    "? [complex, key]\n: value\n",  # a complex key: the regular loader's error
    "a: 1\n---\nb: 2\n",  # several documents: the regular loader's error
    "a: !custom 1\n",  # an unknown tag: the regular loader's error
    "a: [1, 2\n",  # a syntax error
    "a: b: c\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_same_data_as_the_safe_loader(text: str) -> None:
    try:
        expected = _regular(text)
    except yaml.YAMLError as exc:
        with pytest.raises(type(exc)) as raised:
            yamlload.load(text, KEY)
        assert str(raised.value) == str(exc)
        return
    # repr: types and key order too (1 is not True, dates stay dates), and recursive data
    assert repr(yamlload.load(text, KEY)) == repr(expected)


def test_every_shipped_yaml_file_loads_the_same() -> None:
    files = sorted((ROOT / "bot").rglob("*.yaml"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert repr(yamlload.load(text, KEY)) == repr(_regular(text)), path


def test_an_alias_is_its_anchors_object() -> None:
    data = yamlload.load("a: &x {k: [1]}\nb: *x\n", KEY)
    assert data["a"] is data["b"]


def test_lines_are_the_mappings_own() -> None:
    data = yamlload.load("- id: a\n  sub: {x: 1}\n\n- id: b\n", KEY)
    assert [d[KEY] for d in data] == [1, 4] and data[0]["sub"][KEY] == 2
    assert yamlload.load("d: 2026-11-29", KEY)["d"] == dt.date(2026, 11, 29)
