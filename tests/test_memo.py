"""The digest memory: bounded, oldest out first, a hit refreshes, keys are digests not text."""

from bot.memo import Memo, digest


def test_the_oldest_goes_first_and_a_hit_refreshes() -> None:
    memo: Memo[int] = Memo(2)
    memo.put(digest("a"), 1)
    memo.put(digest("b"), 2)
    assert memo.get(digest("a")) == 1  # "a" is now the newest
    memo.put(digest("c"), 3)
    assert memo.get(digest("b")) is None
    assert (memo.get(digest("a")), memo.get(digest("c"))) == (1, 3)
    assert len(memo) == 2


def test_keys_are_short_digests_that_tell_parts_apart() -> None:
    assert len(digest("我叫张三 电话13800000000")) == 16
    assert digest("ab", "c") != digest("a", "bc")
    memo: Memo[str] = Memo(4)
    memo.put(digest("idle", "菜单"), "menu")
    assert all("菜单".encode() not in key for key in memo)
