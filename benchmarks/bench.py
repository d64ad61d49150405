"""Benchmarks at scale: ``python benchmarks/bench.py DIR [--json]``.

Works on any folder of pages. Prints (or, with ``--json``, emits as one JSON object):

* ``cold_index_s``: a fresh library (new ``SWREADER_HOME``): read, parse and store every
  page, then build and store the search index;
* ``warm_open_s``: a second launch of the app (Pilot, headless), from ``make_app`` until
  the article list first draws an article (imports excluded);
* ``search_p50_ms`` / ``search_p95_ms``: per keystroke, typing real queries one character at
  a time in simplified, traditional and pinyin; ``naive_search_p50_ms``: the same final
  queries scored over every paragraph with ``rapidfuzz.fuzz.partial_ratio``;
* ``toggle_ms``: median script toggle on the longest article (Pilot: from the toggle action
  until the reader holds the new script); ``toggle_painted_ms``: until the screen has been
  redrawn too (this includes Pilot's own pause, ~70 ms even for a key that does nothing);
* with ``--terminal RUNS``, the real TUI in tmux (``benchmarks/tti.py``): ``tti_warm_list_shown_s``
  and ``tti_warm_search_answered_s`` from process start on a warm library, the longest and
  median key latency during a cold open (until its index is ready, ``tti_cold_search_ready_s``),
  and the baseline (a trivial program through tmux);
* ``cold_peak_rss_mb``: peak resident memory while indexing cold and searching (this
  process, or a parsing worker if one peaked higher); ``warm_peak_rss_mb``: peak while the
  app opens warm and toggles, in a process of its own (so what indexing left behind does not
  count); ``peak_rss_mb``: the larger of the two.

Nothing here asserts a time; CI runs it on a small archive only to prove it works.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from swreader.core.search.engine import SearchIndex
from swreader.core.search.naive import naive_search
from swreader.core.search.persist import cached_index
from swreader.core.store.pagecache import open_corpus
from swreader.core.system import memory
from swreader.core.text.convert import SCRIPTS

QUERIES = ("许昌社会工作", "社工站建设", "臨滄市社會工作", "孵化培育體系", "xuchang", "shegongzhan")
NAIVE_QUERIES = ("许昌社会工作", "臨滄市社會工作", "社工站建设")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_search(index: SearchIndex, articles: list) -> dict[str, float]:
    """Per-keystroke latency over every prefix of the queries, and the naive baseline."""
    times: list[float] = []
    for _ in range(3):
        for query in QUERIES:
            for k in range(1, len(query) + 1):
                t0 = time.perf_counter()
                index.search(query[:k])
                times.append((time.perf_counter() - t0) * 1000)
    naive: list[float] = []
    for query in NAIVE_QUERIES:
        t0 = time.perf_counter()
        naive_search(articles, query)
        naive.append((time.perf_counter() - t0) * 1000)
    return {
        "search_p50_ms": statistics.median(times),
        "search_p95_ms": _percentile(times, 0.95),
        "naive_search_p50_ms": statistics.median(naive),
    }


async def bench_app(folder: Path) -> dict[str, float]:
    """Warm open to first paint, then the toggle latency on the longest article."""
    from swreader.app import make_app
    from swreader.widgets.article_list import ArticleList
    from swreader.widgets.reader import ReaderView

    # First paint = the first time the article list draws a line of an article.
    painted: list[float] = []
    draw = ArticleList.render_line

    def spy(self: ArticleList, y: int):  # type: ignore[no-untyped-def]
        if not painted and self.option_count:
            painted.append(time.perf_counter())
        return draw(self, y)

    ArticleList.render_line = spy  # type: ignore[method-assign]
    t0 = time.perf_counter()
    app = make_app([folder], script="original")
    async with app.run_test(size=(120, 40)) as pilot:
        while not painted:
            await asyncio.sleep(0.001)
        warm = painted[0] - t0
        ArticleList.render_line = draw  # type: ignore[method-assign]
        await app.workers.wait_for_complete()
        screen = app.screen
        # By paragraph count: a warm start holds headers only, and summing the texts would
        # read every body from the library into the very memory this measures.
        longest = max(screen.corpus.articles, key=lambda a: a.paragraph_count)
        reader = screen.query_one(ReaderView)
        screen.open_article(longest.id)
        await app.workers.wait_for_complete()
        await pilot.pause()
        toggles: list[float] = []
        redrawn: list[float] = []
        for _ in range(3 * len(SCRIPTS)):
            target = SCRIPTS[(SCRIPTS.index(screen.script) + 1) % len(SCRIPTS)]
            t0 = time.perf_counter()
            screen.set_script(target)  # what `t` and the palette run
            while reader.shown is None or reader.shown.script != target:
                await asyncio.sleep(0.0005)
            toggles.append((time.perf_counter() - t0) * 1000)
            await pilot.pause()  # and until the screen has been redrawn
            redrawn.append((time.perf_counter() - t0) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause()
    return {
        "warm_open_s": warm,
        "toggle_ms": statistics.median(toggles),
        "toggle_painted_ms": statistics.median(redrawn),
    }


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _peak_mb(reset: bool = False) -> float:
    """This process's peak resident set since the last reset (Linux), else since start.

    Writing 5 to ``/proc/self/clear_refs`` resets the kernel's high-water mark, so each
    phase (cold indexing, the warm app) gets its own peak.
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
        if reset:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
    except OSError:
        pass  # not Linux: the process-wide peak is the best there is
    return peak


