"""The page cache: parsed pages kept in SQLite so a relaunch re-reads only what changed.

A cache, never precious: everything in it can be rebuilt from the user's files, so a file
of another layout or a damaged one is started again (:mod:`swreader.core.system.cachedb`).

Each page is keyed by its resolved path and remembered with its size, mtime and the parser
version that read it. :meth:`PageCache.open` scans the given paths, parses only new or
changed files (in worker processes when there are many), drops files that disappeared,
and returns the corpus. Pages are committed in small batches inside WAL transactions, so
a process killed mid-index leaves a consistent database and the next run carries on.

The search index of a set of pages is stored in the same file, in tables of its own (see
:mod:`swreader.core.search.persist`); this module owns only the ``pages`` table.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from swreader.core.pages.corpus import Corpus, Page, iter_files, load_page
from swreader.core.pages.parse import PARSER_VERSION
from swreader.core.system import memory
from swreader.core.system.cachedb import open_cache_db
from swreader.core.system.paths import library_path

#: Pages parsed per committed batch.
BATCH = 64
#: Use worker processes when at least this many files need parsing.
PARALLEL_FROM = 48

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    parser INTEGER NOT NULL,
    blob BLOB NOT NULL,
    text BLOB
);
"""


@dataclass(frozen=True, slots=True)
class Progress:
    """How far an open has got: ``done`` of ``total`` files needing a parse."""

    done: int
    total: int
    pages: list[Page]


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the ``pages`` table if it is missing."""
    conn.executescript(_SCHEMA)


def _key(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    # abspath, not resolve(): no system call per path component, which matters at 10k files.
    return os.path.abspath(path), st.st_size, st.st_mtime_ns


def _parse(path: Path) -> Page:
    """Parse one file, re-reading it once if it changed while being read."""
    for _ in range(2):
        before = _key(path)
        page = load_page(path)
        after = _key(path)
        if before == after:
            return page
    page.error = page.error or "file kept changing while it was read"
    return page


def _parse_dumped(path: Path) -> tuple[bytes, bytes | None]:
    """Parse one file and return it as stored (see :func:`_dump`).

    Workers return the stored form rather than the page: it is smaller to send, and the
    parent's copy, unpickled from it, has no cached UTF-8 in its strings (pickling a str
    caches one, which would cost ~90 MB at 10,000 articles).
    """
    return _dump(_parse(path))


@contextmanager
def _parser(
    workers: int | None, count: int
) -> Iterator[Callable[[list[Path]], Iterator[tuple[bytes, bytes | None]]]]:
    """A function parsing files in order: in worker processes when there are many."""
    workers = workers or os.cpu_count() or 1
    if count < PARALLEL_FROM or workers < 2:
        yield lambda files: (_parse_dumped(f) for f in files)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield lambda files: pool.map(_parse_dumped, files, chunksize=8)


def _dump(page: Page) -> tuple[bytes, bytes | None]:
    """The page without its text, and the text, both compressed.

    The decoded text is only needed to show the original page, so it is stored apart and
    never loaded with the corpus (at 30M characters it would double the memory).
    """
    text, page.text = page.text, None
    try:
        blob = zlib.compress(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL), 3)
    finally:
        page.text = text
    return blob, zlib.compress(text.encode("utf-8"), 3) if text is not None else None


def _load(blob: bytes) -> Page:
    page = pickle.loads(zlib.decompress(blob))
    if not isinstance(page, Page):
        raise TypeError("not a page")
    return page


class PageCache:
    """Parsed pages in SQLite (WAL, busy timeout; safe for two processes).

    Args:
        path: The database file; default :func:`library_path`.
        timeout: Seconds to wait for another process's lock.
    """

    def __init__(self, path: Path | None = None, *, timeout: float = 10.0) -> None:
        self.path = path or library_path()
        self.notices: list[str] = []
        self.conn = open_cache_db(self.path, timeout=timeout, notices=self.notices)
        ensure_schema(self.conn)

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    # -- pages -------------------------------------------------------------------------
    def _known(self) -> dict[str, tuple[int, int, int]]:
        rows = self.conn.execute("SELECT path, size, mtime_ns, parser FROM pages")
        return {path: (size, mtime, parser) for path, size, mtime, parser in rows}

    def _store(self, rows: list[tuple[str, int, int, bytes, bytes | None]]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO pages (path, size, mtime_ns, parser, blob, text)"
                " VALUES (?,?,?,?,?,?)",
                [
                    (p, size, mtime, PARSER_VERSION, blob, text)
                    for p, size, mtime, blob, text in rows
                ],
            )

    def text_of(self, path: Path) -> str | None:
        """The decoded original text of a stored page, or ``None``."""
        row = self.conn.execute(
            "SELECT text FROM pages WHERE path = ?", (os.path.abspath(path),)
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return zlib.decompress(row[0]).decode("utf-8")

    def _cached(self, path: str) -> Page | None:
        row = self.conn.execute("SELECT blob FROM pages WHERE path = ?", (path,)).fetchone()
        if row is None:
            return None
        try:
            return _load(row[0])
        except (pickle.UnpicklingError, zlib.error, TypeError, EOFError, AttributeError):
            return None  # an entry from an incompatible version: parse again

    def open(
        self,
        roots: Iterable[Path],
        progress: Callable[[Progress], None] | None = None,
        *,
        workers: int | None = None,
    ) -> Corpus:
        """Load every page under ``roots``, parsing only what is new or changed.

        Args:
            roots: Files or folders, as for :func:`swreader.core.corpus.iter_files`.
            progress: Called after each batch with the pages parsed in it.
            workers: Worker processes for parsing; default: the CPU count.

        Returns:
            The corpus in file order; files that vanished are dropped from the library.
        """
        roots = list(roots)
        files = list(iter_files(roots))
        known = self._known()
        keys = {f: _key(f) for f in files}
        todo = [
            f
            for f in files
            if keys[f] is None or known.get(keys[f][0]) != (*keys[f][1:], PARSER_VERSION)
        ]
        pending = set(todo)
        pages: list[Page] = []
        batch: list[Page] = []
        rows: list[tuple[str, int, int, bytes, bytes | None]] = []
        with _parser(workers, len(todo)) as parse:
            results = parse(todo)
            for f in files:
                key = keys[f]
                page = None
                if f in pending:
                    blob, text = next(results)
                    page = _load(blob)
                    if key is not None and _key(f) == key and text is not None:
                        rows.append((*key, blob, text))
                elif key is not None:
                    page = self._cached(key[0])
                if page is None:  # vanished, or a stored entry that no longer loads
                    blob, text = _parse_dumped(f)
                    page = _load(blob)
                    if key is not None and text is not None:
                        rows.append((*key, blob, text))
                page.path = f
                batch.append(page)
                if len(batch) >= BATCH or f is files[-1]:
                    self._store(rows)
                    rows = []
                    pages += batch
                    if progress:
                        progress(Progress(len(pages), len(files), batch))
                    batch = []
        self._drop_missing(roots, {k[0] for k in keys.values() if k})
        memory.trim()  # the parsed pages' buffers, and the pool's
        return Corpus(pages)

    def _drop_missing(self, roots: Iterable[Path], present: set[str]) -> None:
        """Forget pages under ``roots`` whose files are gone."""
        prefixes = []
        for root in roots:
            resolved = os.path.abspath(root)
            prefixes.append(resolved if not Path(root).is_dir() else resolved + os.sep)
        gone = [
            path
            for path in self._known()
            if path not in present and any(path == p or path.startswith(p) for p in prefixes)
        ]
        if gone:
            with self.conn:
                self.conn.executemany("DELETE FROM pages WHERE path = ?", [(p,) for p in gone])


def page_text(page: Page) -> str | None:
    """The original text of ``page``: from the library, else decoded from the file again."""
    if page.text is not None:
        return page.text
    try:
        with closing(PageCache()) as library:
            text = library.text_of(page.path)
    except (sqlite3.Error, OSError):
        text = None
    if text is None:
        from swreader.core.text.reading import UnreadableError, read_page

        try:
            text = read_page(page.path).text
        except UnreadableError:
            return None
    return text


def open_corpus(
    roots: Iterable[Path], progress: Callable[[Progress], None] | None = None
) -> tuple[Corpus, list[str]]:
    """Open ``roots`` through the library; fall back to a plain read if it is unusable.

    Returns:
        The corpus and any notices about the library.
    """
    from swreader.core.pages.corpus import load_corpus

    roots = list(roots)
    try:
        with closing(PageCache()) as library:
            return library.open(roots, progress), library.notices
    except (sqlite3.Error, OSError) as err:
        return load_corpus(roots), [f"library unavailable ({err}); read the pages directly"]
