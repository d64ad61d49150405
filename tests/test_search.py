"""Search on the real seeds: script-insensitive, typo-tolerant, multi-term, figures, pinyin."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swreader.cli import cli
from swreader.core.pages.model import Article, Kind, Paragraph
from swreader.core.search.engine import SearchIndex
from swreader.core.search.matching import EXACT
from swreader.core.search.naive import naive_search
from swreader.core.search.query import Hit, parse_query, snippet_window
from swreader.core.text.convert import to_simplified
from swreader.core.text.fold import normalise

from .conftest import SEEDS, by_title


@pytest.fixture(scope="module")
def index(articles: list[Article]) -> SearchIndex:
    return SearchIndex(articles)


def _text(index: SearchIndex, hit: Hit) -> str:
    return index.text_of(hit)


def _matched(index: SearchIndex, hit: Hit) -> str:
    return _text(index, hit)[hit.start : hit.end]


def _top_article(index: SearchIndex, query: str) -> Article:
    hits = index.search(query)
    assert hits, query
    return index.article(hits[0].article_id)


def _best_rank(hits: list[Hit], article: Article) -> int:
    return next(i for i, h in enumerate(hits) if h.article_id == article.id)


# -- normalisation ----------------------------------------------------------------------


def test_t2s_keeps_length_of_every_seed_paragraph(articles: list[Article]) -> None:
    texts = [a.title for a in articles] + [p.text for a in articles for p in a.paragraphs]
    assert texts
    for text in texts:
        assert len(to_simplified(text)) == len(text)
        # Folding character by character agrees with whole-text t2s on every seed.
        assert "".join(to_simplified(c) for c in text) == to_simplified(text)


def test_offset_map_points_back_to_the_original() -> None:
    text = "按照 3000 元/人，臨滄 ㎡"
    folded, offsets = normalise(text)
    assert folded == "按照3000元/人,临沧m2"
    assert offsets is not None
    assert [text[offsets[k]] for k in range(len(folded))] == list("按照3000元/人，臨滄㎡㎡")
    assert normalise("临沧市")[1] is None


# -- parsing ----------------------------------------------------------------------------


def test_parse_query_splits_on_any_space_and_keeps_quoted_phrases() -> None:
    assert parse_query("新乡 社工站") == ["新乡", "社工站"]
    assert parse_query("新乡\u3000社工站\t118个") == ["新乡", "社工站", "118个"]
    assert parse_query('"社会 工作" 协会') == ["社会 工作", "协会"]
    assert parse_query("“临沧 市”") == ["临沧 市"]
    assert parse_query('"still typing') == ["still typing"]
    assert parse_query("   \u3000 ") == []
    assert parse_query('""') == []


# -- matching rules ---------------------------------------------------------------------


def test_traditional_query_finds_simplified_text(
    index: SearchIndex, articles: list[Article]
) -> None:
    lincang = by_title(articles, "临沧市社会工作联合会")
    hit = index.search("臨滄")[0]
    assert hit.article_id == lincang.id
    assert hit.paragraph == -1
    assert _matched(index, hit) == "临沧"


def test_both_scripts_find_the_traditional_page(
    index: SearchIndex, articles: list[Article]
) -> None:
    xiongan = by_title(articles, "雄安新區")
    for query in ("孵化培育體系", "孵化培育体系"):
        hit = index.search(query)[0]
        assert hit.article_id == xiongan.id
        assert _matched(index, hit) == "孵化培育體系"
    # A simplified query finds traditional text.
    hit = index.search("持续推进")[0]
    assert hit.article_id == xiongan.id
    assert _matched(index, hit) == "持續推進"


def test_typo_still_ranks_the_article_first(index: SearchIndex, articles: list[Article]) -> None:
    xuchang = by_title(articles, "许昌市社会工作行业协会")
    hits = index.search("许昌社会工作行业协惠")  # 惠 for 会
    assert hits[0].article_id == xuchang.id
    assert hits[0].paragraph == -1
    assert _matched(index, hits[0]).startswith("许昌市社会工作行业协")
    assert hits[0].score < EXACT + 15


def test_several_terms_in_any_order(index: SearchIndex, articles: list[Article]) -> None:
    xinxiang = by_title(articles, "河南新乡")
    for query in ("新乡 社工站", "社工站 新乡", "社工站\u3000新乡"):
        assert _top_article(index, query) == xinxiang
    hit = index.search("新乡 社工站")[0]
    assert {_text(index, hit)[s:e] for s, e in hit.spans} == {"新乡", "社工站"}


def test_every_term_must_match_somewhere_in_the_article(index: SearchIndex) -> None:
    assert index.search("新乡") and index.search("拉萨")
    assert index.search("新乡 拉萨") == []  # never in the same article


def test_reported_paragraph_is_where_most_terms_match(
    index: SearchIndex, articles: list[Article]
) -> None:
    xinxiang = by_title(articles, "河南新乡")
    for hit in index.search("新乡 社工站"):
        text = _text(index, hit)
        assert "新乡" in text and "社工站" in text, (hit.paragraph, text)
    # Paragraph 1 of the 新乡 article has 社工站 and 新乡; paragraphs with only one are not hits.
    assert all(h.article_id == xinxiang.id for h in index.search("新乡 社工站"))


def test_figures_as_written(index: SearchIndex, articles: list[Article]) -> None:
    xinxiang = by_title(articles, "河南新乡")
    hits = index.search("118个")
    body = [h for h in hits if h.article_id == xinxiang.id and h.paragraph >= 0]
    assert body and body[0].paragraph == 0
    assert "118个" in xinxiang.paragraphs[0].text
    assert _matched(index, body[0]) == "118个"

    anqing = by_title(articles, "安徽安庆")
    hit = index.search("3000元")[0]
    assert hit.article_id == anqing.id
    assert _matched(index, hit) == "3000 元"  # the space on the page is ignored
    assert index.search("3000 元")[0].article_id == anqing.id


def test_figures_are_not_matched_fuzzily(index: SearchIndex) -> None:
    for hit in index.search("3000元"):
        assert _matched(index, hit).replace(" ", "") == "3000元"


def test_full_pinyin_finds_titles(index: SearchIndex, articles: list[Article]) -> None:
    xuchang = by_title(articles, "许昌市社会工作行业协会")
    hit = index.search("xuchang")[0]
    assert (hit.article_id, hit.paragraph, _matched(index, hit)) == (xuchang.id, -1, "许昌")
    hits = index.search("shegongzhan")
    assert hits and all(_matched(index, h) == "社工站" for h in hits)
    assert by_title(articles, "河南新乡").id in {h.article_id for h in hits}
    # Heteronyms: 重 reads chong in 重庆.
    chongqing = by_title(articles, "重庆沙坪坝")
    assert index.search("chongqing")[0].article_id == chongqing.id
    # A syllable still being typed already matches.
    assert index.search("xuch")[0].article_id == xuchang.id


def test_pinyin_initials_at_character_boundaries(
    index: SearchIndex, articles: list[Article]
) -> None:
    xuchang = by_title(articles, "许昌市社会工作行业协会")
    hits = index.search("xc")
    mine = [h for h in hits if h.article_id == xuchang.id]
    assert mine and _matched(index, mine[0]) == "许昌"
    # Letters from inside syllables (xU Chang) do not match.
    assert not any(_matched(index, h) == "许昌" for h in index.search("uchang"))


def test_pinyin_ranks_below_exact_chinese(index: SearchIndex) -> None:
    exact = index.search("许昌")[0]
    full = index.search("xuchang")[0]
    initials = index.search("xc")[0]
    assert exact.score > full.score > initials.score
    # Even an exact body match beats a pinyin title match.
    body = [h for h in index.search("许昌") if h.paragraph >= 0]
    assert body[0].score > full.score


def test_within_restricts_to_those_articles(index: SearchIndex, articles: list[Article]) -> None:
    xuchang = by_title(articles, "许昌市社会工作行业协会")
    lasa = by_title(articles, "西藏拉萨")
    hits = index.search("社工站", within={xuchang.id})
    assert hits and {h.article_id for h in hits} == {xuchang.id}
    hits = index.search("社工站", within=[xuchang.id, lasa.id], limit=100)
    assert {h.article_id for h in hits} == {xuchang.id, lasa.id}
    assert index.search("社工站", within=[]) == []
    assert index.search("社工站", within=["no-such-id"]) == []


def test_limit_and_one_hit_per_paragraph(index: SearchIndex) -> None:
    hits = index.search("社工站", limit=100)
    assert len(hits) > 5
    assert len({(h.article_id, h.paragraph) for h in hits}) == len(hits)
    assert len(index.search("社工站", limit=3)) == 3
    assert index.search("社工站", limit=0) == []


def test_empty_and_blank_queries(index: SearchIndex) -> None:
    for query in ("", " ", "\u3000\t\n", '""'):
        assert index.search(query) == []


# -- ranking ----------------------------------------------------------------------------


def test_exact_phrase_beats_fuzzy(index: SearchIndex, articles: list[Article]) -> None:
    hits = index.search("社会工作人才培养", limit=100)
    exact = [_matched(index, h).replace(" ", "") == "社会工作人才培养" for h in hits]
    assert exact[0] and not all(exact)
    assert exact == sorted(exact, reverse=True)  # every exact hit before any fuzzy one
    # An exact match in a body paragraph beats a fuzzy match in a title.
    lincang = by_title(articles, "临沧市社会工作联合会")
    hits = index.search("社会工作联合会成立大会")
    assert [(h.article_id, h.paragraph) for h in hits[:2]] == [(lincang.id, 0), (lincang.id, -1)]
    assert _matched(index, hits[0]) == "社会工作联合会成立大会"
    assert _matched(index, hits[1]) == "社会工作联合会成立"  # fuzzy: 大会 missing


def test_title_beats_body(index: SearchIndex, articles: list[Article]) -> None:
    lincang = by_title(articles, "临沧市社会工作联合会")
    hits = index.search("临沧市社会工作联合会")
    assert (hits[0].article_id, hits[0].paragraph) == (lincang.id, -1)
    assert all(h.paragraph >= 0 for h in hits[1:])
    assert hits[0].score > hits[1].score


def test_terms_in_one_paragraph_beat_terms_scattered(
    index: SearchIndex, articles: list[Article]
) -> None:
    dense = by_title(articles, "河南新乡")  # 社工站 and 督导 in one paragraph
    scattered = by_title(articles, "吉林省民政事业")  # in different paragraphs
    hits = index.search("社工站 督导", limit=100)
    assert _best_rank(hits, dense) < _best_rank(hits, scattered)
    best = hits[_best_rank(hits, dense)]
    assert best.paragraph >= 0


def test_ties_go_to_the_newer_article() -> None:
    def article(id: str, date: str | None, text: str) -> Article:
        return Article(
            id=id,
            page="p",
            path="p",
            title=id,
            date=date,
            paragraphs=[Paragraph(Kind.BODY, text)],
        )

    old = article("old", "2021-03-01", "社工站。")
    new = article("new", "2024-05-06", "很长的一段话里提到社工站,然后又说了很多别的事情。")
    undated = article("undated", None, "社工站")
    for order in itertools.permutations([old, new, undated]):
        hits = SearchIndex(list(order)).search("社工站")
        assert [h.article_id for h in hits] == ["new", "old", "undated"]
        assert len({h.score for h in hits}) == 1


def test_ties_among_seed_hits_go_to_the_newer_article(index: SearchIndex) -> None:
    hits = index.search("社工站", limit=None)
    assert len({h.score for h in hits}) > 1  # titles and paragraphs: two scores at least
    for a, b in itertools.pairwise(hits):
        if a.score == b.score:
            older, newer = index.article(b.article_id).date, index.article(a.article_id).date
            assert (newer or "") >= (older or "")


def test_denser_window_wins_among_equal_terms() -> None:
    near = Article(
        id="near",
        page="p",
        path="p",
        title="甲",
        paragraphs=[Paragraph(Kind.BODY, "社工站督导会议")],
    )
    far = Article(
        id="far",
        page="p",
        path="p",
        title="乙",
        paragraphs=[Paragraph(Kind.BODY, "社工站的会议上讨论了很多事情,最后说到督导")],
    )
    hits = SearchIndex([far, near]).search("督导 社工站")
    assert [h.article_id for h in hits] == ["near", "far"]
    assert hits[0].score > hits[1].score


# -- snippets ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["社工站", "3000元", "孵化培育体系", "xuchang", "新乡 社工站"])
def test_snippet_contains_the_match(index: SearchIndex, query: str) -> None:
    for hit in index.search(query):
        snippet, start, end = index.snippet(hit, width=20)
        assert snippet[start:end] == _matched(index, hit)
        assert len(snippet) <= 22
        text = _text(index, hit)
        if len(text) > 20:
            assert snippet.startswith("…") or snippet.endswith("…")


def test_snippet_window_bounds() -> None:
    assert snippet_window("abc", 1, 2, 40) == (0, 3)
    assert snippet_window("x" * 100, 50, 52, 10) == (46, 56)
    assert snippet_window("x" * 100, 0, 2, 10) == (0, 10)
    assert snippet_window("x" * 100, 98, 100, 10) == (90, 100)
    assert snippet_window("x" * 100, 10, 60, 10) == (10, 20)


# -- baseline ---------------------------------------------------------------------------


def test_naive_search_baseline(articles: list[Article]) -> None:
    xuchang = by_title(articles, "许昌市社会工作行业协会")
    hits = naive_search(articles, "许昌市社会工作行业协会", limit=5)
    assert len(hits) == 5 and hits[0].article_id == xuchang.id
    assert naive_search(articles, "  ", limit=5) == []


# -- robustness -------------------------------------------------------------------------


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=40))
def test_search_never_raises(index: SearchIndex, query: str) -> None:
    for hit in index.search(query, limit=10):
        text = _text(index, hit)
        assert 0 <= hit.start <= hit.end <= len(text)
        assert all(0 <= s < e <= len(text) for s, e in hit.spans)
        snippet, start, end = index.snippet(hit)
        assert 0 <= start <= end <= len(snippet)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(alphabet='社工站新乡许昌臨滄会 "“”xuchang0123元', max_size=20))
def test_search_never_raises_on_likely_text(index: SearchIndex, query: str) -> None:
    for hit in index.search(query):
        assert 0 <= hit.start <= hit.end <= len(_text(index, hit))


# -- command line -----------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["search", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_json(articles: list[Article]) -> None:
    code, out, _ = _run("3000元", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows
    assert set(rows[0]) == {"id", "page", "title", "score", "paragraph", "snippet", "start", "end"}
    anqing = by_title(articles, "安徽安庆")
    assert rows[0]["id"] == anqing.id and rows[0]["title"] == anqing.title
    text = anqing.paragraphs[rows[0]["paragraph"]].text
    assert text[rows[0]["start"] : rows[0]["end"]] == "3000 元"
    assert "3000 元" in rows[0]["snippet"]


def test_cli_json_title_hit_and_limit(articles: list[Article]) -> None:
    code, out, _ = _run("臨滄", "--json", "--limit", "2")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 2
    assert rows[0]["paragraph"] == -1
    assert rows[0]["title"][rows[0]["start"] : rows[0]["end"]] == "临沧"


def test_cli_no_hits_exits_1() -> None:
    code, out, _ = _run("zzzzqqqq")
    assert code == 1 and out == ""


def test_cli_human_output_has_title_region_and_snippet(articles: list[Article]) -> None:
    code, out, _ = _run("新乡 社工站", "-n", "3")
    assert code == 0
    xinxiang = by_title(articles, "河南新乡")
    assert xinxiang.title in out
    assert "河南·新乡" in out and xinxiang.page in out
    assert "score" in out and "社工站" in out
    assert "\x1b[" not in out  # no styling when not a terminal


def test_cli_bad_file_reported_but_exit_follows_hits(tmp_path: Path) -> None:
    good = SEEDS / "001_15155fc0929d2e77.txt"
    (tmp_path / "good.txt").write_bytes(good.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, err = _run("许昌", str(tmp_path))
    assert code == 0 and "许昌" in out
    assert err.strip() == f"swreader: {tmp_path / 'empty.txt'}: empty file"
    code, _, err = _run("zzzzqqqq", str(tmp_path))
    assert code == 1 and "empty file" in err


def test_readings_match_pypinyin_on_every_seed_character() -> None:
    """The table read without importing pypinyin gives what pypinyin itself gives."""
    from pypinyin import Style, pinyin

    from swreader.core.search.pinyin import MAX_READINGS, readings

    chars = {c for seed in SEEDS.glob("*.txt") for c in seed.read_text("utf-8")}
    checked = 0
    for char in sorted(chars):
        if not ("\u3400" <= char <= "\u9fff"):
            continue
        full = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        first = pinyin(char, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
        syllables = tuple(dict.fromkeys(s.lower() for s in full[0] if s.isalpha()))
        initials = tuple(dict.fromkeys(s.lower() for s in first[0] if s.isalpha()))
        assert readings(char) == (syllables[:MAX_READINGS], initials[:MAX_READINGS]), char
        checked += 1
    assert checked > 1000
