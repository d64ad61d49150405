"""The stored figures: equal to ``figure_rows``, filtered in SQL, pruned, and rebuilt when damaged.

Every test has its own ``SWREADER_HOME`` (the autouse fixture of ``conftest.py``), so
:func:`cached_figures` starts from an empty library.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest

from swreader.core.pages.corpus import Corpus, bundled_seeds
from swreader.core.pages.figtable import CSV_COLUMNS, FigureRow, figure_rows, filter_rows
from swreader.core.store import figurework
from swreader.core.store.figurepages import ORDERS, FigureQuery, MemorySource, StoreSource
from swreader.core.store.figurestore import KEEP, DamagedFigures, FigureStore, cached_figures
from swreader.core.store.pagecache import open_corpus
from swreader.core.system.paths import library_path
from swreader.core.text.fold import normalise

SIG = "seeds"


@pytest.fixture(scope="module")
def expected(corpus: Corpus) -> list[FigureRow]:
    return [row for article in corpus.articles for row in figure_rows(article)]


@pytest.fixture
def store(corpus: Corpus) -> FigureStore:
    return cached_figures(corpus, SIG)


def library() -> sqlite3.Connection:
    return sqlite3.connect(library_path())


# --- what is stored ----------------------------------------------------------------------------


def test_stored_rows_equal_figure_rows(store: FigureStore, expected: list[FigureRow]) -> None:
    rows = store.rows(SIG)
    assert rows == expected and len(rows) > 80
    # The same types as computed, not just equal values: CSV and JSON write them by type.
    for got, want in zip(rows, expected, strict=True):
        for name in CSV_COLUMNS:
            assert type(getattr(got, name)) is type(getattr(want, name)), name
    assert store.has(SIG) and not store.has("other")
    assert store.count(SIG) == len(expected)


def test_a_second_call_reads_the_store(
    corpus: Corpus, store: FigureStore, expected: list[FigureRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(article: object) -> list[FigureRow]:
        raise AssertionError("computed again")

    monkeypatch.setattr(figurework, "figure_rows", boom)
    notices: list[str] = []
    assert cached_figures(corpus, SIG, notices).rows(SIG) == expected
    assert notices == []


def test_workers_compute_the_same_rows_and_leave_headers_as_they_were(
    monkeypatch: pytest.MonkeyPatch, expected: list[FigureRow]
) -> None:
    open_corpus([bundled_seeds()])  # parsed into the library
    warm, _ = open_corpus([bundled_seeds()])  # headers: bodies read on first use
    assert not any(a.body_loaded for a in warm.articles)
    monkeypatch.setattr(figurework, "PARALLEL_FROM", 1)
    monkeypatch.setattr(figurework, "CHUNK", 4)  # several chunks, in order
    seen: list[tuple[int, int]] = []
    store = FigureStore(sqlite3.connect(":memory:", check_same_thread=False))
    assert store.build(warm, SIG, lambda done, total: seen.append((done, total)), workers=2)
    assert store.rows(SIG) == expected
    assert not any(a.body_loaded for a in warm.articles)  # read in the workers
    assert len(seen) > 1 and seen[-1] == (len(warm.articles), len(warm.articles))


# --- filters and order -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        {"subject": "社工站"},
        {"subject": "服務機構"},  # traditional query, simplified pages (and the other way)
        {"subject": "持證社會工作"},
        {"subject": "持证社会工作"},
        {"kind": "money"},
        {"kind": "count"},
        {"region": "河南"},
        {"region": "河南省"},
        {"region": "新乡"},
        {"region": "雄安新區"},
        {"region": "火星"},
        {"subject": "社工站", "kind": "count", "region": "河南"},
    ],
)
def test_filters_match_filter_rows(
    store: FigureStore, expected: list[FigureRow], filters: dict[str, str]
) -> None:
    want = filter_rows(expected, **filters)
    assert store.rows(SIG, **filters) == want
    assert store.count(SIG, **filters) == len(want)


def test_subject_in_the_other_script(store: FigureStore) -> None:
    traditional = store.rows(SIG, subject="持證社會工作")
    assert {r.text for r in traditional} == {"30人", "550人"}
    assert store.rows(SIG, subject="持证社会工作") == traditional
    assert {r.text for r in store.rows(SIG, subject="社工站")} >= {"118个", "106个", "35個"}


def test_region_by_province_or_city(store: FigureStore) -> None:
    henan = store.rows(SIG, region="河南")
    assert henan and {r.province for r in henan} == {"河南"}
    assert {r.city for r in store.rows(SIG, region="新乡")} == {"新乡"}
    assert store.rows(SIG, region="雄安新區") == store.rows(SIG, region="雄安新区") != []


def test_article_ids(store: FigureStore, expected: list[FigureRow]) -> None:
    ids = sorted({r.article_id for r in expected})
    some = set(ids[::3])
    assert store.rows(SIG, article_ids=some) == [r for r in expected if r.article_id in some]
    assert store.rows(SIG, article_ids=ids) == expected  # every one, as a large selection
    # Counted by a scan, and (no filter) the number the set's entry keeps: the same.
    assert store.count(SIG, article_ids=ids) == store.count(SIG) == len(expected)
    assert store.rows(SIG, article_ids=[]) == []
    assert store.rows(SIG, article_ids=["no-such-id"]) == []
    both = store.rows(SIG, article_ids=some, kind="count", region="河南")
    assert both == [
        r for r in filter_rows(expected, kind="count", region="河南") if r.article_id in some
    ]


def test_order_limit_and_offset(store: FigureStore, expected: list[FigureRow]) -> None:
    by_value = store.rows(SIG, order_by="value", descending=True)
    values = [r.value for r in by_value]
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=True)
    assert values[len(known) :] == [None] * (len(values) - len(known))  # empty values last
    assert sorted(by_value, key=expected.index) == expected
    ascending = [r.value for r in store.rows(SIG, order_by="value") if r.value is not None]
    assert ascending == sorted(ascending)
    dates = [r.date for r in store.rows(SIG, order_by="date")]
    assert [d for d in dates if d] == sorted(d for d in dates if d) and dates[-1] is None
    regions = [r.region for r in store.rows(SIG, order_by="region", kind="count")]
    assert regions[-1] == "" or all(regions)
    for name in CSV_COLUMNS:  # every column can be sorted on
        assert len(store.rows(SIG, order_by=name, descending=True)) == len(expected)
    with pytest.raises(ValueError, match="cannot order by"):
        store.rows(SIG, order_by="value; DROP TABLE figures")
    assert store.rows(SIG, limit=5) == expected[:5]
    assert store.rows(SIG, limit=5, offset=10) == expected[10:15]
    assert store.rows(SIG, offset=len(expected) - 2) == expected[-2:]


@pytest.mark.parametrize(
    "query",
    [FigureQuery(), FigureQuery(kind="count"), FigureQuery("社工站"), FigureQuery(region="河南")],
)
def test_a_page_in_memory_is_the_page_of_the_store(
    store: FigureStore, expected: list[FigureRow], query: FigureQuery
) -> None:
    memory, stored = MemorySource(lambda: expected), StoreSource(store, SIG)
    assert memory.count(query) == stored.count(query) > 0
    for order_by in (None, *ORDERS):
        for descending in (False, True):
            for offset, limit in ((0, 7), (5, 20), (0, -1)):
                args = (query, order_by, descending, offset, limit)
                assert memory.page(*args) == stored.page(*args), args
    for subject in ("社工站", "持證社會工作"):
        chart = memory.all_for_chart(subject, "count", None)
        assert chart == stored.all_for_chart(subject, "count", None) != []
    with pytest.raises(ValueError, match="cannot order by"):
        memory.page(query, "low", False, 0, 5)  # the store sorts by it, the view does not
    with pytest.raises(ValueError, match="cannot order by"):
        stored.page(query, "low", False, 0, 5)


def test_a_source_of_some_articles(store: FigureStore, expected: list[FigureRow]) -> None:
    some = {r.article_id for r in expected[::17]}
    mine = [r for r in expected if r.article_id in some]
    memory, stored = MemorySource(lambda: mine), StoreSource(store, SIG, some)
    assert memory.count(FigureQuery()) == stored.count(FigureQuery()) == len(mine)
    args = (FigureQuery(), "value", True, 2, 9)
    assert memory.page(*args) == stored.page(*args) != []


def test_subjects_most_common_first(store: FigureStore, expected: list[FigureRow]) -> None:
    subjects = store.subjects(SIG)
    counts = Counter(normalise(r.subject)[0] for r in expected if r.subject)
    assert {normalise(s)[0]: n for s, n in subjects} == dict(counts)
    assert [n for _, n in subjects] == sorted((n for _, n in subjects), reverse=True)
    money = store.subjects(SIG, kind="money")
    assert money and sum(n for _, n in money) == sum(
        1 for r in expected if r.kind == "money" and r.subject
    )


def test_an_unknown_set_is_a_key_error(store: FigureStore) -> None:
    for call in (store.rows, store.count, store.subjects):
        with pytest.raises(KeyError):
            call("no-such-set")


# --- keeping, damage, failure ------------------------------------------------------------------


def test_the_newest_sets_are_kept(corpus: Corpus) -> None:
    store = cached_figures(corpus, "a")
    for sig in ("b", "c"):
        store.build(corpus, sig)
    assert [store.has(s) for s in ("a", "b", "c")] == [False, True, True]
    with library() as conn:
        sets = {n for (n,) in conn.execute("SELECT DISTINCT set_id FROM figures")}
        assert len(sets) == KEEP
        assert sets == {n for (n,) in conn.execute("SELECT DISTINCT set_id FROM figure_articles")}
    store.build(corpus, "b")  # built again: the newest, and still one set of that name
    assert [store.has(s) for s in ("b", "c")] == [True, True]
    assert store.rows("b") == store.rows("c")


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE figures SET value = 'x' WHERE seq = (SELECT max(seq) FROM figures)",
        "UPDATE figures SET value = 'x'",
        "UPDATE figures SET paragraph = 2.5",
        "UPDATE figures SET subject = x'00ff'",
        "UPDATE figure_articles SET title = x'01'",  # (7 would be stored as the text '7')
        "UPDATE figure_articles SET article = article + 1000",
        "DELETE FROM figures WHERE seq % 7 = 3",
        "DELETE FROM figure_articles",
        "UPDATE figure_sets SET figures = 'many'",
        "DROP TABLE figures; CREATE TABLE figures (x)",
    ],
)
def test_damage_is_rebuilt_with_one_notice(
    corpus: Corpus, expected: list[FigureRow], damage: str
) -> None:
    cached_figures(corpus, SIG).conn.close()
    with library() as conn:
        conn.executescript(damage)
    notices: list[str] = []
    store = cached_figures(corpus, SIG, notices)
    assert len(notices) == 1 and "damaged" in notices[0], notices
    assert store.rows(SIG) == expected
    notices.clear()
    assert cached_figures(corpus, SIG, notices).rows(SIG) == expected and notices == []


def test_unchecked_damage_is_raised_by_rows_not_returned(corpus: Corpus) -> None:
    cached_figures(corpus, SIG).conn.close()
    with library() as conn:
        first = conn.execute("SELECT min(seq) FROM figures").fetchone()[0]
        conn.execute("UPDATE figures SET start = 'x' WHERE seq = ?", (first,))
        conn.execute("UPDATE figures SET text = CAST(x'ff' AS TEXT) WHERE seq = ?", (first + 1,))
    store = cached_figures(corpus, SIG, verify=False)  # a view that opens at once
    with pytest.raises(DamagedFigures):
        store.rows(SIG, limit=1)
    with pytest.raises(DamagedFigures):
        store.rows(SIG, offset=1, limit=1)  # text that is not UTF-8
    assert store.check(SIG)  # the type damage, found by the full check
    store.forget(SIG)
    assert not store.has(SIG)


def test_a_failed_build_leaves_no_set(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    store = cached_figures(corpus, "before")
    calls = 0
    real = figurework.figure_rows

    def failing(article: object) -> list[FigureRow]:
        nonlocal calls
        calls += 1
        if calls > len(corpus.articles) // 2:
            raise RuntimeError("killed")
        return real(article)  # type: ignore[arg-type]

    monkeypatch.setattr(figurework, "CHUNK", 2)  # some chunks are staged before it fails
    monkeypatch.setattr(figurework, "figure_rows", failing)
    with pytest.raises(RuntimeError, match="killed"):
        store.build(corpus, SIG)
    assert not store.has(SIG) and store.has("before")
    with library() as conn:
        assert conn.execute("SELECT count(DISTINCT set_id) FROM figures").fetchone() == (1,)
    monkeypatch.setattr(figurework, "figure_rows", real)
    assert store.build(corpus, SIG) and store.rows(SIG) == store.rows("before")


def test_a_cancelled_build_stores_nothing(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figurework, "CHUNK", 2)
    cancel = threading.Event()
    store = cached_figures(corpus, SIG, progress=lambda done, total: cancel.set(), cancel=cancel)
    assert not store.has(SIG)
    with library() as conn:
        assert conn.execute("SELECT count(*) FROM figures").fetchone() == (0,)


def test_an_unusable_library_gives_a_store_in_memory(
    corpus: Corpus, expected: list[FigureRow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWREADER_HOME", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("not a folder")
    notices: list[str] = []
    assert cached_figures(corpus, SIG, notices).rows(SIG) == expected
    assert len(notices) == 1 and "in memory" in notices[0]
