"""The library is a cache: whatever damage it holds is thrown away and rebuilt, never raised.

Each test damages ``library.db`` the way a disk, another program or an old version could,
keeping SQLite itself valid (so :mod:`swreader.core.system.cachedb` does not set the whole
file aside), and checks that the result equals a fresh library's, with at most one notice.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swreader.core.pages.export import article_record
from swreader.core.search.engine import SearchIndex
from swreader.core.search.persist import cached_index, signature
from swreader.core.store import pagecache as lib
from swreader.core.store import parsing
from swreader.core.store.pagecache import PageCache, open_corpus, page_text

from .conftest import SEEDS

QUERIES = ("新乡 社工站", "臨滄", "xuchang", "社工站建没", "乔恒", "社")


def _copy_seeds(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return _copy_seeds(tmp_path / "archive")


def _db(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(home / "library.db", isolation_level=None)


def _close(index: SearchIndex) -> None:
    if index.full is not None:
        index.full.conn.close()


def _fts(db: sqlite3.Connection, prefix: str = "fts_") -> str:
    """The name of the full-text table with ``prefix`` (one index: the seeds')."""
    (name,) = db.execute(
        "SELECT name FROM sqlite_master WHERE name LIKE ? AND sql LIKE 'CREATE VIRTUAL%'",
        (prefix + "%",),
    ).fetchone()
    return str(name)


def _searches(index: SearchIndex) -> dict[str, list[Any]]:
    return {q: index.search(q) for q in QUERIES}


# -- 1. damaged page text ------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        # The check kept, the text behind it not this file's or not a text at all.
        "SET text = (SELECT text FROM pages ORDER BY rowid DESC LIMIT 1)",
        "SET text = substr(text, 1, 12) || randomblob(100)",
        "SET text = substr(text, 1, length(text) - 3) || x'000000'",
    ],
)
def test_damaged_page_text_is_read_again_from_the_file(
    archive: Path, isolated_home: Path, damage: str
) -> None:
    corpus, _ = open_corpus([archive])
    with closing(_db(isolated_home)) as db:
        db.execute(f"UPDATE pages {damage} WHERE rowid = (SELECT min(rowid) FROM pages)")
    page = next(p for p in corpus.pages if p.path.name == _first_stored(isolated_home))
    notices: list[str] = []
    assert page_text(page, notices) == page.path.read_text(encoding="utf-8")
    assert len(notices) == 1 and "damaged" in notices[0]
    # The damaged text was dropped, so the next look is quiet.
    notices.clear()
    assert page_text(page, notices) == page.path.read_text(encoding="utf-8")
    assert notices == []


def _first_stored(home: Path) -> str:
    with closing(_db(home)) as db:
        return Path(db.execute("SELECT path FROM pages ORDER BY rowid LIMIT 1").fetchone()[0]).name


def test_a_text_stored_without_its_check_is_read_from_the_file_quietly(
    archive: Path, isolated_home: Path
) -> None:
    corpus, _ = open_corpus([archive])
    expected = [page_text(p) for p in corpus.pages]
    with closing(_db(isolated_home)) as db:
        # As a version before the check stored it: a plain zlib stream, here of no text.
        db.execute("UPDATE pages SET text = ?", (zlib.compress(b""),))
    notices: list[str] = []
    assert [page_text(p, notices) for p in corpus.pages] == expected and all(expected)
    assert notices == []


# -- 2. content SQLite accepts but is wrong ------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE {fts}_data SET block = x'' WHERE id > 10",
        "UPDATE {fts}_data SET block = randomblob(length(block)) WHERE id > 10",
        "DELETE FROM {fts}_data WHERE id = (SELECT max(id) FROM {fts}_data)",
        "UPDATE {pinyin}_data SET block = substr(block, 1, length(block) - 4) WHERE id > 10",
        "DROP TABLE {fts}",
        "UPDATE indexes SET blob = randomblob(300)",
        "UPDATE indexes SET tables = 'x'",
    ],
)
def test_damaged_search_index_is_rebuilt_with_one_notice(
    archive: Path, isolated_home: Path, damage: str
) -> None:
    corpus, _ = open_corpus([archive])
    fresh = cached_index(corpus)
    expected = _searches(fresh)
    _close(fresh)
    with closing(_db(isolated_home)) as db:
        db.execute(damage.format(fts=_fts(db), pinyin=_fts(db, "pinyin_")))
    notices: list[str] = []
    index = cached_index(corpus, notices)
    assert _searches(index) == expected
    assert len(notices) == 1 and "damaged" in notices[0], notices
    _close(index)
    notices.clear()
    again = cached_index(corpus, notices)  # rebuilt and stored: the next start is quiet
    assert _searches(again) == expected and notices == []
    _close(again)


