"""The figures view at scale: ``python benchmarks/figview.py [DIR] [--home HOME] [--runs 3]``.

Opens the reader headless (Pilot, through :func:`swreader.app.make_app`) on ``DIR`` with the
library of ``HOME`` (default ``$SWREADER_HOME``), waits until the loading worker has the
figure store, then times, median of ``--runs``:

* ``new_open_ms``: from pressing `F` until the table holds its first page (the view as it
  is: a count and one page read from the store, in a worker);
* ``old_open_ms``: the view as it was, in the same run: every row read from the store
  (``store.rows(sig)``), filtered in Python, the first 500 converted and put in the table
  (the view over a :class:`~swreader.core.store.figurepages.MemorySource` of all rows with
  pages of 500 does just that);
* ``fill_ms``: of ``new_open_ms``, the time the UI thread spends in ``DataTable.add_rows``;
* the worker's path alone (count, first page, cells; no UI) for a few filters and sorts,
  a page deep in a sorted order, the chart's rows of a subject, and ``store.rows(sig)``.

The home is copied to a temporary folder first (SQLite's backup, so a library in use is
copied whole) unless ``--in-place``: the app writes its state there. If the library holds
no figures for ``DIR`` they are built when the app loads (30 to 60 s at 10,000 articles).
Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.widgets import DataTable

from swreader.app import make_app
from swreader.core.store.figurepages import MemorySource, StoreSource
from swreader.screens.figures_table import TableState, counts, next_page
from swreader.screens.figures_view import FiguresScreen
from swreader.screens.main import MainScreen

SIZE = (120, 40)
#: The old view's cap: at most this many rows in the table.
OLD_LIMIT = 500
#: The worker's path alone: (label, filter line, sorted column).
PATHS = [
    ("reading order", "", None),
    ("by value", "", 1),
    ("by title", "", 6),
    ("subject 社工站", "社工站", None),
    ("region 河南, by value", "地区:河南", 1),
]


def copy_home(home: Path) -> Path:
    """A copy of ``home`` in a temporary folder; its databases copied by SQLite's backup."""
    copy = Path(tempfile.mkdtemp(prefix="figview-home-"))
    for path in home.iterdir():
        if path.suffix == ".db":
            with sqlite3.connect(path) as source, sqlite3.connect(copy / path.name) as target:
                source.backup(target)
        elif path.is_file() and not path.name.endswith(("-wal", "-shm")):
            shutil.copy2(path, copy / path.name)
    return copy


def median_ms(run: Callable[[], object], runs: int) -> float:
    """The median time of ``run``, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def until(test: Callable[[], bool], timeout: float) -> None:
    """Poll ``test`` every millisecond (the app runs meanwhile) until it holds."""
    deadline = time.perf_counter() + timeout
    while not test():
        if time.perf_counter() > deadline:
            raise TimeoutError("gave up waiting")
        await asyncio.sleep(0.001)


def filled(app: object, rows: int | None = None) -> bool:
    """Whether the screen is the figures view and its table holds what was read."""
    view = app.screen  # type: ignore[attr-defined]
    if not isinstance(view, FiguresScreen) or view.rows is None:
        return False
    held = view.query_one(DataTable).row_count
    return held == len(view.rows) > 0 and (rows is None or held >= rows)


async def bench(folder: Path, runs: int) -> dict[str, float]:
    """Every figure of the module docstring for ``folder`` (``SWREADER_HOME`` set)."""
    app = make_app([folder], script="original", ui="zh-Hans")
    out: dict[str, float] = {}
    runs_seen: dict[str, list[float]] = {}  # every run of the Pilot figures, printed too
    fills: list[float] = []
    add_rows = DataTable.add_rows

    def timed_add_rows(self: DataTable, rows, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return add_rows(self, rows, *args, **kwargs)
        finally:
            fills.append((time.perf_counter() - started) * 1000)

    DataTable.add_rows = timed_add_rows  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        main = app.screen
        assert isinstance(main, MainScreen)
        await until(lambda: main.figure_store is not None, timeout=600)
        out["figure_store_ready_s"] = time.perf_counter() - started
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert main.figure_store is not None
        store, sig = main.figure_store
        out["figures"] = store.count(sig)

        async def open_view(
            press: Callable[[], object], rows: int | None = None
        ) -> tuple[float, float]:
            fills.clear()
            started = time.perf_counter()
            press()
            await until(lambda: filled(app, rows), timeout=120)
            took = (time.perf_counter() - started) * 1000
            fill = sum(fills)
            await app.workers.wait_for_complete()
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is main
            return took, fill

        new, fill = [], []
        for _ in range(runs):
            # What `F` runs (pilot.press would add its own pause to the time).
            took, filling = await open_view(main.action_figures_view)
            new.append(took)
            fill.append(filling)
        out["new_open_ms"] = statistics.median(new)
        out["fill_ms"] = statistics.median(fill)
        runs_seen["new_open_ms"] = new

        def old_view() -> None:
            source = MemorySource(partial(store.rows, sig))
            app.push_screen(FiguresScreen(source, script="original", page_size=OLD_LIMIT))

        whole = min(OLD_LIMIT, int(out["figures"]))  # the old table: 500 rows, or all there are
        old = [(await open_view(old_view, whole))[0] for _ in range(runs)]
        out["old_open_ms"] = statistics.median(old)
        runs_seen["old_open_ms"] = old

    DataTable.add_rows = add_rows  # type: ignore[method-assign]
    source = StoreSource(store, sig)
    for label, query, column in PATHS:
        state = TableState(query=query, column=column, script="traditional")

        def worker(state: TableState = state) -> None:
            source._counts.clear()  # the first time, as each new filter is
            counts(source, state)
            next_page(source, state, "zh-Hans", 0)

        out[f"worker {label} ms"] = median_ms(worker, runs)
    deep = TableState(column=1)
    out["page at offset 100,000 by value ms"] = median_ms(
        lambda: next_page(source, deep, "zh-Hans", 100_000), runs
    )
    out["chart rows of 社工站 ms"] = median_ms(
        lambda: source.all_for_chart("社工站", None, None), runs
    )
    out["store.rows(sig) ms"] = median_ms(lambda: store.rows(sig), runs)
    for name, times in runs_seen.items():
        print(f"{name} runs: {', '.join(f'{t:.1f}' for t in times)}")
    return out


def main() -> None:
    """Parse the arguments, copy the home, run and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("/tmp/c10k"))
    parser.add_argument("--home", type=Path, default=os.environ.get("SWREADER_HOME"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--in-place", action="store_true", help="use HOME itself, not a copy")
    args = parser.parse_args()
    if args.home is None:
        parser.error("give --home (or set SWREADER_HOME): a warm library for FOLDER")
    home = args.home if args.in_place else copy_home(args.home)
    os.environ["SWREADER_HOME"] = str(home)
    try:
        results = asyncio.run(bench(args.folder, args.runs))
    finally:
        if not args.in_place:
            shutil.rmtree(home, ignore_errors=True)
    print(f"figures view over {args.folder} (median of {args.runs}):")
    for name, value in results.items():
        print(f"  {name:40s} {value:10.1f}")


if __name__ == "__main__":
    main()
