"""The persistent library: incremental re-indexing, concurrency, recovery, huge files."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from swreader.core.pages.corpus import Corpus
from swreader.core.search.engine import SearchIndex
from swreader.core.search.fulltext import FullTextError
from swreader.core.search.persist import KEEP, cached_index, load_index, signature
from swreader.core.store import pagecache as lib
from swreader.core.store import parsing
from swreader.core.store.pagecache import PageCache, open_corpus

from .conftest import SEEDS


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def _parsed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record which files the library actually parses."""
    seen: list[Path] = []
    real = parsing.parse_file

    def spy(path: Path):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(path)

    monkeypatch.setattr(parsing, "parse_file", spy)
    return seen


def test_second_open_parses_nothing(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _parsed(monkeypatch)
    first = PageCache().open([archive])
    assert len(seen) == 5 and len(first.articles) == 15
    seen.clear()
    again = PageCache().open([archive])
    assert seen == []
    assert [a.id for a in again.articles] == [a.id for a in first.articles]
    original = (archive / again.pages[0].path.name).read_text(encoding="utf-8")
    assert lib.page_text(again.pages[0]) == original  # the original text is kept too


def test_changed_new_and_deleted_files(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    PageCache().open([archive])
    seen = _parsed(monkeypatch)
    changed = archive / "001_15155fc0929d2e77.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("许昌", "许昌市", 1), encoding="utf-8"
    )
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))
    (archive / "new.txt").write_bytes((SEEDS / "003_04a59e7577d1b5e5.txt").read_bytes())
    (archive / "004_f988601a15226abb.txt").unlink()
    corpus = PageCache().open([archive])
    assert sorted(p.name for p in seen) == ["001_15155fc0929d2e77.txt", "new.txt"]
    assert len(corpus.articles) == 15 - 1 + 3
    rows = PageCache().conn.execute("SELECT path FROM pages").fetchall()
    assert not any(r[0].endswith("004_f988601a15226abb.txt") for r in rows)


