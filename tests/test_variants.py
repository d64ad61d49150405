"""Variant folding: a query in any regional form finds every other form, offsets exact."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swreader.core.pages.model import Article, Kind, Paragraph
from swreader.core.search.engine import SearchIndex
from swreader.core.text.convert import convert, to_simplified
from swreader.core.text.fold import fold_char, normalise, variant_forms

DATA = Path(__file__).resolve().parent.parent / "swreader" / "data"

# (one form, another form): each must find the other, in both directions.
PAIRS = [
    ("瞭解", "了解"),
    ("憑藉", "凭借"),
    ("反覆", "反复"),
    ("標誌著", "标志着"),
    ("穿著", "穿着"),
    ("意味著", "意味着"),
    ("隨著", "随着"),
    ("衞生", "卫生"),
    ("衞生", "衛生"),
    ("甚麼", "什么"),
    ("為甚麼", "为什么"),
    ("這裏", "这里"),
    ("這裡", "这里"),
    ("這裏", "這裡"),
    ("綫上", "线上"),
    ("線上", "线上"),
    ("綫上", "線上"),
    ("臺灣", "台湾"),
    ("爲民", "为民"),
    ("為民", "爲民"),
    ("彷彿", "仿佛"),
    ("答覆", "答复"),
    ("藉助", "借助"),
    ("想像", "想象"),
    ("著名", "着名"),
    ("據瞭解", "据了解"),
]


def _article(ident: str, body: str) -> Article:
    return Article(
        id=ident, page="p", path="p", title="標題", paragraphs=[Paragraph(Kind.BODY, body)]
    )


def _plain(text: str) -> str:
    """The fold without variants: NFKC, per-character t2s, lower case, no whitespace."""
    out = []
    for char in text:
        for c in unicodedata.normalize("NFKC", char):
            out.append(to_simplified(c).lower())
    return "".join(c for c in "".join(out) if not c.isspace())


@pytest.mark.parametrize(("one", "other"), PAIRS)
def test_each_form_finds_the_other(one: str, other: str) -> None:
    first = _article("one", f"社工站在社区开展服务,{one}居民的需要。")
    second = _article("other", f"他们{other}之后,再去探访。")
    index = SearchIndex([first, second])
    for query in (one, other, f'"{one}"', f'"{other}"'):
        hits = index.search(query)
        found = {h.article_id: index.text_of(h)[h.start : h.end] for h in hits}
        # Both found, and the highlight covers the form as written in each.
        assert found == {"one": one, "other": other}, query


def test_forms_fold_alike() -> None:
    for one, other in PAIRS:
        assert normalise(one)[0] == normalise(other)[0], (one, other)


@pytest.mark.parametrize(
    ("text", "word"),
    [("来回覆盖全区", "覆盖"), ("心理慰藉", "慰藉"), ("颠覆文化", "颠覆"), ("等待着", "等待")],
)
def test_a_phrase_does_not_eat_the_standard_word_next_to_it(text: str, word: str) -> None:
    assert word in normalise(text)[0]
    index = SearchIndex([_article("a", text)])
    hits = index.search(word)
    assert hits
    assert index.text_of(hits[0])[hits[0].start : hits[0].end] == word


def test_variant_forms_cover_a_term_inside_a_phrase() -> None:
    # ``覆`` alone does not fold, but inside 反覆 it reads 复: a search may try both.
    assert "复" in variant_forms(normalise("覆")[0])
    assert "借" in variant_forms(normalise("藉")[0])
    assert variant_forms(normalise("覆盖")[0]) == []  # 覆盖 is kept whole after 反覆/回覆
    assert variant_forms(normalise("社工站")[0]) == []
    folded = normalise("他反覆说")[0]
    assert any(form in folded for form in [normalise("覆")[0], *variant_forms("覆")])


def test_every_row_of_the_data_folds_together() -> None:
    rows = [
        line.split("\t")
        for line in (DATA / "variants.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    pairs = [(v, s) for kind, v, s, _ in rows if kind in ("char", "phrase")]
    assert len(pairs) > 100
    joined = sum(normalise(v)[0] == normalise(s)[0] for v, s in pairs)
    # A row may be dropped at load when the installed t2s no longer needs it or folds it
    # to another length; nearly all must hold.
    assert joined >= 0.95 * len(pairs)
    for v, s in pairs:
        assert len(normalise(v)[0]) == len(_plain(v)), v
        assert normalise(normalise(s)[0])[0] == normalise(s)[0], s  # standard forms are fixed


@cache
def _place_names() -> list[str]:
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("name", "full") and isinstance(value, str):
                    names.add(value)
                elif key == "aliases" and isinstance(value, list):
                    names.update(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for name in ("gazetteer.json", "counties.json"):
        walk(json.loads((DATA / name).read_text(encoding="utf-8")))
    return sorted(names)


def test_no_place_name_changes_under_the_fold() -> None:
    names = _place_names()
    assert len(names) > 3000
    for name in names:
        assert normalise(name)[0] == _plain(to_simplified(name)), name


@pytest.mark.parametrize("script", ["traditional", "hongkong"])
def test_every_place_name_is_found_from_its_traditional_form(script: str) -> None:
    for name in _place_names():
        assert normalise(convert(name, script))[0] == normalise(name)[0], name


_PIECES = [
    *"瞭解憑藉反覆著衞裏裡綫線臺爲為彷彿甚麼覆盖慰藉標誌來回社工站台湾 \u3000\t",
    "ｓｗ３０",
    "㎡",
    "Ⅻ",
    "瞭解",
    "憑藉著",
    "反反覆覆",
    "來回覆蓋",
    "據瞭解",
    "甚麼",
    "彷彿",
    "意味著",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_offsets_map_back_exactly(pieces: list[str]) -> None:
    text = "".join(pieces)
    folded, offsets = normalise(text)
    by_char = "".join(fold_char(c) for c in text)
    # Phrases rewrite characters in place: the folded text is as long as the per-character one.
    assert len(folded) == len(by_char)
    if offsets is None:
        assert len(folded) == len(text)
        return
    previous = 0
    for k, char in enumerate(folded):
        i = offsets[k]
        assert 0 <= i < len(text)
        assert i >= previous  # monotonic (㎡ → m2: two folded characters, one original)
        previous = i
        # The character there folds to this one, unless a phrase rewrote it in place.
        assert by_char[k] in fold_char(text[i])
        assert char == by_char[k] or normalise(text[i])[0] != char


def test_a_phrase_across_a_space_maps_back_to_both_characters() -> None:
    index = SearchIndex([_article("a", "社工 瞭 解 居民")])
    hits = index.search("了解")
    assert [index.text_of(h)[h.start : h.end] for h in hits] == ["瞭 解"]
