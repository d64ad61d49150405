"""A persistent library: parsed pages kept in SQLite so a relaunch re-reads only what changed.

Each page is keyed by its resolved path and remembered with its size, mtime and the parser
version that read it. :meth:`Library.open` scans the given paths, parses only new or
changed files (in worker processes when there are many), drops files that disappeared,
and returns the corpus. Pages are committed in small batches inside WAL transactions, so
a process killed mid-index leaves a consistent database and the next run carries on.

The search index of a set of pages is stored too, under a signature of those pages, so a
warm start does not rebuild it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from swreader.core.blobs import Compressing, Decompressing
from swreader.core.corpus import Corpus, Page, iter_files, load_page
from swreader.core.storage import data_dir

#: Bump when parsing changes, so every page is read again.
PARSER_VERSION = 3
#: Pages parsed per committed batch.
BATCH = 64
#: Use worker processes when at least this many files need parsing.
PARALLEL_FROM = 48

#: The database layout; a library of another layout is a cache and is simply rebuilt.
SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    parser INTEGER NOT NULL,
    blob BLOB NOT NULL,
    text BLOB
);
CREATE TABLE IF NOT EXISTS indexes (
    signature TEXT PRIMARY KEY,
    blob BLOB NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Progress:
    """How far an open has got: ``done`` of ``total`` files needing a parse."""

    done: int
    total: int
    pages: list[Page]


def library_path() -> Path:
    """The library database, ``data_dir() / "library.db"``."""
    return data_dir() / "library.db"


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


@contextmanager
def _parser(workers: int | None, count: int) -> Iterator[Callable[[list[Path]], Iterator[Page]]]:
    """A function parsing files in order: in worker processes when there are many."""
    workers = workers or os.cpu_count() or 1
    if count < PARALLEL_FROM or workers < 2:
        yield lambda files: (_parse(f) for f in files)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield lambda files: pool.map(_parse, files, chunksize=8)


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


class Library:
    """Parsed pages and search indexes in SQLite (WAL, busy timeout; safe for two processes).

    Args:
        path: The database file; default :func:`library_path`.
        timeout: Seconds to wait for another process's lock.
    """

    def __init__(self, path: Path | None = None, *, timeout: float = 10.0) -> None:
        self.path = path or library_path()
        self.notices: list[str] = []
        self.conn = self._connect(timeout)

    def _connect(self, timeout: float) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                with conn:
                    conn.execute("DROP TABLE IF EXISTS pages")
                    conn.execute("DROP TABLE IF EXISTS indexes")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.executescript(_SCHEMA)
            conn.execute("SELECT count(*) FROM pages").fetchone()
            return conn
        except sqlite3.DatabaseError as err:
            # The library is a cache of files the user still has: when it is damaged, set
            # it aside and start again rather than stopping.
            aside = self.path.with_name(self.path.name + ".corrupt")
            try:
                os.replace(self.path, aside)
            except OSError as move_err:
                self.notices.append(f"library unusable ({err}; {move_err}); working without it")
                return self._memory()
            self.notices.append(f"library file was damaged ({err}); moved to {aside}, re-indexing")
            conn = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            return conn

    def _memory(self) -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.executescript(_SCHEMA)
        return conn

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    # -- pages -------------------------------------------------------------------------
    def _known(self) -> dict[str, tuple[int, int, int]]:
        rows = self.conn.execute("SELECT path, size, mtime_ns, parser FROM pages")
        return {path: (size, mtime, parser) for path, size, mtime, parser in rows}

    def _store(self, rows: list[tuple[str, int, int, Page]]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO pages (path, size, mtime_ns, parser, blob, text)"
                " VALUES (?,?,?,?,?,?)",
                [(p, size, mtime, PARSER_VERSION, *_dump(page)) for p, size, mtime, page in rows],
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
        rows: list[tuple[str, int, int, Page]] = []
        with _parser(workers, len(todo)) as parse:
            results = parse(todo)
            for f in files:
                key = keys[f]
                page = None
                if f in pending:
                    page = next(results)
                    if key is not None and _key(f) == key and page.text is not None:
                        rows.append((*key, page))
                elif key is not None:
                    page = self._cached(key[0])
                if page is None:  # vanished, or a stored entry that no longer loads
                    page = _parse(f)
                    if key is not None and page.text is not None:
                        rows.append((*key, page))
                page.path = f
                batch.append(page)
                if len(batch) >= BATCH or f is files[-1]:
                    self._store(rows)
                    rows = []
                    for done in batch:
                        done.text = None  # kept in the library; see page_text()
                    pages += batch
                    if progress:
                        progress(Progress(len(pages), len(files), batch))
                    batch = []
        self._drop_missing(roots, {k[0] for k in keys.values() if k})
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

    # -- search index ------------------------------------------------------------------
    @staticmethod
    def signature(corpus: Corpus) -> str:
        """A digest of the pages (and their parse) that a search index was built from."""
        digest = hashlib.sha1(str(PARSER_VERSION).encode())
        for page in corpus.pages:
            for article in page.articles:
                digest.update(article.id.encode())
                digest.update(str(sum(len(p.text) for p in article.paragraphs)).encode())
        return digest.hexdigest()

    def load_index(self, signature: str) -> Any | None:
        """The stored search index for ``signature``, or ``None``."""
        row = self.conn.execute(
            "SELECT blob FROM indexes WHERE signature = ?", (signature,)
        ).fetchone()
        if row is None:
            return None
        try:
            return pickle.load(Decompressing(row[0]))
        except (pickle.UnpicklingError, zlib.error, EOFError, AttributeError, TypeError):
            return None

    def save_index(self, signature: str, index: object) -> None:
        """Store a search index; older ones are dropped (one index per library)."""
        sink = Compressing()
        pickle.dump(index, sink, protocol=pickle.HIGHEST_PROTOCOL)
        blob = sink.finish()
        with self.conn:
            self.conn.execute("DELETE FROM indexes")
            self.conn.execute("INSERT INTO indexes VALUES (?, ?)", (signature, blob))


def page_text(page: Page) -> str | None:
    """The original text of ``page``: from the library, else decoded from the file again."""
    if page.text is not None:
        return page.text
    try:
        with closing(Library()) as library:
            text = library.text_of(page.path)
    except (sqlite3.Error, OSError):
        text = None
    if text is None:
        from swreader.core.reading import UnreadableError, read_page

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
    from swreader.core.corpus import load_corpus

    roots = list(roots)
    try:
        with closing(Library()) as library:
            return library.open(roots, progress), library.notices
    except (sqlite3.Error, OSError) as err:
        return load_corpus(roots), [f"library unavailable ({err}); read the pages directly"]


def cached_index(corpus: Corpus) -> Any:
    """The search index of ``corpus``: loaded from the library when it is current.

    Building the index of a large archive takes seconds; a warm start loads it instead.

    Returns:
        A :class:`swreader.core.search.SearchIndex`.
    """
    from swreader.core.search import SearchIndex

    signature = Library.signature(corpus)
    library: Library | None
    try:
        library = Library()
    except (sqlite3.Error, OSError):
        library = None
    try:
        if library is not None:
            index = library.load_index(signature)
            if isinstance(index, SearchIndex):
                return index.attach(corpus.articles)
        index = SearchIndex(corpus.articles)
        if library is not None:
            library.save_index(signature, index)
        return index
    except sqlite3.Error:
        return SearchIndex(corpus.articles)
    finally:
        if library is not None:
            library.close()