def run(folder: Path) -> dict[str, float | int]:
    """Every figure for ``folder``, in a throwaway ``SWREADER_HOME``."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["SWREADER_HOME"] = home
        _peak_mb(reset=True)
        t0 = time.perf_counter()
        corpus, _ = open_corpus([folder])
        index = cached_index(corpus)
        cold = time.perf_counter() - t0
        articles = corpus.articles
        gc.freeze()  # as the app does once its corpus and index are loaded
        figures: dict[str, float | int] = {
            "articles": len(articles),
            "characters": sum(len(p.text) for a in articles for p in a.paragraphs),
            "cold_index_s": cold,
        }
        figures.update(bench_search(index, articles))
        figures["cold_peak_rss_mb"] = max(_peak_mb(reset=True), _children_peak_mb())
        del corpus, index, articles
        gc.unfreeze()
        gc.collect()
        memory.trim()
        figures.update(_warm_apart(folder))
        figures["peak_rss_mb"] = max(figures["cold_peak_rss_mb"], figures["warm_peak_rss_mb"])
    return figures


def _warm_apart(folder: Path) -> dict[str, float]:
    """:func:`bench_app` and its peak memory, in a process of its own (on the same home).

    Measured in this process, after the cold phase, the warm peak held what indexing left
    behind (freed, but not given back to the system): 577 MB at 100k, where the reader
    itself, started on its own in a terminal, peaks at ~300 MB.
    """
    # The child's stderr is this one's: if it fails, its traceback is shown, not only
    # the exit status of a CalledProcessError.
    out = subprocess.run(
        [sys.executable, __file__, str(folder), "--warm-only"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(out.stdout)


def _warm_only(folder: Path) -> None:
    """The warm app alone (``--warm-only``), its figures as one JSON object."""
    figures = asyncio.run(bench_app(folder))
    figures["warm_peak_rss_mb"] = _peak_mb()
    print(json.dumps(figures))


def _terminal(folder: Path, runs: int) -> dict[str, float | int]:
    """Time to interactive and key latency while loading, in a real terminal (tmux)."""
    import tti  # benchmarks/tti.py, beside this script

    found = tti.measure(folder, runs, "社工", cold_timeout=900)
    warm, cold, floor = found["warm"], found["cold"], found["baseline"]
    picked = {
        "tti_baseline_ready_s": floor.get("ready_s"),
        "tti_warm_list_shown_s": warm.get("list_shown_s"),
        "tti_warm_search_answered_s": warm.get("search_answered_s"),
        "tti_cold_key_median_ms": cold.get("key_median_ms"),
        "tti_cold_key_max_ms": found["cold_key_max_ms"],
        "tti_cold_search_ready_s": cold.get("search_ready_s"),
    }
    return {k: v for k, v in picked.items() if isinstance(v, int | float)}


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--terminal",
        type=int,
        default=0,
        metavar="RUNS",
        help="also time the real TUI in tmux from process start (benchmarks/tti.py), RUNS runs",
    )
    parser.add_argument("--warm-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm_only:  # the second half of run(), in a process of its own
        _warm_only(args.folder)
        return
    figures = run(args.folder)
    if args.terminal:
        figures.update(_terminal(args.folder, args.terminal))
    if args.json:
        print(
            json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()})
        )
        return
    width = max(map(len, figures))
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")


if __name__ == "__main__":
    main()
