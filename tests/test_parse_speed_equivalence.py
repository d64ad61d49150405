"""The fast forms of the parser's patterns and scans agree with their plain definitions.

Several hot spots were rewritten for speed (regexes that open on a character class the engine
can skip on, regex folds instead of ``str.translate``, a prefix index for place names). These
tests keep the plain, obviously correct forms as references and compare both on generated
text full of the characters that matter, so a later edit cannot change the output silently.
"""

from __future__ import annotations

import random
import re

import pytest

from swreader.core.pages import blocks, regions
from swreader.core.pages.gazetteer import index
from swreader.core.text import clean, figures, reading

_ALPHABET = (
    "图圖片来來源(（)）摄攝供/／:： \t\u3000\xa0\u200b\u2003\x0b\x01\ufeff"
    "第星期首页頁版面导導航标標题題目录錄新闻聞内內容上一下期返回打印本关關闭閉窗口"
    "0123456789２３年月日个萬億兩餘約「」〇零二三四五六七八九十百千万亿余多近约超过逾将大每《》“”"
    "yèzhōngāba?!;<\ufffd\ue000省市州区县路大道街场学久安治石茶瓜玉山公园后的价黄长江水岸民政府委厅"
)


def _texts(count: int, *, seed: int) -> list[str]:
    """Random short texts mixing gazetteer surfaces with the characters the patterns test."""
    rng = random.Random(seed)
    surfaces = sorted(index())
    out = []
    for _ in range(count):
        parts: list[str] = []
        size = rng.randint(0, 30)
        while len(parts) < size:
            parts.append(rng.choice(surfaces) if rng.random() < 0.2 else rng.choice(_ALPHABET))
        out.append("".join(parts))
    return out


TEXTS = _texts(3000, seed=7)


def _plain_find_mentions(text: str) -> list[regions.Mention]:
    """The original scan: at every position try every length, longest first."""
    surfaces = index()
    longest = max(len(s) for s in surfaces)
    found: list[regions.Mention] = []
    i, n = 0, len(text)
    while i < n:
        hit = None
        for j in range(min(n, i + longest), i + 1, -1):
            if text[i:j] in surfaces and (hit := regions._pick(text, i, j, found)):
                break
        if hit is None:
            i += 1
        else:
            found.append(hit)
            i = hit.end
    return found


def test_find_mentions_matches_the_plain_scan() -> None:
    for text in TEXTS:
        assert regions.find_mentions(text) == _plain_find_mentions(text), text


@pytest.mark.parametrize("text", ["马鞍", "鞍山", "江苏省", "兰州新区", "山东东营", "吉林市场"])
def test_find_mentions_at_the_end_of_the_text(text: str) -> None:
    # A surface longer than what is left of the text must not be tried on a cut slice.
    for cut in range(len(text) + 1):
        assert regions.find_mentions(text[:cut]) == _plain_find_mentions(text[:cut])


def test_caption_mark_matches_the_plain_alternation() -> None:
    plain = re.compile(
        r"[图圖]片[来來]源|[(（]\s*[图圖][/／:：]|[摄攝]\s*[)）]?$|供[图圖]\s*[)）]?$"
    )
    for text in [*TEXTS, "(图/新华社)", "记者 王某 摄", "张三供图）", "图片来源:网络"]:
        assert [m.span() for m in blocks.CAPTION_MARK.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_nav_words_match_the_plain_alternation() -> None:
    plain = re.compile(
        r"首[页頁]|版面[导導][航]|[标標][题題][导導][航]|版面目[录錄]|新[闻聞]内容|新[闻聞]內容|"
        r"上一期|下一期|上一版|下一版|返回目[录錄]|打印本[页頁]|[关關]闭窗口|[关關]閉窗口"
    )
    for text in [*TEXTS, "標題導航|關閉窗口", "上一期 下一期"]:
        assert [m.span() for m in clean._NAV_WORDS.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_pinyin_annotation_matches_the_lookbehind_first_form() -> None:
    plain = re.compile(rf"(?<=[\u3400-\u9fff])\(([{clean._PINYIN_LETTERS}]{{1,7}})\)")
    for text in [*TEXTS, "頁(yè)(a)", "(yè)頁", "a(ba)"]:
        assert [m.span() for m in clean._ANNOTATION.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_page_date_needs_a_weekday() -> None:
    assert clean.page_date("2023年10月24日 星期二") == "2023-10-24"
    assert clean.page_date("2023年10月24日") is None


def test_figure_fold_matches_translate() -> None:
    table = str.maketrans(figures._FOLD)
    for text in [*TEXTS, "".join(figures._FOLD)]:
        assert figures._fold(text) == text.translate(table), text


def test_normalise_text_matches_the_translate_tables() -> None:
    invisible = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
    odd = dict.fromkeys(
        map(ord, "\t\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"),
        " ",
    )
    odd.update(dict.fromkeys(map(ord, "\u2009\u200a\u202f\u205f"), " "))
    control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

    def plain(text: str) -> str:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = control.sub("", text.translate(invisible).translate(odd))
        return "\n".join(line.rstrip() for line in text.split("\n"))

    for text in [*TEXTS, "a\r\nb\rc \t\n", "".join(map(chr, range(0x20))) + "\u2000\u200b"]:
        assert reading.normalise_text(text) == plain(text), repr(text)


def test_single_line_blocks_are_never_lists() -> None:
    for line in ["1. 张露娜", "- 10.赵静", "• 一项", ""]:
        assert not blocks.is_list_block(blocks.Block([line], 0))
    assert blocks.is_list_block(blocks.Block(["1. 张露娜", "2. 赵静"], 0))
