"""Parsing the files an open needs, in worker processes when there are many.

The page cache (:mod:`~swreader.core.store.pagecache`) asks for what is new or changed;
each file comes back in its stored form (:func:`~swreader.core.store.stored.dump`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from swreader.core.pages.corpus import Page, load_page
from swreader.core.store.stored import dump
from swreader.core.store.stored import file_key as _key
from swreader.core.system.workers import running

__all__ = ["PARALLEL_FROM", "Dumped", "parse_dumped", "parse_file", "parsing"]

#: Use worker processes when at least this many files need parsing.
PARALLEL_FROM = 48


def parse_file(path: Path) -> Page:
    """Parse one file, re-reading it once if it changed while being read."""
    for _ in range(2):
        before = _key(path)
        page = load_page(path)
        after = _key(path)
        if before == after:
            return page
    page.error = page.error or "file kept changing while it was read"
    return page


Dumped = tuple[bytes, bytes, bytes | None]


def parse_dumped(path: Path) -> Dumped:
    """Parse one file and return it as stored (see :func:`~swreader.core.store.stored.dump`).

    Workers return the stored form rather than the page: it is smaller to send, and the
    parent's copy, unpickled from it, has no cached UTF-8 in its strings (pickling a str
    caches one, which would cost ~90 MB at 10,000 articles).
    """
    return dump(parse_file(path))


@contextmanager
def parsing(workers: int | None, count: int) -> Iterator[Callable[[list[Path]], Iterator[Dumped]]]:
    """A function parsing files in order: in worker processes when there are many.

    Leaving early (an exception, or a cancelled open) does not wait for the queued files:
    they are cancelled and the workers finish only the chunks handed to them
    (:func:`~swreader.core.system.workers.running`).
    """
    workers = workers or os.cpu_count() or 1
    if count < PARALLEL_FROM or workers < 2:
        yield lambda files: (parse_dumped(f) for f in files)
        return
    with running(workers) as pool:
        yield lambda files: pool.map(parse_dumped, files, chunksize=8)
