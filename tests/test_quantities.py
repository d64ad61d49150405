"""Values of key figures: magnitudes, approximation words, Chinese numerals, both scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from swreader.core.pages.corpus import bundled_seeds, load_corpus
from swreader.core.text.figures import find_figures
from swreader.core.text.quantities import ABOUT, AT_LEAST, AT_MOST, Quantity, value_of

REALPAGES = Path(__file__).resolve().parent / "fixtures" / "realpages"


def q(
    value: float, unit: str, bound: str | None = None, approximate: bool | None = None
) -> Quantity:
    """The expected quantity; approximate defaults to "a bound was named"."""
    return Quantity(
        float(value), bound is not None if approximate is None else approximate, bound, unit
    )


# The issue's examples.
ISSUE = [
    ("1.3万人", "count", q(13000, "人")),
    ("近700万元", "money", q(7_000_000, "元", ABOUT)),
    ("60余万元", "money", q(600_000, "元", AT_LEAST)),
    ("十余个", "count", q(10, "个", AT_LEAST)),
    ("百分之八十點一", "percent", q(80.1, "%")),
    ("2.6亿元", "money", q(260_000_000, "元")),
]

# Every approximation word, simplified and traditional: (simplified, traditional, value, bound).
WORDS = [
    ("近700万元", "近700萬元", 7_000_000, ABOUT),
    ("将近300人", "將近300人", 300, ABOUT),
    ("约500平方米", "約500平方米", 500, ABOUT),
    ("大约2000名", "大約2000名", 2000, ABOUT),
    ("超过三万九千件", "超過三萬九千件", 39000, AT_LEAST),
    ("超5万人次", "超5萬人次", 50000, AT_LEAST),
    ("逾3,000户", "逾3,000戶", 3000, AT_LEAST),
    ("140余场", "140餘場", 140, AT_LEAST),
    ("500多人", "500多人", 500, AT_LEAST),
    ("2万人以上", "2萬人以上", 20000, AT_LEAST),
    ("50人以下", "50人以下", 50, AT_MOST),
    ("30日以内", "30日以內", 30, AT_MOST),
    ("10%左右", "10%左右", 10, ABOUT),
    ("100人上下", "100人上下", 100, ABOUT),
    ("上万人", "上萬人", 10000, AT_LEAST),
    ("不到50人", "不到50人", 50, AT_MOST),
    ("不足50人", "不足50人", 50, AT_MOST),
]


@pytest.mark.parametrize(("text", "kind", "expected"), ISSUE)
def test_the_issue_examples(text: str, kind: str, expected: Quantity) -> None:
    assert value_of(text, kind) == expected


@pytest.mark.parametrize(("simplified", "traditional", "value", "bound"), WORDS)
def test_every_approximation_word_in_both_scripts(
    simplified: str, traditional: str, value: float, bound: str
) -> None:
    for text in (simplified, traditional):
        got = value_of(text, "count")
        assert got is not None, text
        assert (got.value, got.approximate, got.bound) == (value, True, bound), text


def test_a_bound_beats_about() -> None:
    """约3900余人次: at least 3,900, still approximate."""
    assert value_of("约3900余人次", "count") == q(3900, "人次", AT_LEAST)
    assert value_of("约3900余人次", "count") == value_of("約3900餘人次", "count")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二十一条", 21),
        ("六章", 6),
        ("两场", 2),
        ("兩間", 2),
        ("十个", 10),
        ("二百零五人", 205),
        ("一万二千三百零六件", 12306),
        ("一萬二千三百零六件", 12306),
        ("三萬九千件", 39000),
        ("二千八百萬元", 28_000_000),
        ("一亿二千万元", 120_000_000),
        ("一万二人", 12000),  # spoken short form
        ("三千五人", 3500),
        ("一三六人", 136),  # digit by digit
        ("一二七人", 127),
        ("一○八人", 108),
        ("八十六點五二%", 86.52),
        ("一点三万人", 13000),
        ("一點三萬人", 13000),
        ("近百人", 100),  # a bare magnitude is one of it
        ("約百人", 100),
        ("近千名", 1000),
    ],
)
def test_chinese_numerals(text: str, value: float) -> None:
    got = value_of(text, "count")
    assert got is not None and got.value == value, (text, got)


def test_vague_numerals() -> None:
    """几 gives an honest lower bound; two neighbouring digits are a range."""
    assert value_of("十几块", "count") == q(10, "块", AT_LEAST)
    assert value_of("几十公里", "measure") == q(10, "公里", AT_LEAST)
    assert value_of("二十多个", "count") == q(20, "个", AT_LEAST)
    assert value_of("两三个", "count") == Quantity(2.0, True, None, "个", 2.0, 3.0)
    assert value_of("七八人", "count") == Quantity(7.0, True, None, "人", 7.0, 8.0)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1.3万人", 13000, "人"),
        ("2.6亿元", 260_000_000, "元"),
        ("2.1萬人次", 21000, "人次"),
        ("1,350名", 1350, "名"),
        ("12,000元", 12000, "元"),
        ("35個", 35, "个"),
        ("1.4万小时", 14000, "小时"),
        ("近9万公里", 90000, "公里"),
        ("2 万以上", 20000, ""),  # a bare number
        ("300 余个", 300, "个"),  # a printed space
    ],
)
def test_magnitudes_and_units(text: str, value: float, unit: str) -> None:
    got = value_of(text, "count")
    assert got is not None and (got.value, got.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("70%", q(70, "%")),
        ("70％", q(70, "%")),
        ("93.5%", q(93.5, "%")),
        ("百分之九十五", q(95, "%")),
        ("百分之八十四點三六", q(84.36, "%")),
        ("超过百分之十五点五", q(15.5, "%", AT_LEAST)),
        ("百分之九十五以上", q(95, "%", AT_LEAST)),
        ("七成", q(70, "%")),
        ("约七成", q(70, "%", ABOUT)),
        ("逾四成", q(40, "%", AT_LEAST)),
        ("近兩成", q(20, "%", ABOUT)),
        ("超過三成", q(30, "%", AT_LEAST)),
        ("70%以上", q(70, "%", AT_LEAST)),
        ("千分之五", q(0.5, "%")),
        ("万分之三", q(0.03, "%")),
        # A change of shares, not a share: its own unit, never summed with %.
        ("3个百分点", q(3, "百分点")),
        ("1.5個百分點", q(1.5, "百分点")),
    ],
)
def test_percent_forms(text: str, expected: Quantity) -> None:
    got = value_of(text, "percent")
    assert got is not None
    assert (got.value, got.approximate, got.bound, got.unit) == pytest.approx(
        (expected.value, expected.approximate, expected.bound, expected.unit)
    )


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("3000 元", 3000, "元"),
        ("4万元", 40000, "元"),
        ("23.6萬元", 236_000, "元"),
        ("約二千八百萬元", 28_000_000, "元"),
        ("100万美元", 1_000_000, "美元"),
        ("50萬港元", 500_000, "港元"),
    ],
)
def test_money(text: str, value: float, unit: str) -> None:
    got = value_of(text, "money")
    assert got is not None and (got.value, got.unit) == (value, unit)


def year(text: str) -> float:
    """The value of a date."""
    got = value_of(text, "date")
    assert got is not None, text
    return got.value


def test_dates_are_their_year() -> None:
    assert value_of("2023年7月", "date") == Quantity(2023.0, False, None, "年")
    assert year("2021年11月29日") == 2021
    assert year("二〇二三年八月一日") == 2023
    assert year("二O二二年") == 2022
    assert year("二○二二年") == 2022
    assert year("113年度") == 2024  # 民國
    assert year("2023-08-01") == 2023
    assert value_of("2021—2025年", "date") == Quantity(2021.0, False, None, "年", 2021.0, 2025.0)
    # No year, no value.
    assert value_of("8月3日", "date") is None
    assert value_of("11月中旬", "date") is None


def test_durations_and_ages_keep_their_unit() -> None:
    assert value_of("三年以上", "duration") == q(3, "年", AT_LEAST)
    assert value_of("3个月", "duration") == q(3, "个月")
    assert value_of("3个小时", "duration") == q(3, "小时")
    assert value_of("30日内", "duration") == q(30, "日", AT_MOST)
    assert value_of("60岁以上", "age") == q(60, "岁", AT_LEAST)
    assert value_of("65周岁", "age") == q(65, "岁")
    assert value_of("0-6岁", "age") == Quantity(0.0, False, None, "岁", 0.0, 6.0)
    assert value_of("3倍", "ratio") == q(3, "倍")


def test_no_number_no_value() -> None:
    assert value_of("社工站", "count") is None
    assert value_of("", "count") is None


@pytest.mark.parametrize(
    ("sentence", "figure", "expected"),
    [
        ("年龄在50岁以下的居民", "50岁以下", q(50, "岁", AT_MOST)),
        ("已建成社工站300 余个", "300 余个", q(300, "个", AT_LEAST)),
        ("覆盖近万人次", "近万人次", q(10000, "人次", ABOUT)),
        ("累计服务上萬人", "上萬人", q(10000, "人", AT_LEAST)),
        ("办结率达到超过百分之十五点五", "超过百分之十五点五", q(15.5, "%", AT_LEAST)),
    ],
)
def test_values_of_what_find_figures_finds(sentence: str, figure: str, expected: Quantity) -> None:
    (match,) = [f for f in find_figures(sentence) if f.text == figure]
    assert value_of(match.text, match.kind) == expected


def test_every_figure_of_the_pages_has_a_value() -> None:
    """Seeds and real pages: every figure reads, except dates that name no year."""
    missing = []
    for root in (bundled_seeds(), REALPAGES):
        for article in load_corpus([root]).articles:
            for figure in article.figures:
                got = value_of(figure.text, figure.kind)
                if got is None and not (figure.kind == "date" and "年" not in figure.text):
                    missing.append((figure.text, figure.kind))
                if got is not None:
                    assert got.value >= 0 and (got.low is None) == (got.high is None)
    assert missing == []
