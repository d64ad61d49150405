"""Per-keystroke search latency: type real queries one character at a time.

Usage::

    python benchmarks/search_latency.py [PATH...] [--replicate N] [--mutate RATE]

With no PATH the bundled seeds are used. ``--replicate N`` copies every article N times
(new ids), replacing a fraction ``RATE`` of the Han characters of each copy with random
ones so that the copies are not identical; ``--replicate 670`` turns the 15 seed articles
into ~10,000 articles (~11M characters) for a rough look at scale.

Prints the index build time and size, then per query the p50/p95 latency of
:meth:`SearchIndex.search` over every prefix of the query, and the p50 of the naive baseline
(:func:`naive_search`, rapidfuzz over every paragraph). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from swreader.core.pages.corpus import bundled_seeds, load_corpus
from swreader.core.pages.model import Article, Paragraph
from swreader.core.search.engine import SearchIndex
from swreader.core.search.naive import naive_search

QUERIES = ("许昌社会工作", "臨滄市社會工作", "xuchang")
ROUNDS = 5


def _mutate(text: str, rate: float, rng: random.Random) -> str:
    if rate <= 0:
        return text
    chars = list(text)
    for i, char in enumerate(chars):
        if "\u4e00" <= char <= "\u9fa5" and rng.random() < rate:
            chars[i] = chr(rng.randint(0x4E00, 0x9FA5))
    return "".join(chars)


def replicate(articles: list[Article], copies: int, rate: float) -> list[Article]:
    """``copies`` versions of every article, each with its own id and mutated text."""
    if copies <= 1:
        return articles
    rng = random.Random(42)
    out: list[Article] = []
    for n in range(copies):
        for article in articles:
            out.append(
                dataclasses.replace(
                    article,
                    id=f"{article.id}~{n}",
                    title=article.title if n == 0 else _mutate(article.title, rate, rng),
                    paragraphs=[
                        Paragraph(p.kind, p.text if n == 0 else _mutate(p.text, rate, rng))
                        for p in article.paragraphs
                    ],
                )
            )
    return out


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - cols)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _time(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--replicate", type=int, default=1)
    parser.add_argument("--mutate", type=float, default=0.03)
    parser.add_argument("--naive-rounds", type=int, default=1)
    args = parser.parse_args(argv)

    articles = load_corpus(args.paths or [bundled_seeds()]).articles
    articles = replicate(articles, args.replicate, args.mutate)
    chars = sum(len(a.title) + sum(len(p.text) for p in a.paragraphs) for a in articles)

    start = time.perf_counter()
    index = SearchIndex(articles)
    build = time.perf_counter() - start
    print(f"articles {len(articles):,}  characters {chars:,}")
    print(f"index build {build * 1000:.0f} ms  documents {index.documents}")
    print()
    print(
        f"{'query':<16}{'keys':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'naive p50':>11}{'hits':>6}"
    )
    every: list[float] = []
    for query in QUERIES:
        times: list[float] = []
        naive: list[float] = []
        for _ in range(ROUNDS):
            for k in range(1, len(query) + 1):
                times.append(_time(index.search, query[:k]))
        for _ in range(args.naive_rounds):
            for k in range(1, len(query) + 1):
                naive.append(_time(naive_search, articles, query[:k], 50))
        every += times
        hits = len(index.search(query))
        print(
            f"{_pad(query, 16)}{len(query):>5}{statistics.median(times):>9.2f}"
            f"{_percentile(times, 0.95):>9.2f}{max(times):>9.2f}"
            f"{statistics.median(naive):>11.2f}{hits:>6}"
        )
    print(
        f"{'all keystrokes':<21}{statistics.median(every):>9.2f}{_percentile(every, 0.95):>9.2f}"
        f"{max(every):>9.2f}"
    )


if __name__ == "__main__":
    main()
