"""The knowledge files' YAML, built from libyaml's event stream: SafeLoader's data in a fraction of the time.

PyYAML's loaders, even on libyaml (CSafeLoader), make a Python node object for every scalar and
resolve its tag before constructing it; with 10,000 entries that was 2.3 s of a 5.8 s build, while
libyaml's events alone take a fifth of that. So the data is built straight from the events:
plain scalars resolved by PyYAML's own resolver and constructed by SafeConstructor's own
functions, every mapping given its line under `line_key` (for problem messages). A document using
what this does not build (merge keys, tags other than the standard scalar ones, a mapping or
list as a key, an alias to what is not yet complete, several documents) is loaded by the regular
loader instead, so the result, and any error, is always SafeLoader's. An alias is the very
object its anchor made, as with SafeLoader (`yaml.safe_dump` writes one for a repeated date).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from bot.errors import BotError

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_SCALARS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAPPINGS = frozenset({None, "!", "tag:yaml.org,2002:map"})
_SEQUENCES = frozenset({None, "!", "tag:yaml.org,2002:seq"})
_NOTHING = object()


class _Unsupported(BotError):
    """Something only the regular loader builds (never leaves this module)."""


class _Frame:
    __slots__ = ("anchor", "items", "key", "line", "mapping")

    def __init__(self, items: Any, mapping: bool, line: int, anchor: str | None) -> None:
        self.items, self.mapping, self.key, self.line, self.anchor = items, mapping, _NOTHING, line, anchor


def _line_loader(line_key: str) -> type:
    class LineLoader(_Base):  # type: ignore[misc]
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
            mapping[line_key] = node.start_mark.line + 1
            return mapping

    return LineLoader


_LOADERS: dict[str, type] = {}


def load(text: str, line_key: str) -> Any:
    """`yaml.safe_load(text)`, each mapping with its (1-based) line under `line_key`."""
    try:
        return _build(text, line_key)
    except _Unsupported:
        loader = _LOADERS.setdefault(line_key, _line_loader(line_key))
        return yaml.load(text, Loader=loader)  # a safe loader, with lines


def _scalar(event: Any) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag == _STR:
        return event.value
    if tag not in _SCALARS:
        raise _Unsupported(tag)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)


def _build(text: str, line_key: str) -> Any:
    stack: list[_Frame] = []
    root: Any = _NOTHING
    anchors: dict[str, Any] = {}
    documents = 0
    events: Iterator[Any] = yaml.parse(text, Loader=_Base)
    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            value = _scalar(event)
            if event.anchor is not None:
                _anchor(anchors, event.anchor, value)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            mapping = kind is yaml.MappingStartEvent
            if event.tag not in (_MAPPINGS if mapping else _SEQUENCES) or (
                stack and stack[-1].mapping and stack[-1].key is _NOTHING
            ):
                raise _Unsupported("tagged or complex key")
            stack.append(_Frame({} if mapping else [], mapping, event.start_mark.line + 1, event.anchor))
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            value = frame.items
            if frame.mapping:
                value[line_key] = frame.line
            if frame.anchor is not None:
                _anchor(anchors, frame.anchor, value)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Unsupported("several documents")
            continue
        elif kind is yaml.AliasEvent:
            if event.anchor not in anchors:
                raise _Unsupported("alias to an unknown or incomplete anchor")
            value = anchors[event.anchor]
        else:  # stream start and end, document end
            continue
        if not stack:
            root = value
            continue
        top = stack[-1]
        if not top.mapping:
            top.items.append(value)
        elif top.key is _NOTHING:
            if isinstance(value, (dict, list)):
                raise _Unsupported("a container as a key")
            top.key = value
        else:
            top.items[top.key] = value
            top.key = _NOTHING
    return None if root is _NOTHING else root


def _anchor(anchors: dict[str, Any], name: str, value: Any) -> None:
    if name in anchors:
        raise _Unsupported("anchor defined twice")
    anchors[name] = value
