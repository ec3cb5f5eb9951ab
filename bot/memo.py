"""A bounded memory of recent results, keyed by a digest of the text they were computed from.

Residents send the same short texts again and again (菜单, 1, 是的, the common questions), and
several layers ask about one message; the costly verdicts (the safety net's, the intent model's) are
remembered here by a 16-byte digest, so no text is kept in memory, and the oldest go first.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


def digest(*parts: str) -> bytes:
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Memo(Generic[T]):
    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[bytes, T] = OrderedDict()

    def get(self, key: bytes) -> T | None:
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept

    def put(self, key: bytes, value: T) -> None:
        self._kept[key] = value
        if len(self._kept) > self._size:
            self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._kept)
