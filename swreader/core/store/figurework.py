"""Computing the figure rows of an archive for :mod:`~swreader.core.store.figurestore`.

:func:`~swreader.core.pages.figtable.figure_rows` costs ~90 µs a figure (~3 ms an article,
most of it finding subjects), so a large archive is computed in worker processes, whole
pages to a chunk. A worker reads the bodies of header articles (a warm start) from the
library itself: the caller's articles stay headers, and the reading is shared out too.

The rows come out in the form they are stored in (tuples, with folded copies of the subject
and the places for matching in either script), so the parent only inserts them. This module
owns no table.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

from swreader.core.pages.corpus import Page
from swreader.core.pages.figtable import figure_rows
from swreader.core.store.stored import Bodies
from swreader.core.system.workers import running
from swreader.core.text.fold import fold

__all__ = ["CHUNK", "FIGURE_COLUMNS", "PARALLEL_FROM", "Computed", "computed", "folded"]

#: Use worker processes from this many articles (below, starting them costs more).
PARALLEL_FROM = 256
#: Articles per chunk sent to a worker (whole pages, so that a page's body is read once).
CHUNK = 64
#: The columns of a figure as computed, after the article's number; then its folded subject.
FIGURE_COLUMNS = ("text", "value", "approximate", "bound", "unit", "kind", "subject", "role")
FIGURE_COLUMNS += ("paragraph", "start", "end", "low", "high")

Computed = tuple[int, list[tuple[object, ...]], list[tuple[object, ...]], list[str]]
"""A chunk's article count, its articles' rows, its figures' rows, notices met reading it."""

_BODIES: dict[str, Bodies] = {}  # a worker's reader of the library, kept between chunks


def folded(text: str | None) -> str:
    """``text`` folded for matching (:func:`~swreader.core.text.fold.fold`), or ``""``."""
    return fold(text) if text else ""


def compute(pages: list[Page], first: int, library: str | None) -> Computed:
    """The rows of the articles of ``pages``, numbered from ``first``.

    Args:
        pages: Whole pages; their header articles (no body) read it from ``library``.
        first: The number of the first article in the corpus.
        library: The library file, in a worker; ``None`` in the process owning the pages
            (their articles read their bodies themselves).

    Returns:
        One article row ``(number, id, title, region, province, city, date, province key,
        city key)`` per article with figures; one figure row ``(number, *FIGURE_COLUMNS,
        subject key)`` per figure, in reading order.
    """
    articles: list[tuple[object, ...]] = []
    figures: list[tuple[object, ...]] = []
    bodies = None
    number = first
    for page in pages:
        if library is not None and not all(a.body_loaded for a in page.articles):
            bodies = _BODIES.get(library) or _BODIES.setdefault(library, Bodies(Path(library)))
            bodies.defer(page)
        for article in page.articles:
            rows = figure_rows(article)
            if rows:
                r = rows[0]  # the article's columns, exactly as figure_rows gives them
                meta = (r.article_id, r.title, r.region, r.province, r.city, r.date)
                articles.append((number, *meta, folded(r.province), folded(r.city)))
                figures += [
                    (number, *(getattr(row, c) for c in FIGURE_COLUMNS), folded(row.subject))
                    for row in rows
                ]
            number += 1
    notices = []
    if bodies is not None:
        notices, bodies.notices[:] = list(bodies.notices), []
    return number - first, articles, figures, notices


def _chunks(pages: list[Page]) -> Iterator[tuple[list[Page], int]]:
    """Whole pages of about :data:`CHUNK` articles, with the number of their first article."""
    chunk: list[Page] = []
    first = size = 0
    for page in pages:
        chunk.append(page)
        size += len(page.articles)
        if size >= CHUNK:
            yield chunk, first
            first, chunk, size = first + size, [], 0
    if chunk:
        yield chunk, first


def computed(pages: list[Page], workers: int, library: str | None) -> Iterator[Computed]:
    """The rows of ``pages``, chunk by chunk in order: in worker processes when many.

    At most two chunks per worker are in flight, so rows never pile up in memory. Closing
    the generator early (an exception, a cancel) drops the queued chunks and waits only
    for those already running.

    Args:
        pages: The pages, in corpus order.
        workers: Worker processes to use (1: none).
        library: The library file the workers read header articles' bodies from, if any.
    """
    if sum(len(p.articles) for p in pages) < PARALLEL_FROM or workers < 2:
        for chunk, first in _chunks(pages):
            yield compute(chunk, first, None)
        return
    with running(workers) as pool:
        pending: deque[Future[Computed]] = deque()
        for chunk, first in _chunks(pages):
            pending.append(pool.submit(compute, chunk, first, library))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
