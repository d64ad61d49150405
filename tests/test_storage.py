"""The state store: round trips, relaunches, and survival of corrupt, locked, read-only files."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from swreader.core.store import salvage
from swreader.core.store import userstate as storage
from swreader.core.store.userstate import (
    LOCKED_NOTICE,
    MAX_QUERIES,
    Bookmark,
    Position,
    StateStore,
)
from swreader.core.system import paths
from swreader.core.system.paths import data_dir, state_path


@pytest.fixture
def db_path(isolated_home: Path) -> Path:
    """The state file inside this test's SWREADER_HOME."""
    return isolated_home / "state.db"


def seed(path: Path) -> list[Bookmark]:
    """A state file with two bookmarks, two read marks and a setting; its bookmarks."""
    with StateStore(path) as store:
        assert store.persistent and store.notices == []
        store.toggle_bookmark("a-1", 3, "社会工作者职业水平评价")
        store.toggle_bookmark("b-2", 7, "社区治理新探索")
        store.mark_read("a-1")
        store.mark_read("c-3")
        store.set_setting("theme", "dark")
        return store.bookmarks()


def moved_files(path: Path) -> list[Path]:
    """The files a corrupt state file was moved to (without their -wal/-shm companions)."""
    return [p for p in path.parent.glob(f"{path.name}.corrupt-*") if p.name[-1].isdigit()]


