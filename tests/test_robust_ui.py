"""Robustness at the edges: a huge paragraph, an unwritable stdout, state failing mid-session,
file names that are not UTF-8."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from swreader.app import make_app
from swreader.core.store.userstate import LOCKED_NOTICE, StateStore
from swreader.core.text.convert import convert
from swreader.core.text.wrap import NO_START, wrap_ranges
from swreader.widgets.paragraph import ParagraphView
from swreader.widgets.reader import ReaderView

from .pilot import assert_in_view, open_title, settle

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_eb087be58cc3fb1e.txt"
#: A paragraph dense in figures (counts, dates) and in characters that convert (发/發, 证/證).
UNIT = (
    "《规划》明确到2025年,取得国家社会工作者职业资格证书的达到2万人以上(其中社区工作人员达到"
    "1.3万人)。每个城市社区至少配备3名持证社工,每个乡镇社区至少配备1名持证社工,每个村至少培育"
    "1名社会工作专业人才;每个县(市、区)至少培育1家社会工作服务机构。"
)
LONG_TITLE = "吉林省社会工作长段落测试"


def _long_page(folder: Path, chars: int) -> Path:
    """A page holding one article whose second paragraph is ``chars`` characters long."""
    folder.mkdir(parents=True, exist_ok=True)
    body = (UNIT * (chars // len(UNIT) + 1))[:chars]
    lead = "8月3日,由中国社会工作联合会主办的全国社会工作交流会在长春举办,吉林省民政厅出席会议。"
    (folder / "long.txt").write_text(f"\n\n{LONG_TITLE}\n\n{lead}\n\n{body}\n\n", encoding="utf-8")
    return folder


async def _open_long(pilot: Pilot) -> tuple[float, ReaderView, ParagraphView]:
    """Open the long article; return the seconds until its long paragraph is on screen."""
    await settle(pilot)
    start = time.perf_counter()
    reader = await open_title(pilot, LONG_TITLE)
    elapsed = time.perf_counter() - start
    view = max(reader.paragraph_views(), key=lambda v: len(v.paragraph.text))
    return elapsed, reader, view


async def test_a_long_paragraph_opens_in_linear_time_and_toggles(tmp_path: Path) -> None:
    times: dict[int, float] = {}
    for chars in (20_000, 200_000):
        app = make_app([_long_page(tmp_path / str(chars), chars)])
        async with app.run_test(size=(100, 30)) as pilot:
            times[chars], reader, view = await _open_long(pilot)
            assert len(view.paragraph.text) == chars
            lines = view.line_ranges()
            assert len(lines) >= chars * 2 // 76  # wrapped, not one line cropped
            assert view.region.height > 0 and view.render_line(0).text
            if chars < 200_000:
                continue
            # Scrolling to an anchor deep in the paragraph still finds its line.
            deep = chars * 3 // 4
            reader.scroll_to_anchor(view.index, deep)
            await pilot.pause()
            assert_in_view(reader, view, deep)
            top = int(reader.scroll_y - view.virtual_region.y)
            a, b = lines[top]
            assert view.render_line(top).text == view.paragraph.text[a:b]
            # ``t`` converts the 200k characters and keeps the same place in view.
            reader.focus()
            await pilot.press("t")  # 原文 → 繁體 (the page is simplified)
            await settle(pilot)
            assert reader.shown is not None and reader.shown.script == "traditional"
            await pilot.press("t")  # → 简体
            await settle(pilot)
            assert reader.shown is not None and reader.shown.script == "simplified"
            await pilot.press("t")  # → 繁體 again, the place still in view
            await settle(pilot)
            assert reader.shown is not None and reader.shown.script == "traditional"
            assert view.paragraph.text.startswith(convert(UNIT, "traditional")[:20])
            assert_in_view(reader, view, deep)
    # Linear work is ~10x for 10x the text (less, as fixed costs dominate); slicing the
    # Text per line was quadratic, ~100x. A ratio rather than a time, so slow CI passes.
    ratio = times[200_000] / times[20_000]
    assert ratio < 20, times


async def test_highlights_are_drawn_line_by_line(tmp_path: Path) -> None:
    app = make_app([_long_page(tmp_path, 3000)])
    async with app.run_test(size=(100, 30)) as pilot:
        _, reader, view = await _open_long(pilot)
        assert reader.shown is not None
        text = view.paragraph.text
        for y, (a, b) in enumerate(view.line_ranges()):
            strip = view.render_line(y)
            assert strip.text == text[a:b]
            if y:
                assert text[a] not in NO_START
            # Every figure on the line is drawn in a style of its own, the rest plainly.
            styles = [seg.style.clear_meta_and_links() for seg in strip for _ in seg.text]
            marked = {i for s in view.paragraph.spans for i in range(s.start - a, s.end - a)}
            plain = {styles[i] for i in range(b - a) if i not in marked}
            assert len(plain) <= 1
            for i in marked & set(range(b - a)):
                assert styles[i] not in plain, (y, i)
        # A figure that is visited gets the 'current' style on top, then loses it.
        _, span = reader.shown.figures[5]
        reader.goto_figure(5)
        await pilot.pause()
        line = view.line_of(span.start)
        assert view.current == (span.start, span.end)
        current = view.get_component_rich_style("paragraph--current", partial=True)
        strip = view.render_line(line)
        start = span.start - view.line_ranges()[line][0]
        x, found = 0, False
        for seg in strip:
            if x == start and seg.style and current.bgcolor == seg.style.bgcolor:
                found = True
            x += len(seg.text)
        assert found or current.bgcolor is None


def test_wrap_is_linear() -> None:
    text = UNIT * (400_000 // len(UNIT))
    start = time.perf_counter()
    small = wrap_ranges(text[:40_000], 76)
    t_small = time.perf_counter() - start
    start = time.perf_counter()
    big = wrap_ranges(text, 76)
    t_big = time.perf_counter() - start
    assert len(big) > 9 * len(small)
    assert t_big / max(t_small, 1e-4) < 30, (t_small, t_big)


# -- stdout that can't be written --------------------------------------------------------------


def _swreader(*args: str, **kwargs: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "swreader.cli", *args], env=env, stderr=subprocess.PIPE, **kwargs
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "command", [["export"], ["search", "社工站"], ["search", "社工", "--json"]]
)
def test_full_disk_gives_one_line_and_status_1(command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        proc = _swreader(*command, stdout=full)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert err.decode().splitlines() == ["swreader: cannot write output: No space left on device"]


@pytest.mark.parametrize("command", [["export"], ["search", "社工"]])
def test_closed_pipe_is_quiet_like_grep(command: list[str]) -> None:
    proc = _swreader(*command, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # like `| head -0`: the reader is gone before the first write
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 141) and err == b""


def test_pipe_closed_after_one_line_is_quiet(tmp_path: Path) -> None:
    for n in range(6):  # enough output to outlast the pipe's buffer
        (tmp_path / f"{n}.txt").write_bytes(SEED.read_bytes())
    proc = _swreader("export", str(tmp_path), stdout=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith(b"{")
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 141) and b"Traceback" not in err and b"Exception" not in err


# -- file names that are not UTF-8 --------------------------------------------------------------


def test_undecodable_file_name_is_printed_escaped(tmp_path: Path) -> None:
    try:
        (Path(os.fsdecode(bytes(tmp_path))) / os.fsdecode(b"\xff.txt")).write_bytes(b"")
    except (OSError, UnicodeError):
        pytest.skip("the file system takes only UTF-8 names")
    (tmp_path / "good.txt").write_bytes(SEED.read_bytes())
    for encoding in ("utf-8", "ascii"):
        env = {**os.environ, "PYTHONIOENCODING": encoding}
        result = subprocess.run(
            [sys.executable, "-m", "swreader.cli", "export", str(tmp_path)],
            capture_output=True,
            env=env,
            timeout=120,
        )
        err = result.stderr.decode("ascii", "replace")
        assert result.returncode == 1 and "Traceback" not in err, err
        assert f"swreader: {tmp_path}/\\xff.txt: empty file" in err.splitlines()
        rows = result.stdout.splitlines()  # the good page was exported all the same
        assert rows and all(row.startswith(b'{"id": "good-') for row in rows)


# -- state failing mid-session -------------------------------------------------------------------


def test_a_write_failing_mid_session_is_reported_when_it_happens(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    heard: list[tuple[str, int]] = []
    with StateStore(db, timeout=0.05) as store:
        assert store.persistent
        assert store.follow_notices(lambda n: heard.append((n, threading.get_ident()))) == []
        store.toggle_bookmark("before", 0, "前")
        assert heard == []
        holder = sqlite3.connect(db, isolation_level=None)  # another process takes the lock
        holder.execute("BEGIN EXCLUSIVE")
        try:
            # The write fails in a worker thread; the callback runs there, once.
            worker = threading.Thread(target=store.toggle_bookmark, args=("after", 0, "后"))
            worker.start()
            worker.join()
            assert heard == [(LOCKED_NOTICE, worker.ident)]
            assert not store.persistent and store.notices == [LOCKED_NOTICE]
            # Later changes land in memory without a second notice.
            store.toggle_bookmark("later", 0, "再")
            store.set_setting("theme", "light")
            assert len(heard) == 1
            assert [b.article_id for b in store.bookmarks()] == ["later", "after", "before"]
        finally:
            holder.execute("ROLLBACK")
            holder.close()


def test_the_callback_may_use_the_store(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    seen: list[bool] = []
    store.follow_notices(lambda _: seen.append(store.persistent and store.is_bookmarked("x")))
    store._db.execute("PRAGMA query_only = ON")  # the file refuses writes from now on
    assert store.toggle_bookmark("x", 0, "X") is True
    assert seen == [False] and store.is_bookmarked("x")  # no deadlock: called outside the lock
    store.close()


def test_notices_from_opening_are_not_repeated(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    db.write_bytes(b"not a database at all" * 100)
    store = StateStore(db)
    heard: list[str] = []
    backlog = store.follow_notices(heard.append)
    assert len(backlog) == 1 and "corrupt" in backlog[0]
    store.bookmarks()
    store.toggle_bookmark("a", 0, "甲")
    assert heard == []
    store.close()


# -- q while a big archive is being read ---------------------------------------------------


async def test_quitting_while_indexing_stops_the_loader(tmp_path: Path) -> None:
    """``q`` during the first read of an archive: the loading worker stops within a batch."""
    from .conftest import SEEDS

    seeds = sorted(SEEDS.glob("*.txt"))
    for n in range(800):
        (tmp_path / f"p{n:04d}.txt").write_bytes(seeds[n % len(seeds)].read_bytes())
    app = make_app([tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        main = app.screen
        loaders = [w for w in app.workers if w.group == "load"]
        await pilot.press("q")
        assert main.cancel.is_set()
    start = time.perf_counter()
    while any(w.is_running for w in loaders) and time.perf_counter() - start < 30:
        time.sleep(0.05)
    assert not any(w.is_running for w in loaders)
    # Stopped early: far fewer than the 800 pages got into the library.
    conn = sqlite3.connect(Path(os.environ["SWREADER_HOME"]) / "library.db")
    assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] < 800


async def test_a_state_failure_mid_session_is_shown_at_once() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        store = app.store
        assert store.on_notice is not None  # the main screen follows the store
        store.on_notice("State file can't be written (disk I/O error)")
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("disk I/O error" in m for m in shown)
