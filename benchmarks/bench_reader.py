"""Reader benchmarks: export time, startup to first paint, script toggle latency.

Run ``python benchmarks/bench_reader.py [PATH...]`` (default: the bundled seeds). It prints
figures; it asserts nothing about time.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from swreader.core.convert import SCRIPTS
from swreader.core.corpus import bundled_seeds, load_corpus
from swreader.core.export import article_record


def bench_export(paths: list[Path]) -> dict[str, float]:
    """Parse the pages and export every article in every script."""
    t0 = time.perf_counter()
    corpus = load_corpus(paths)
    parsed = time.perf_counter() - t0
    out: dict[str, float] = {"articles": len(corpus.articles), "parse_s": parsed}
    for script in SCRIPTS:
        t0 = time.perf_counter()
        for article in corpus.articles:
            json.dumps(article_record(article, script), ensure_ascii=False)
        out[f"export_{script}_s"] = time.perf_counter() - t0
    return out


async def bench_app(paths: list[Path], rounds: int = 5) -> dict[str, float]:
    """Startup to first paint with articles, and toggle latency on the longest article."""
    from swreader.app import make_app
    from swreader.widgets.article_list import ArticleList
    from swreader.widgets.reader import ReaderView

    t0 = time.perf_counter()
    app = make_app(paths, script="original")
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.screen.query_one(ArticleList)
        while articles.option_count == 0:
            await asyncio.sleep(0.001)
        await pilot.pause()
        startup = time.perf_counter() - t0
        screen = app.screen
        longest = max(screen.corpus.articles, key=lambda a: sum(len(p.text) for p in a.paragraphs))
        reader = screen.query_one(ReaderView)
        screen.open_article(longest.id)
        await app.workers.wait_for_complete()
        await pilot.pause()
        cold: list[float] = []
        warm: list[float] = []
        for n in range(rounds * len(SCRIPTS)):
            target = SCRIPTS[(SCRIPTS.index(screen.script) + 1) % len(SCRIPTS)]
            t0 = time.perf_counter()
            await pilot.press("t")
            while reader.shown is None or reader.shown.script != target:
                await asyncio.sleep(0.0005)
            await pilot.pause()
            (cold if n < len(SCRIPTS) else warm).append((time.perf_counter() - t0) * 1000)
    return {
        "startup_first_paint_s": startup,
        "longest_article_chars": sum(len(p.text) for p in longest.paragraphs),
        "toggle_cold_ms_max": max(cold),
        "toggle_warm_ms_p50": statistics.median(warm),
        "toggle_warm_ms_max": max(warm),
    }


def main() -> None:
    """Print the figures as a table."""
    paths = [Path(p) for p in sys.argv[1:]] or [bundled_seeds()]
    with tempfile.TemporaryDirectory() as home:
        os.environ["SWREADER_HOME"] = home
        figures = {**bench_export(paths), **asyncio.run(bench_app(paths))}
    width = max(map(len, figures))
    for key, value in figures.items():
        print(
            f"{key:<{width}}  {value:.3f}"
            if isinstance(value, float)
            else f"{key:<{width}}  {value}"
        )


if __name__ == "__main__":
    main()