@pytest.fixture
def hold_lock(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Another 'process' holding the write lock on the state file until the test ends."""
    holder = sqlite3.connect(db_path, isolation_level=None)
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


# -- locations -------------------------------------------------------------------------------


def test_swreader_home_is_respected(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert data_dir() == isolated_home
    assert state_path() == isolated_home / "state.db"
    with StateStore() as store:
        store.set_setting("script", "s2t")
        assert store.persistent and store.path == isolated_home / "state.db"
    assert (isolated_home / "state.db").is_file()
    nested = isolated_home / "deep" / "er"
    monkeypatch.setenv("SWREADER_HOME", str(nested))
    assert data_dir() == nested and nested.is_dir()


def test_without_override_the_platform_dir_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SWREADER_HOME")
    monkeypatch.setattr(paths.platformdirs, "user_data_path", lambda app: tmp_path / app)
    assert data_dir() == tmp_path / "swreader" and data_dir().is_dir()


# -- round trips -----------------------------------------------------------------------------


def test_settings_round_trip(db_path: Path) -> None:
    with StateStore(db_path) as store:
        assert store.get_setting("script") is None
        assert store.get_setting("script", "original") == "original"
        store.set_setting("script", "s2t")
        store.set_setting("theme", "light")
        store.set_setting("theme", "dark")
        assert store.get_setting("theme") == "dark"
    with StateStore(db_path) as store:
        assert (store.get_setting("script"), store.get_setting("theme")) == ("s2t", "dark")


def test_position_survives_relaunch(db_path: Path) -> None:
    with StateStore(db_path) as store:
        assert store.last_position() is None
        store.save_position(Position("a-1", 4, 17))
        store.save_position(Position("b-2", 2, 5))
        store.save_position(Position("a-1", 6, 0))
        assert store.last_position() == Position("a-1", 6, 0)
    with StateStore(db_path) as store:
        assert store.last_position() == Position("a-1", 6, 0)
        assert store.position_for("b-2") == Position("b-2", 2, 5)
        assert store.position_for("nope") is None


def test_read_marks(db_path: Path) -> None:
    with StateStore(db_path) as store:
        assert not store.is_read("a-1") and store.read_ids() == set()
        store.mark_read("a-1")
        store.mark_read("a-1")
        store.mark_read("b-2")
        assert store.is_read("a-1") and not store.is_read("c-3")
    with StateStore(db_path) as store:
        assert store.read_ids() == {"a-1", "b-2"}


def test_toggling_a_bookmark_twice_removes_it(db_path: Path) -> None:
    with StateStore(db_path) as store:
        assert store.toggle_bookmark("a-1", 3, "标题") is True
        assert store.is_bookmarked("a-1")
        assert store.toggle_bookmark("a-1", 3, "标题") is False
        assert not store.is_bookmarked("a-1") and store.bookmarks() == []


def test_bookmarks_newest_first_and_survive_relaunch(db_path: Path) -> None:
    with StateStore(db_path) as store:
        for n in range(5):
            store.toggle_bookmark(f"id-{n}", n, f"标题 {n}")
        store.toggle_bookmark("id-2", 2, "标题 2")  # removed
        marks = store.bookmarks()
    assert [m.article_id for m in marks] == ["id-4", "id-3", "id-1", "id-0"]
    assert marks[0].paragraph == 4 and marks[0].title == "标题 4"
    assert marks[0].created >= marks[-1].created
    with StateStore(db_path) as store:
        assert store.bookmarks() == marks


def test_recent_queries_dedupe_limit_and_order(db_path: Path) -> None:
    with StateStore(db_path) as store:
        for q in ["社工", "养老", "社工", "  ", "儿童 "]:
            store.add_query(q)
        assert store.recent_queries() == ["儿童", "社工", "养老"]
        assert store.recent_queries(limit=1) == ["儿童"]
        for n in range(MAX_QUERIES + 10):
            store.add_query(f"q{n}")
        assert len(store.recent_queries()) == 20
        assert len(store.recent_queries(limit=1000)) == MAX_QUERIES
    with StateStore(db_path) as store:
        latest = store.recent_queries(limit=1000)
    assert latest[0] == f"q{MAX_QUERIES + 9}" and latest[-1] == "q10"


def test_usable_from_several_threads(db_path: Path) -> None:
    with StateStore(db_path) as store:

        def work(tag: int) -> None:
            for n in range(50):
                store.mark_read(f"{tag}-{n}")
                store.is_read(f"{tag}-{n}")

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(store.read_ids()) == 200 and store.notices == []


# -- corrupt files ---------------------------------------------------------------------------


def test_random_bytes_are_moved_aside_and_a_fresh_file_is_used(db_path: Path) -> None:
    garbage = random.Random(7).randbytes(8192)
    db_path.write_bytes(garbage)
    with StateStore(db_path) as store:
        assert store.persistent
        assert store.toggle_bookmark("a-1", 0, "标题") and store.is_bookmarked("a-1")
        [moved] = moved_files(db_path)
        assert moved.read_bytes() == garbage
        [notice] = store.notices
        assert str(moved) in notice and "kept" in notice and "nothing could be recovered" in notice
    with StateStore(db_path) as store:
        assert store.notices == [] and store.is_bookmarked("a-1")


def test_dropped_table_bookmarks_are_salvaged(db_path: Path) -> None:
    marks = seed(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TABLE settings")
    conn.close()
    with StateStore(db_path) as store:
        assert store.persistent
        assert store.bookmarks() == marks
        assert store.read_ids() == {"a-1", "c-3"}
        [notice] = store.notices
        assert "recovered 2 bookmarks" in notice and str(moved_files(db_path)[0]) in notice
    with StateStore(db_path) as store:
        assert store.notices == [] and store.bookmarks() == marks


def _page_of(path: Path, table: str) -> tuple[int, int]:
    """``(root page number, page size)`` of ``table``, with the WAL folded into the file."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return root[0], size


def test_damaged_page_bookmarks_are_salvaged(db_path: Path) -> None:
    marks = seed(db_path)
    page, size = _page_of(db_path, "read_marks")
    data = bytearray(db_path.read_bytes())
    data[(page - 1) * size : page * size] = b"\xa5" * size
    db_path.write_bytes(bytes(data))
    with StateStore(db_path) as store:
        assert store.persistent and store.bookmarks() == marks
        assert store.get_setting("theme") == "dark"
        [notice] = store.notices
        assert "recovered 2 bookmarks" in notice and "1 setting" in notice
        [moved] = moved_files(db_path)
        assert moved.read_bytes() == bytes(data) and str(moved) in notice


def test_truncated_file_bookmarks_are_salvaged(db_path: Path) -> None:
    marks = seed(db_path)
    with StateStore(db_path) as store:
        for n in range(400):  # enough read marks to spill over many pages
            store.mark_read(f"article-{n:04d}-{'x' * 60}")
    conn = sqlite3.connect(db_path)
    last_root = conn.execute("SELECT max(rootpage) FROM sqlite_master").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = db_path.read_bytes()
    assert len(data) > (last_root + 2) * size
    db_path.write_bytes(data[: (last_root + 1) * size])
    with StateStore(db_path) as store:
        assert store.persistent and store.bookmarks() == marks
        assert "recovered 2 bookmarks" in store.notices[0]
        assert len(moved_files(db_path)) == 1


def test_foreign_sqlite_file_is_moved_aside(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('饺子')")
    conn.close()
    with StateStore(db_path) as store:
        assert store.persistent and store.bookmarks() == []
        [moved] = moved_files(db_path)
        assert "kept at" in store.notices[0] and str(moved) in store.notices[0]
    check = sqlite3.connect(moved)
    assert check.execute("SELECT name FROM recipes").fetchall() == [("饺子",)]
    check.close()


def test_corrupt_file_that_cannot_be_moved_is_salvaged_in_memory(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marks = seed(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TABLE positions")
    conn.close()

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(salvage.os, "replace", refuse)
    with StateStore(db_path) as store:
        assert not store.persistent and store.bookmarks() == marks
        assert "can't be moved aside" in store.notices[0] and "2 bookmarks" in store.notices[0]
        store.toggle_bookmark("new", 0, "新")
    assert db_path.exists() and moved_files(db_path) == []


def test_file_from_a_newer_version_is_left_alone(db_path: Path) -> None:
    marks = seed(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    with StateStore(db_path) as store:
        assert not store.persistent and store.bookmarks() == marks
        assert "newer swreader" in store.notices[0]
        store.toggle_bookmark("new", 0, "新")
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    assert conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0] == 2
    conn.close()


# -- locked files ----------------------------------------------------------------------------


def test_locked_file_falls_back_to_memory(db_path: Path, hold_lock: sqlite3.Connection) -> None:
    marks = seed(db_path)
    hold_lock.execute("BEGIN EXCLUSIVE")
    with StateStore(db_path, timeout=0.05) as store:
        assert not store.persistent and store.notices == [LOCKED_NOTICE]
        assert store.bookmarks() == marks  # WAL lets the locked file still be read
        assert store.toggle_bookmark("new", 1, "新") is True and store.is_bookmarked("new")
        store.set_setting("theme", "light")
        assert store.get_setting("theme") == "light"
    hold_lock.execute("ROLLBACK")
    with StateStore(db_path) as store:
        assert store.notices == [] and store.bookmarks() == marks


def test_file_locked_against_readers_falls_back_to_empty_memory(
    db_path: Path, hold_lock: sqlite3.Connection
) -> None:
    seed(db_path)
    hold_lock.execute("PRAGMA journal_mode=DELETE")  # a rollback journal: the lock blocks reads
    hold_lock.execute("BEGIN EXCLUSIVE")
    with StateStore(db_path, timeout=0.05) as store:
        assert not store.persistent and store.notices == [LOCKED_NOTICE]
        assert store.toggle_bookmark("new", 1, "新") and store.bookmarks()[0].article_id == "new"


def test_write_failing_mid_session_is_kept_in_memory_with_one_notice(
    db_path: Path, hold_lock: sqlite3.Connection
) -> None:
    marks = seed(db_path)
    with StateStore(db_path, timeout=0.05) as store:
        assert store.persistent
        hold_lock.execute("BEGIN EXCLUSIVE")
        assert store.toggle_bookmark("new", 1, "新") is True
        store.mark_read("new")
        store.add_query("社工")
        assert not store.persistent and store.notices == [LOCKED_NOTICE]
        assert store.is_bookmarked("new") and store.bookmarks()[1:] == marks
        assert store.is_read("new") and store.recent_queries() == ["社工"]


def test_disk_full_mid_session_is_kept_in_memory_with_one_notice(db_path: Path) -> None:
    marks = seed(db_path)
    with StateStore(db_path) as store:
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")  # the 'disk' is now full
        long_title = "长" * 50_000
        assert store.toggle_bookmark("big", 0, long_title) is True
        store.toggle_bookmark("big-2", 0, long_title)
        assert not store.persistent and len(store.notices) == 1
        assert "full" in store.notices[0]
        assert [b.article_id for b in store.bookmarks()[:2]] == ["big-2", "big"]
        assert store.bookmarks()[2:] == marks
    with StateStore(db_path) as store:
        assert store.bookmarks() == marks


# -- read-only files -------------------------------------------------------------------------


def _assert_read_only_session(store: StateStore, marks: list[Bookmark]) -> None:
    assert not store.persistent and len(store.notices) == 1
    assert store.bookmarks() == marks and store.get_setting("theme") == "dark"
    assert store.toggle_bookmark("new", 0, "新") and store.is_bookmarked("new")
    store.set_setting("theme", "light")
    assert store.get_setting("theme") == "light" and len(store.notices) == 1


def test_read_only_file_and_directory(db_path: Path) -> None:
    marks = seed(db_path)
    db_path.chmod(0o444)
    db_path.parent.chmod(0o555)
    try:
        try:
            with db_path.open("r+b"):
                writable = True
        except OSError:
            writable = False
        if writable:
            pytest.skip("chmod doesn't stop this user (root) from writing")
        with StateStore(db_path) as store:
            _assert_read_only_session(store, marks)
    finally:
        db_path.parent.chmod(stat.S_IRWXU)
        db_path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    with StateStore(db_path) as store:
        assert store.bookmarks() == marks


def test_read_only_flag(db_path: Path) -> None:
    marks = seed(db_path)
    before = db_path.read_bytes()
    with StateStore(db_path, readonly=True) as store:
        _assert_read_only_session(store, marks)
        assert "read-only" in store.notices[0]
    assert db_path.read_bytes() == before


def test_read_only_file_is_detected(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulates a file the OS won't let us write, even when the tests run as root."""
    marks = seed(db_path)
    real_connect = storage.connect

    def read_only_connect(target: str, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
        if not uri and target != ":memory:":
            target, uri = Path(target).resolve().as_uri() + "?mode=ro", True
        return real_connect(target, timeout, uri=uri)

    monkeypatch.setattr(storage, "connect", read_only_connect)
    with StateStore(db_path) as store:
        _assert_read_only_session(store, marks)
        assert "readonly" in store.notices[0] and "2 bookmarks" in store.notices[0]


def test_unwritable_data_dir_runs_in_memory(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_dir = isolated_home / "file"
    not_a_dir.write_text("x")
    monkeypatch.setenv("SWREADER_HOME", str(not_a_dir))
    with pytest.raises(OSError):
        data_dir()
    with StateStore() as store:
        assert not store.persistent and len(store.notices) == 1 and store.path is None
        store.save_position(Position("a-1", 1, 2))
        assert store.last_position() == Position("a-1", 1, 2)


def test_state_file_that_is_a_directory(db_path: Path) -> None:
    db_path.mkdir()
    with StateStore(db_path) as store:
        assert not store.persistent and len(store.notices) == 1
        store.mark_read("a-1")
        assert store.is_read("a-1")


def test_use_after_close_does_not_raise(db_path: Path) -> None:
    store = StateStore(db_path)
    store.close()
    assert store.get_setting("theme", "dark") == "dark" and store.bookmarks() == []
    assert store.notices


# -- several processes -----------------------------------------------------------------------


def test_two_stores_on_one_file_write_alternately(db_path: Path) -> None:
    first, second = StateStore(db_path), StateStore(db_path)
    for n in range(20):
        first.mark_read(f"first-{n}")
        second.mark_read(f"second-{n}")
        (first if n % 2 else second).set_setting("theme", f"t{n}")
    first.toggle_bookmark("a-1", 0, "一")
    second.toggle_bookmark("b-2", 0, "二")
    expected = {f"{tag}-{n}" for tag in ("first", "second") for n in range(20)}
    for store in (first, second):
        assert store.persistent and store.notices == []
        assert store.read_ids() == expected and store.get_setting("theme") == "t19"
        assert [b.article_id for b in store.bookmarks()] == ["b-2", "a-1"]
        store.close()


def _hammer(job: tuple[str, str]) -> tuple[bool, list[str]]:
    """Worker process: 200 writes to the shared file."""
    path, tag = job
    store = StateStore(Path(path))
    for n in range(200):
        store.mark_read(f"{tag}-{n}")
        if n % 50 == 0:
            store.add_query(f"{tag}-{n}")
    store.close()
    return store.persistent, store.notices


def test_two_processes_writing_at_once(db_path: Path) -> None:
    StateStore(db_path).close()  # create the file (and switch it to WAL) up front
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.map(_hammer, [(str(db_path), "p"), (str(db_path), "q")])
    assert results == [(True, []), (True, [])]
    with StateStore(db_path) as store:
        assert store.read_ids() == {f"{t}-{n}" for t in "pq" for n in range(200)}
        assert len(store.recent_queries()) == 8
