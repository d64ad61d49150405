"""Chinese line breaking by cell width, on every paragraph of the real seeds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from swreader.core.pages.model import Article
from swreader.core.text.convert import SCRIPTS, convert
from swreader.core.text.wrap import NO_END, NO_START, wrap, wrap_ranges


@pytest.mark.parametrize("width", [20, 33, 40, 61, 72, 80])
@pytest.mark.parametrize("script", SCRIPTS)
def test_no_line_starts_with_closing_punctuation(
    articles: list[Article], width: int, script: str
) -> None:
    checked = 0
    for article in articles:
        for para in article.paragraphs:
            lines = wrap(convert(para.text, script), width)
            for n, line in enumerate(lines):
                assert cell_len(line) <= width, line
                if n:
                    assert line[0] not in NO_START, (width, line)
                if n < len(lines) - 1:
                    assert line[-1] not in NO_END, (width, line)
                checked += 1
    assert checked > 300


def test_ranges_cover_the_text_exactly(articles: list[Article]) -> None:
    for article in articles:
        for para in article.paragraphs:
            ranges = wrap_ranges(para.text, 37)
            assert "".join(para.text[a:b] for a, b in ranges) == para.text
            assert all(a < b for a, b in ranges)


def test_chinese_fills_the_line_instead_of_jumping_whole() -> None:
    text = "社会工作要做好,人才很关键。因此,需要创新社会工作人才培养模式,增强队伍力量。"
    lines = wrap(text, 20)
    assert cell_len(lines[0]) >= 18


def test_comma_is_pulled_down_with_the_previous_character() -> None:
    # 9 characters fill 18 cells; the comma would start line 2, so 好 goes down with it.
    lines = wrap("社会工作要做得更好，人才很关键", 18)
    assert lines[1].startswith("好，")


def test_opening_quote_never_ends_a_line() -> None:
    lines = wrap("打通为民服务的“最后一米”的具体举措", 16)
    assert all(not line.endswith("“") for line in lines[:-1])


def test_latin_words_are_not_split() -> None:
    lines = wrap("国家级继续医学教育项目 MUST 行为引导技术", 26)
    assert not any(line.endswith(("MU", "M")) for line in lines)


@given(st.text(max_size=300), st.integers(min_value=2, max_value=120))
def test_wrap_never_fails_and_covers_everything(text: str, width: int) -> None:
    text = text.replace("\n", " ")
    ranges = wrap_ranges(text, width)
    assert "".join(text[a:b] for a, b in ranges) == text