def test_tables_damaged_under_a_loaded_index_are_found_and_rebuilt(
    archive: Path, isolated_home: Path
) -> None:
    from swreader.core.search.fulltext import FullTextError

    corpus, _ = open_corpus([archive])
    index = cached_index(corpus)
    expected = _searches(index)
    index.verify()
    index.verify(apart=True)  # as the reader checks it (a large one in a process of its own)
    with closing(_db(isolated_home)) as db:
        # FTS5 reads emptied blocks as "no documents", without an error: only the checksum
        # taken at build time tells. The reader verifies it after opening, off the UI thread.
        db.execute(f"UPDATE {_fts(db)}_data SET block = x''")
    with pytest.raises(FullTextError):
        index.verify()
    with pytest.raises(FullTextError):
        index.verify(apart=True)
    assert index.full is not None and index.full.checksum_apart() != index.crc  # read apart
    _close(index)
    notices: list[str] = []
    rebuilt = cached_index(corpus, notices)
    assert _searches(rebuilt) == expected
    assert len(notices) == 1 and "damaged" in notices[0]
    _close(rebuilt)


@pytest.mark.parametrize(
    "blob",
    [
        zlib.compress(os.urandom(200)),
        zlib.compress(b"\x80\x05\x95" + os.urandom(200)),  # a pickle header, then junk
        zlib.compress(pickle.dumps(["not", "a", "page"])),
        b"not zlib at all",
    ],
)
@pytest.mark.parametrize("column", ["head", "blob", "snapshot"])
def test_damaged_page_blob_is_parsed_again(
    archive: Path, isolated_home: Path, blob: bytes, column: str
) -> None:
    corpus, _ = open_corpus([archive])
    expected = [article_record(a) for a in corpus.articles]
    with closing(_db(isolated_home)) as db:
        if column == "snapshot":  # the whole open's headers, read in place of each head
            db.execute("UPDATE heads SET blob = ?", (blob,))
        else:
            db.execute(f"UPDATE pages SET {column} = ?", (blob,))
        if column == "head":
            # A current snapshot serves the headers; page by page (an archive changed
            # since), the damaged heads are met.
            db.execute("DELETE FROM heads")
    again, notices = open_corpus([archive])
    assert [article_record(a) for a in again.articles] == expected
    if column in ("head", "snapshot"):  # found on opening: one line for them all
        assert len(notices) == 1 and "damaged" in notices[0], notices
    else:  # found when the bodies are read: one line a page, each naming it
        assert 1 <= len(notices) <= len(corpus.pages), notices
        assert all("read again from the file" in n for n in notices)
    third, notices = open_corpus([archive])
    assert [article_record(a) for a in third.articles] == expected and notices == []


@pytest.mark.parametrize("column", ["head", "blob"])
def test_a_page_stored_under_another_file_is_parsed_again(
    archive: Path, isolated_home: Path, column: str
) -> None:
    corpus, _ = open_corpus([archive])
    expected = [article_record(a) for a in corpus.articles]
    with closing(_db(isolated_home)) as db:
        db.execute(
            f"UPDATE pages SET {column} = (SELECT {column} FROM pages ORDER BY rowid LIMIT 1)"
        )
        db.execute("DELETE FROM heads")  # read page by page, as after a change (see above)
    again, notices = open_corpus([archive])
    assert [article_record(a) for a in again.articles] == expected
    # The first page's own entry is intact; the others each say they are not of their file.
    assert len(notices) == (1 if column == "head" else len(corpus.pages) - 1), notices


# -- 3. an edit keeping every length -------------------------------------------------------


def test_same_length_edit_changes_the_signature(archive: Path) -> None:
    corpus, _ = open_corpus([archive])
    before = signature(corpus)
    _close(cached_index(corpus))
    page = next(p for p in archive.iterdir() if "乔恒" in p.read_text(encoding="utf-8"))
    page.write_text(page.read_text(encoding="utf-8").replace("乔恒", "张三"), encoding="utf-8")
    stamp = time.time_ns() + 10**9
    os.utime(page, ns=(stamp, stamp))
    corpus, _ = open_corpus([archive])
    assert signature(corpus) != before
    index = cached_index(corpus)
    assert index.search("张三") and not index.search("乔恒")
    hit = index.search("张三")[0]
    snippet, start, end = index.snippet(hit)
    assert snippet[start:end] == "张三"
    _close(index)


# -- 4. file names that are not UTF-8 ------------------------------------------------------