def test_parser_version_change_reparses(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    PageCache().open([archive])
    seen = _parsed(monkeypatch)
    monkeypatch.setattr(lib, "PARSER_VERSION", lib.PARSER_VERSION + 1)
    PageCache().open([archive])
    assert len(seen) == 5


def test_file_that_vanishes_while_indexing(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = archive / "002_664655d0d197a4ff.txt"
    real = parsing.load_page

    def vanish_first(path: Path):  # type: ignore[no-untyped-def]
        if path == victim and victim.exists():
            victim.unlink()
        return real(path)

    monkeypatch.setattr(parsing, "load_page", vanish_first)
    corpus = PageCache().open([archive])
    problems = dict(corpus.problems)
    assert victim in problems
    assert len(corpus.articles) == 11


def test_file_that_changes_while_indexing_is_read_again(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = archive / "000_eb087be58cc3fb1e.txt"
    real = parsing.load_page
    calls = {"n": 0}

    def grow(path: Path):  # type: ignore[no-untyped-def]
        page = real(path)
        if path == target and calls["n"] == 0:
            calls["n"] += 1
            with target.open("a", encoding="utf-8") as fh:
                fh.write(
                    "\n\n尾声标题新增\n\n这是后来加上的一段正文,共有12个社工站。\n\n(据测试)\n"
                )
        return page

    monkeypatch.setattr(parsing, "load_page", grow)
    corpus = PageCache().open([archive])
    page = next(p for p in corpus.pages if p.path == target)
    assert any(a.title == "尾声标题新增" for a in page.articles)


def test_damaged_library_is_set_aside(archive: Path, isolated_home: Path) -> None:
    (isolated_home / "library.db").write_bytes(b"garbage" * 1000)
    library = PageCache()
    corpus = library.open([archive])
    assert len(corpus.articles) == 15
    assert library.notices and (isolated_home / "library.db.corrupt").exists()


def test_search_index_is_stored_and_reused(archive: Path) -> None:
    corpus, _ = open_corpus([archive])
    first = cached_index(corpus)
    with closing(PageCache()) as library:
        stored = load_index(library.conn, signature(corpus), corpus)
        assert isinstance(stored, SearchIndex) and stored is not first
        for query in ("新乡 社工站", "臨滄", "xuchang", "社工站建没"):
            assert stored.search(query) == first.search(query), query
        assert stored.search("新乡 社工站")


def test_a_loaded_index_reads_its_tables_in_place(archive: Path) -> None:
    corpus, _ = open_corpus([archive])
    first = cached_index(corpus)
    with closing(PageCache()) as library:
        stored = load_index(library.conn, signature(corpus), corpus)
    assert stored is not None and stored.key == first.key
    assert stored.crc == first.crc
    # Only the numbering is kept in the blob: a few bytes per article.
    assert list(stored.order) == list(first.order) and stored.documents == first.documents


@pytest.mark.parametrize("damage", ["order", "starts"])
def test_verify_finds_a_numbering_that_does_not_fit_the_articles(
    archive: Path, damage: str
) -> None:
    """A warm start checks only the numbering's sizes before search answers; verify the rest."""
    corpus, _ = open_corpus([archive])
    cached_index(corpus)
    with closing(PageCache()) as library:
        stored = load_index(library.conn, signature(corpus), corpus, verify=False)
        assert stored is not None
        stored.verify()  # as stored: it fits
        if damage == "order":
            stored.order[0], stored.order[1] = stored.order[1], stored.order[0]
        else:  # one paragraph moved from one article to the next, the total unchanged
            stored.starts[1] += 1
        with pytest.raises(FullTextError, match=r"otherwise|other paragraphs"):
            stored.verify()


def test_an_index_whose_tables_are_gone_is_rebuilt(archive: Path) -> None:
    corpus, _ = open_corpus([archive])
    index = cached_index(corpus)
    with closing(PageCache()) as library, library.conn:
        library.conn.execute(f"DROP TABLE fts_{index.key}")
    with closing(PageCache()) as library:
        assert load_index(library.conn, signature(corpus), corpus) is None
    rebuilt = cached_index(corpus)
    assert rebuilt.search("新乡 社工站")


def test_only_the_newest_indexes_are_kept(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from swreader.core.search import fulltext
    from swreader.core.search import persist as indexstore

    monkeypatch.setattr(indexstore, "_ORPHAN_AGE_S", -1.0)  # no other process to spare
    corpus, _ = open_corpus([archive])
    subsets = []
    for n in range(KEEP + 2):
        sub = Corpus(corpus.pages[n : n + 1])
        subsets.append(sub)
        cached_index(sub)
        time.sleep(0.002)
    with closing(PageCache()) as library:
        rows = library.conn.execute("SELECT signature, tables FROM indexes").fetchall()
        keys = set(fulltext.tables(library.conn))
    assert {s for s, _ in rows} == {signature(s) for s in subsets[-KEEP:]}
    assert keys == {k for _, k in rows}


def test_tables_gone_under_a_running_index_are_searched_in_memory(archive: Path) -> None:
    corpus, _ = open_corpus([archive])
    index = cached_index(corpus)
    expected = index.search("新乡 社工站")
    with closing(PageCache()) as library, library.conn:
        # As another process's pruning would.
        library.conn.execute(f"DROP TABLE fts_{index.key}")
    assert index.search("新乡 社工站") == expected
    assert len(index.notices) == 1 and "unreadable" in index.notices[0]
    assert index.search("新乡 社工站") == expected and len(index.notices) == 1


def _writer(home: str, folder: str, rounds: int) -> int:
    os.environ["SWREADER_HOME"] = home
    total = 0
    for _ in range(rounds):
        corpus, _ = open_corpus([Path(folder)])
        # Both processes build or load the same index at once; each must keep working.
        index = cached_index(corpus)
        if index.search("新乡 社工站"):
            total += len(corpus.articles)
    return total


def test_two_processes_on_one_library(archive: Path, isolated_home: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_writer, [(str(isolated_home), str(archive), 4)] * 2)
    assert results == [60, 60]
    conn = sqlite3.connect(isolated_home / "library.db")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM pages").fetchone() == (5,)


def test_killed_mid_index_recovers(tmp_path: Path, isolated_home: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for n in range(400):
        text = seeds[n % 5].read_text(encoding="utf-8").replace("社会工作", f"社会工作{n}", 1)
        (folder / f"p{n:04d}.txt").write_text(text, encoding="utf-8")
    env = {**os.environ, "SWREADER_HOME": str(isolated_home)}
    code = (
        "import sys; from pathlib import Path; from swreader.core.store.pagecache import PageCache\n"
        "PageCache().open([Path(sys.argv[1])], workers=1)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], env=env)
    db = isolated_home / "library.db"
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.2)
        try:
            done = (
                sqlite3.connect(db, timeout=5).execute("SELECT count(*) FROM pages").fetchone()[0]
            )
        except sqlite3.Error:
            continue
        if done >= 64:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert 0 < stored < 400
    corpus = PageCache().open([folder])
    assert len(corpus.pages) == 400 and not corpus.problems
    assert conn.execute("SELECT count(*) FROM pages").fetchone() == (400,)


def test_huge_file_and_one_enormous_line(tmp_path: Path) -> None:
    folder = tmp_path / "huge"
    folder.mkdir()
    seed = (SEEDS / "001_15155fc0929d2e77.txt").read_text(encoding="utf-8")
    big = folder / "big.txt"
    with big.open("w", encoding="utf-8") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(seed)
    line = folder / "line.txt"
    line.write_text("社会工作服务站建设" * 200_000 + "。", encoding="utf-8")
    corpus = PageCache().open([folder])
    pages = {p.path.name: p for p in corpus.pages}
    assert pages["big.txt"].error is None and len(pages["big.txt"].articles) > 1000
    assert pages["line.txt"].error is None and pages["line.txt"].articles


def test_figures_are_found_on_first_use_not_stored(archive: Path) -> None:
    for _ in range(2):  # cold, then warm from the library
        corpus, _ = open_corpus([archive])
        assert all(a.found_figures is None for a in corpus.articles)
    article = max(corpus.articles, key=lambda a: len(a.paragraphs))
    figures = article.figures
    assert figures and article.found_figures is figures
    assert all(article.paragraphs[f.paragraph].text[f.start : f.end] == f.text for f in figures)
