"""The state store writing behind: no caller waits on the disk, and nothing given is lost."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from swreader.core.store import userstate
from swreader.core.store.userstate import Position, StateStore


@pytest.fixture
def db(isolated_home: Path) -> Path:
    return isolated_home / "state.db"


def _writers(monkeypatch: pytest.MonkeyPatch, gate: threading.Event | None = None) -> list[str]:
    """Record the thread of every transaction; with ``gate``, each waits for it first."""
    seen: list[str] = []
    real = userstate.transaction

    def spy(conn, fn):  # type: ignore[no-untyped-def]
        seen.append(threading.current_thread().name)
        if gate is not None:
            assert gate.wait(10)
        return real(conn, fn)

    monkeypatch.setattr(userstate, "transaction", spy)
    return seen


def test_writes_run_in_the_writer_and_the_caller_does_not_wait(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StateStore(db, behind=True)
    gate = threading.Event()  # the disk "busy": no write finishes until it is set
    seen = _writers(monkeypatch, gate)
    store.mark_read("a1")
    store.save_position(Position("a1", 3, 7))
    store.set_setting("script", "s2t")
    assert store.toggle_bookmark("a1", 3, "标题") is True
    # All answered from memory while every write still waits.
    assert store.read_ids() == {"a1"}
    assert store.last_position() == Position("a1", 3, 7)
    assert [b.article_id for b in store.bookmarks()] == ["a1"]
    gate.set()
    store.close()
    assert seen and set(seen) == {"state-writer"}
    again = StateStore(db)
    assert again.read_ids() == {"a1"}
    assert again.last_position() == Position("a1", 3, 7)
    assert again.get_setting("script") == "s2t"
    assert [(b.article_id, b.paragraph, b.title) for b in again.bookmarks()] == [("a1", 3, "标题")]


def test_writes_land_in_the_order_given(db: Path) -> None:
    store = StateStore(db, behind=True)
    for n in range(200):
        store.mark_read(f"a{n}")
        store.save_position(Position(f"a{n}", n, 0))
    for n in range(0, 200, 2):
        store.toggle_bookmark(f"a{n}", n, f"t{n}")
    for n in range(0, 200, 4):
        store.toggle_bookmark(f"a{n}", n, f"t{n}")  # off again
    store.close()
    again = StateStore(db)
    assert again.read_ids() == {f"a{n}" for n in range(200)}
    assert again.last_position() == Position("a199", 199, 0)
    marks = again.bookmarks()
    assert {b.article_id for b in marks} == {f"a{n}" for n in range(2, 200, 4)}
    assert marks[0].article_id == "a198"  # newest first


def test_a_read_from_the_file_sees_the_writes_given_before_it(db: Path) -> None:
    store = StateStore(db, behind=True)
    store.add_query("社工站")
    store.set_setting("theme", "nord")
    assert store.recent_queries() == ["社工站"]
    assert store.get_setting("theme") == "nord"
    assert store.is_read("x") is False
    store.mark_read("x")
    assert store.is_read("x") is True
    store.close()


def test_a_failing_write_is_said_and_the_next_ones_still_land(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StateStore(db, behind=True)
    said: list[str] = []
    store.follow_notices(said.append)
    real = store._write
    calls = {"n": 0}

    def broken(fn, default):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return real(fn, default)

    monkeypatch.setattr(store, "_write", broken)
    store.mark_read("lost")
    store.mark_read("kept")
    store.close()
    assert any("boom" in text for text in said)
    assert StateStore(db).read_ids() == {"kept"}


def test_a_write_after_close_runs_at_once_and_does_not_hang(db: Path) -> None:
    store = StateStore(db, behind=True)
    store.close()
    store.mark_read("late")  # the file is closed: it goes to memory, with a notice, no hang
    assert "late" in store.read_ids()


async def test_the_reader_records_an_opened_article_off_the_ui_thread(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swreader.app import make_app

    from .pilot import open_title, settle

    seen = _writers(monkeypatch)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        del seen[:]  # the opening's own writes (the first article, settings) aside
        reader = await open_title(pilot, "许昌市社会工作行业协会成立")
        assert reader.article is not None
        opened = reader.article.id
        assert opened in app.store.read_ids()
    assert seen and threading.main_thread().name not in seen
    assert opened in StateStore(isolated_home / "state.db").read_ids()


def test_a_process_that_never_closes_the_store_still_writes_and_exits(
    isolated_home: Path,
) -> None:
    import subprocess
    import sys

    db = isolated_home / "state.db"
    code = (
        "from pathlib import Path; from swreader.core.store.userstate import StateStore\n"
        f"s = StateStore(Path({str(db)!r}), behind=True)\n"
        "for n in range(50): s.mark_read(f'a{n}')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert StateStore(db).read_ids() == {f"a{n}" for n in range(50)}
