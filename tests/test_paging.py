from hypothesis import given
from hypothesis import strategies as st

from bot.paging import byte_len, split_pages


@given(st.text(), st.integers(min_value=4, max_value=300))
def test_pages_fit_and_lose_nothing(text: str, limit: int) -> None:
    pages = split_pages(text, limit)
    assert "".join(pages) == text
    assert all(byte_len(page) <= limit for page in pages)
    assert all(pages) or pages == [""]


def test_prefers_line_breaks() -> None:
    text = "第一行内容\n" * 200
    pages = split_pages(text, 2000)
    assert len(pages) > 1
    assert all(page.endswith("\n") for page in pages[:-1])