def test_non_utf8_file_name_is_cached_and_found_again(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = archive / os.fsdecode(b"\xff.txt")
    try:
        name.write_bytes((SEEDS / "001_15155fc0929d2e77.txt").read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system does not take non-UTF-8 names")
    corpus, notices = open_corpus([archive])
    assert notices == [] and not corpus.problems
    odd = next(p for p in corpus.pages if p.path == name)
    assert odd.articles
    index = cached_index(corpus)
    assert {h.article_id for h in index.search("许昌")} & {a.id for a in odd.articles}
    _close(index)
    seen: list[Path] = []
    real = parsing.parse_file
    monkeypatch.setattr(parsing, "parse_file", lambda path: seen.append(path) or real(path))
    again, _ = open_corpus([archive])
    assert seen == []  # warm: the odd name was found in the library
    assert len(again.articles) == len(corpus.articles)
    page = next(p for p in again.pages if p.path == name)
    assert page_text(page) == name.read_text(encoding="utf-8")


# -- 5. workers end with their parent; an open stops when asked ---------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended; only reaping is left


def _many_pages(folder: Path, n: int) -> Path:
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(n):
        text = seeds[i % 5].read_text(encoding="utf-8").replace("社会工作", f"社会工作{i}", 1)
        (folder / f"p{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_workers_end_when_their_parent_is_killed(tmp_path: Path, isolated_home: Path) -> None:
    folder = _many_pages(tmp_path / "many", 200)
    env = {**os.environ, "SWREADER_HOME": str(isolated_home)}
    code = (
        "import sys; from pathlib import Path; from swreader.core.store.pagecache import PageCache\n"
        "PageCache().open([Path(sys.argv[1])], workers=2)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], env=env)
    workers: list[int] = []
    deadline = time.time() + 30
    while len(workers) < 2 and time.time() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.01)
    assert len(workers) >= 2, "the pool never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 5
    while any(map(_alive, workers)) and time.time() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # don't leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_an_open_stops_promptly_when_cancelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _many_pages(tmp_path / "many", 400)
    real = parsing.parse_file

    def slow(path: Path):  # type: ignore[no-untyped-def]
        time.sleep(0.05)  # 400 files on 2 workers: ~10 s in all
        return real(path)

    monkeypatch.setattr(parsing, "parse_file", slow)  # forked workers inherit it
    cancel = threading.Event()
    cancelled_at: list[float] = []

    def progress(p: lib.Progress) -> None:
        if not cancel.is_set():
            cancel.set()
            cancelled_at.append(time.perf_counter())

    corpus = PageCache().open([folder], progress, workers=2, cancel=cancel)
    assert time.perf_counter() - cancelled_at[0] < 2.0  # not the ~8 s left
    assert len(corpus.pages) == lib.BATCH
    monkeypatch.setattr(parsing, "parse_file", real)
    rest = PageCache().open([folder])  # carries on: what was parsed is stored
    assert len(rest.pages) == 400 and not rest.problems


# -- 6. any damage at all ------------------------------------------------------------------

COLUMNS = {
    "pages": ("path", "size", "mtime_ns", "parser", "blob", "text"),
    "indexes": ("signature", "saved", "tables", "blob"),
    # The full-text tables' blocks (their other shadow tables have no rowid to pick by).
    "fts_data": ("id", "block"),
    "pinyin_data": ("id", "block"),
}
_values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.binary(max_size=64),
    st.text(max_size=8),
    st.binary(max_size=64).map(zlib.compress),
    st.sampled_from(["<half>", "<swap>", "<not utf-8>", "<other pickle>"]),
)
_edits = st.one_of(
    st.tuples(
        st.just("update"),
        st.sampled_from(sorted(COLUMNS)),
        st.integers(0, 100),
        st.integers(0, 100),
        st.integers(0, 8),
        _values,
    ),
    st.tuples(st.just("delete"), st.sampled_from(sorted(COLUMNS)), st.integers(0, 100)),
    st.tuples(st.just("user_version"), st.integers(0, 10)),
)


def _apply(db: sqlite3.Connection, edit: tuple[Any, ...]) -> None:
    """One edit of the library that keeps it a valid SQLite file."""
    if edit[0] == "user_version":
        db.execute(f"PRAGMA user_version = {edit[1]}")
        return
    table = edit[1]
    if table.endswith("_data"):
        table = _fts(db, table.removesuffix("data")) + "_data"
    rowids = [r for (r,) in db.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
    if not rowids:
        return
    rowid = rowids[edit[2] % len(rowids)]
    if edit[0] == "delete":
        db.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        return
    _, _, _, other, col, value = edit
    column = COLUMNS[edit[1]][col % len(COLUMNS[edit[1]])]
    sql, args = f"UPDATE {table} SET {column} = ? WHERE rowid = ?", [value, rowid]
    if value == "<half>":
        sql = f"UPDATE {table} SET {column} = substr({column}, 1, length({column}) / 2)"
        sql += " WHERE rowid = ?"
        args = [rowid]
    elif value == "<swap>":
        source = rowids[other % len(rowids)]
        sql = f"UPDATE {table} SET {column} = (SELECT {column} FROM {table} WHERE rowid = ?)"
        sql += " WHERE rowid = ?"
        args = [source, rowid]
    elif value == "<not utf-8>":
        sql = f"UPDATE {table} SET {column} = CAST(x'ff41fe' AS TEXT) WHERE rowid = ?"
        args = [rowid]
    elif value == "<other pickle>":
        args = [zlib.compress(pickle.dumps({"a": 1})), rowid]
    # NOT NULL, UNIQUE or a rowid that must be an integer: SQLite refuses, nothing to test.
    with contextlib.suppress(sqlite3.IntegrityError):
        db.execute(sql, args)


def _run(archive: Path) -> tuple[Any, list[str]]:
    """Everything a user sees of the library, and the notices shown on the way."""
    corpus, notices = open_corpus([archive])
    index_notices: list[str] = []
    index = cached_index(corpus, index_notices)
    seen = _Seen(
        (
            [article_record(a) for a in corpus.articles],
            [str(p) for p in corpus.problems],
            _searches(index),
            [page_text(p) for p in corpus.pages],
        )
    )
    assert index.notices == []
    _close(index)
    assert len(notices) <= 1 and len(index_notices) <= 1, (notices, index_notices)
    return seen, notices + index_notices


class _Seen(tuple):  # type: ignore[type-arg]
    """What a run shows; a short repr, so a failing example stays readable."""

    def __repr__(self) -> str:
        return f"<seen: {len(self[0])} articles>"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Any]]:
    """A library built from the seeds, and what a fresh library shows."""
    root = tmp_path_factory.mktemp("pristine")
    archive = _copy_seeds(root / "archive")
    home = root / "home"
    home.mkdir()
    old = os.environ.get("SWREADER_HOME")
    os.environ["SWREADER_HOME"] = str(home)
    try:
        expected, notices = _run(archive)
        assert notices == []
    finally:
        if old is None:
            del os.environ["SWREADER_HOME"]
        else:
            os.environ["SWREADER_HOME"] = old
    with closing(sqlite3.connect(home / "library.db")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    yield archive, home / "library.db", expected


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(_edits, min_size=1, max_size=6))
def test_any_damage_to_the_library_gives_what_a_fresh_one_gives(
    pristine: tuple[Path, Path, Any], edits: list[tuple[Any, ...]]
) -> None:
    archive, library, expected = pristine
    with tempfile.TemporaryDirectory() as home:
        shutil.copy(library, Path(home) / "library.db")
        os.environ["SWREADER_HOME"] = home  # the autouse fixture restores it afterwards
        with closing(_db(Path(home))) as db:
            for edit in edits:
                _apply(db, edit)
        seen, _ = _run(archive)
        assert seen == expected
        seen, notices = _run(archive)  # and the damage is gone for good
        assert seen == expected and notices == []


def test_search_on_a_damaged_index_says_so_once_and_still_finds(
    archive: Path, isolated_home: Path
) -> None:
    from click.testing import CliRunner

    from swreader.cli import cli

    runner = CliRunner()
    first = runner.invoke(cli, ["search", "新乡 社工站", str(archive), "--json"])
    assert first.exit_code == 0
    conn = sqlite3.connect(isolated_home / "library.db")
    with conn:
        conn.execute(f"UPDATE {_fts(conn)}_data SET block = x''")
    conn.close()
    again = runner.invoke(cli, ["search", "新乡 社工站", str(archive), "--json"])
    assert again.exit_code == 0 and again.stdout == first.stdout
    said = [line for line in again.stderr.splitlines() if line.startswith("swreader:")]
    assert len(said) <= 1 and "Traceback" not in again.stderr


def test_an_index_loaded_unverified_is_verified_later_and_forgotten_if_damaged(
    archive: Path, isolated_home: Path
) -> None:
    from swreader.core.search.fulltext import FullTextError
    from swreader.core.search.persist import forget

    corpus, _ = open_corpus([archive])
    expected = _searches(cached_index(corpus))
    with closing(_db(isolated_home)) as db:
        # A block the quick check on loading does not read: only the checksum finds it.
        table = _fts(db, "pinyin_")
        db.execute(
            f"UPDATE {table}_data SET block = zeroblob(length(block))"
            f" WHERE id = (SELECT max(id) FROM {table}_data)"
        )
    notices: list[str] = []
    index = cached_index(corpus, notices, verify=False)  # answering at once, unchecked
    assert notices == []
    with pytest.raises(FullTextError):
        index.verify()
    forget(index)
    _close(index)
    again = cached_index(corpus, notices, verify=False)  # rebuilt quietly: it was said
    assert _searches(again) == expected and notices == []
    again.verify()
    _close(again)
