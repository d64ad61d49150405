"""Complete and steady results: every article holding a term, whatever the archive's size.

The old engine checked at most 3,000 documents per term, titles first, so hits only ever
came from the start of the archive; these tests hold more than that.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from swreader.core.pages.model import Article, Kind, Paragraph
from swreader.core.search.engine import SearchIndex
from swreader.core.search.tokens import searchable, term_query

N = 4_000  # more than the old cap
_FILLER = "本市召开会议部署年度重点任务各部门负责同志参加会议并作发言"


def _article(n: int, text: str, day: str | None = None, title: str | None = None) -> Article:
    return Article(
        id=f"a{n:05d}",
        page=f"p{n}",
        path=f"p{n}.txt",
        title=title or f"第{n}号通知",
        date=day,
        paragraphs=[Paragraph(Kind.BODY, text), Paragraph(Kind.BODY, _FILLER)],
    )


@pytest.fixture(scope="module")
def archive() -> list[Article]:
    rng = random.Random(7)
    articles = []
    for n in range(N):
        # Later files are newer; one in five is undated.
        day = (date(2010, 1, 1) + timedelta(days=n)).isoformat() if n % 5 else None
        if n % 2 == 0:
            text = f"社区开展儿童关爱活动,共有{n}名志愿者参与"  # both terms, one paragraph
        elif n % 3 == 0:
            text = "乡镇(街道)社工站建成后服务群众" + "。" * rng.randint(0, 3)
        else:
            text = "老年人助餐服务点运行平稳"
        articles.append(_article(n, text, day))
    return articles


@pytest.fixture(scope="module")
def index(archive: list[Article]) -> SearchIndex:
    return SearchIndex(archive, workers=1)


def _truth(archive: list[Article], *terms: str) -> set[str]:
    """Ids of the articles with one document holding every term (a brute-force scan)."""
    found = set()
    for a in archive:
        for text in [a.title, *(p.text for p in a.paragraphs)]:
            s = searchable(text)
            if all(searchable(t) in s for t in terms):
                found.add(a.id)
    return found


@pytest.mark.parametrize(
    "query", ["儿童关爱", "儿童 关爱", "志愿者", "社工站", "乡镇街道社工站", "助餐", "会议"]
)
def test_no_limit_returns_every_article_holding_the_terms(
    index: SearchIndex, archive: list[Article], query: str
) -> None:
    hits = index.search(query, limit=None)
    truth = _truth(archive, *query.split())
    assert len(truth) > 1_000 or query in ("乡镇街道社工站", "社工站", "助餐")
    assert {h.article_id for h in hits} == truth
    assert len({(h.article_id, h.paragraph) for h in hits}) == len(hits)


def test_a_limit_cuts_the_ranked_list_and_nothing_else(index: SearchIndex) -> None:
    everything = index.search("志愿者", limit=None)
    for limit in (1, 50, 2_500):
        assert index.search("志愿者", limit=limit) == everything[:limit]


def test_the_newest_articles_come_first_from_the_whole_archive(
    index: SearchIndex, archive: list[Article]
) -> None:
    hits = index.search("志愿者", limit=50)
    newest = max(a.date or "" for a in archive if "志愿者" in a.paragraphs[0].text)
    assert index.article(hits[0].article_id).date == newest
    # From all over the archive, not only its first files.
    assert max(int(h.article_id[1:]) for h in hits) > N * 0.9
    dates = [index.article(h.article_id).date or "" for h in hits]
    assert dates == sorted(dates, reverse=True)


def test_punctuation_inside_a_term_does_not_matter(index: SearchIndex) -> None:
    with_marks = index.search("乡镇(街道)社工站", limit=None)
    without = index.search("乡镇街道社工站", limit=None)
    assert without and with_marks == without
    hit = without[0]
    text = index.text_of(hit)
    assert text[hit.start : hit.end] == "乡镇(街道)社工站"


def test_two_terms_in_different_paragraphs_still_find_the_article() -> None:
    articles = [
        _article(0, "儿童关爱服务站挂牌", "2024-01-01"),
        _article(1, "社区网格员入户走访", "2024-01-02"),
    ]
    articles[0].paragraphs.append(Paragraph(Kind.BODY, "网格员参与走访"))
    hits = SearchIndex(articles).search("儿童 网格员", limit=None)
    assert {h.article_id for h in hits} == {"a00000"}
    assert {h.paragraph for h in hits} == {0, 2}


def _prefixes(query: str) -> list[str]:
    return [query[:k] for k in range(1, len(query) + 1)]


@pytest.mark.parametrize("query", ["许昌社会工作", "乡镇街道社工站建设", "临沧市社会工作联合会"])
def test_typing_never_drops_to_nothing_on_the_way_to_a_match(query: str) -> None:
    # 许昌市 in the text, 许昌 typed: the prefix 许昌社 occurs nowhere as typed.
    texts = ["许昌市社会工作协会召开年会", "乡镇(街道)社工站建设提速", "临沧市社会工作联合会成立"]
    articles = [_article(n, t, "2024-03-01") for n, t in enumerate(texts)]
    articles += [_article(10 + n, _FILLER) for n in range(20)]
    index = SearchIndex(articles)
    assert index.search(query)
    for prefix in _prefixes(query):
        assert index.search(prefix), prefix


def test_a_one_character_query_reaches_paragraphs_beyond_the_titles() -> None:
    articles = [_article(n, _FILLER, title="通知") for n in range(30)]
    articles.append(_article(99, "鄂西山区的留守老人", "2020-01-01"))
    hits = SearchIndex(articles).search("鄂")
    assert [(h.article_id, h.paragraph) for h in hits] == [("a00099", 0)]


def test_tokenising_in_worker_processes_builds_the_same_index(
    monkeypatch: pytest.MonkeyPatch, archive: list[Article]
) -> None:
    from swreader.core.search import fulltext

    monkeypatch.setattr(fulltext, "PARALLEL_FROM", 1)
    monkeypatch.setattr(fulltext, "CHUNK", 500)  # many chunks, a few in flight at a time
    parallel = SearchIndex(archive[:1_000], workers=2)
    alone = SearchIndex(archive[:1_000], workers=1)
    assert parallel.crc == alone.crc
    for query in ("志愿者", "社工站", "儿童 关爱"):
        assert parallel.search(query, limit=None) == alone.search(query, limit=None)


def _varied(n: int) -> list[Article]:
    """Articles of 0 to 4 paragraphs, subheads among them, so halves split inside articles."""
    rng = random.Random(11)
    texts = ["社区开展儿童关爱活动", "乡镇(街道)社工站建成", "老年人助餐服务点运行平稳", _FILLER]
    articles = []
    for k in range(n):
        paragraphs = [Paragraph(Kind.BODY, f"{rng.choice(texts)}第{k}次") for _ in range(k % 5)]
        if k % 7 == 3 and paragraphs:
            paragraphs.insert(0, Paragraph(Kind.SUBHEAD, "留守儿童暑期托管"))
        day = (date(2015, 1, 1) + timedelta(days=k)).isoformat()
        articles.append(
            Article(
                id=f"v{k:04d}",
                page="p",
                path="p",
                title=f"第{k}期简报",
                date=day,
                paragraphs=paragraphs,
            )
        )
    return articles


def test_a_large_build_fills_its_pair_table_in_two_halves(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from swreader.core.search import fulltext

    monkeypatch.setattr(fulltext, "PARALLEL_FROM", 1)
    monkeypatch.setattr(fulltext, "HALVES_FROM", 1)
    monkeypatch.setattr(fulltext, "CHUNK", 97)  # chunks end anywhere, halves too
    articles = _varied(700)
    conn = sqlite3.connect(tmp_path / "library.db", check_same_thread=False)
    halved = SearchIndex(articles, conn, "k1", workers=2)
    alone = SearchIndex(articles, workers=1)  # in memory: one table
    assert halved.full is not None and alone.full is not None
    assert halved.full.pairs == ("fts_k1", "ftsb_k1")
    assert alone.full.pairs == ("fts_mem",)
    assert not list(tmp_path.glob("library.db-half-*"))  # the scratch file is gone
    # The documents a half starts from are those of the whole, from any document on.
    everything = list(alone._documents())
    assert len(everything) == alone.documents
    for start in (0, 1, 699, 700, 701, 1_000, alone.documents // 2, alone.documents - 1):
        assert list(alone._documents(start)) == everything[start:]
        assert list(alone._documents(start, start + 5)) == everything[start : start + 5]
    assert halved.titles == alone.titles
    for query in (
        "儿童关爱",
        "社工站",
        "第699期",
        "留守儿童",
        "liushou",
        "liushouertong",
        "简报 助餐",
    ):
        found = halved.search(query, limit=None)
        assert found == alone.search(query, limit=None), query
        assert found, query
    # The later half's subheads are in the pinyin table; its rows answer after the first's.
    late = [h for h in halved.search("liushou", limit=None) if h.article_id < "v0350"]
    assert late
    rows = list(halved.rows(term_query(searchable("儿童关爱"))))
    assert rows == sorted(rows) and rows[-1] >= alone.documents // 2
    # Read back on a connection of its own, the two tables check out as built.
    again = sqlite3.connect(tmp_path / "library.db")
    assert fulltext.FullText(again, "k1").checksum() == halved.crc
    fulltext.FullText(again, "k1").drop()
    assert fulltext.tables(again) == []
    assert again.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def test_a_build_merges_only_once_and_leaves_one_segment_per_table(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Filled without FTS5's merging as it goes (``automerge=0``), then optimised once."""
    from swreader.core.search import fulltext, halves

    monkeypatch.setattr(fulltext, "PARALLEL_FROM", 1)
    monkeypatch.setattr(fulltext, "HALVES_FROM", 1)
    monkeypatch.setattr(halves, "HASH_SIZE", 4096)  # many segments written while filling
    conn = sqlite3.connect(tmp_path / "library.db", check_same_thread=False)
    index = SearchIndex(_varied(400), conn, "k2", workers=2)
    for table in ("fts_k2", "ftsb_k2", "pinyin_k2"):
        automerge = conn.execute(f"SELECT v FROM {table}_config WHERE k = 'automerge'")
        assert automerge.fetchall() == [(0,)], table
        # One segment: every term's index rows are in segment 1's b-tree and no other.
        segments = conn.execute(f"SELECT DISTINCT segid FROM {table}_idx").fetchall()
        assert len(segments) == 1, table
    assert index.search("儿童关爱", limit=None)


@pytest.mark.parametrize(
    "text",
    ["社会_工作 站", "乡镇(街道)社工站", "3,000元 占70%", "__", "a_b-c", "℃ ¥5 $3 ‰", ""],
)
def test_searchable_is_the_text_searchable_map_maps(text: str) -> None:
    from swreader.core.search.tokens import searchable_map, strip
    from swreader.core.text.fold import fold

    assert searchable(text) == searchable_map(text)[0] == strip(fold(text))
    assert "_" not in searchable(text)
