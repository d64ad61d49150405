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
What is read back is checked: an entry that is not a page of its file, or a text that does
not decode, is thrown away and read again from the file, with one line in the notices.
A path is stored as text, or as its bytes (:func:`os.fsencode`) if it is not UTF-8.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path
from typing import cast

from swreader.core.pages.corpus import Corpus, Page, iter_files
from swreader.core.pages.ids import ArchiveIds
from swreader.core.pages.model import PARSER_VERSION
from swreader.core.store import heads
from swreader.core.store.parsing import parse_dumped, parsing
from swreader.core.store.snapshots import Progress, Snapshots
from swreader.core.store.stored import Bodies, load, load_head, unpack_text
from swreader.core.store.stored import file_key as _key
from swreader.core.store.stored import stored_path as _stored_path
from swreader.core.system import memory
from swreader.core.system.blobs import DamagedBlob
from swreader.core.system.cachedb import open_cache_db
from swreader.core.system.paths import library_path

__all__ = [
    "BATCH",
    "PageCache",
    "Progress",
    "ensure_schema",
    "keep_snapshot",
    "open_corpus",
    "page_text",
]


#: Pages parsed per committed batch.
BATCH = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    parser INTEGER NOT NULL,
    blob BLOB NOT NULL,
    head BLOB NOT NULL,
    text BLOB
);
"""


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the ``pages`` table if it is missing."""
    conn.executescript(_SCHEMA)


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
        heads.ensure_schema(self.conn)
        self._damaged: list[str] = []  # why entries were thrown away, since the last notice
        #: Reads the paragraphs of pages loaded as headers (a warm start) on first use.
        self.bodies = Bodies(self.path, self.notices)
        #: The snapshots of whole opens (the ``heads`` table), read and kept.
        self.snapshots = Snapshots(self.conn, self.bodies, self.notices)

    def _note_damage(self) -> None:
        """Add one notice for the entries thrown away since the last one."""
        if self._damaged:
            why = f"{len(self._damaged)} damaged entries, the first: {self._damaged[0]}"
            self.notices.append(f"library: {why}; read again from the files")
            self._damaged = []

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    # -- pages -------------------------------------------------------------------------
    def _known(self) -> dict[str | bytes, tuple[object, object, object]]:
        """Stored paths and their keys; rows keyed by no path are left to drop."""
        rows = self.conn.execute("SELECT path, size, mtime_ns, parser FROM pages")
        return {row[0]: row[1:] for row in rows if isinstance(row[0], str | bytes)}

    def _store(self, rows: list[tuple[str | bytes, int, int, bytes, bytes, bytes | None]]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO pages (path, size, mtime_ns, parser, blob, head, text)"
                " VALUES (?,?,?,?,?,?,?)",
                [(*row[:3], PARSER_VERSION, *row[3:]) for row in rows],
            )

    def text_of(self, path: Path) -> str | None:
        """The decoded original text of a stored page, or ``None`` if none is stored.

        A stored text that does not decode, or is not this file's, is dropped (with a
        notice): the caller reads the file again, as for a page stored without its text.
        So is, quietly, a text stored without a check (by an older version).
        """
        key = _stored_path(path)
        row = self.conn.execute("SELECT text FROM pages WHERE path = ?", (key,)).fetchone()
        if row is None or row[0] is None:
            return None
        try:
            return unpack_text(key, row[0])
        except DamagedBlob as err:
            self._damaged.append(f"original text: {err}")
        with self.conn:
            self.conn.execute("UPDATE pages SET text = NULL WHERE path = ?", (key,))
        self._note_damage()
        return None

    def _cached(self, path: str | bytes) -> Page | None:
        """The stored page of ``path``; ``None`` (the file is parsed again) if it is damaged."""
        row = self.conn.execute("SELECT head FROM pages WHERE path = ?", (path,)).fetchone()
        if row is None:
            return None
        try:
            page = load_head(row[0], path)
        except DamagedBlob as err:  # replaced once open() has parsed the file again
            self._damaged.append(str(err))
            return None
        self.bodies.defer(page)
        return page

    def open(
        self,
        roots: Iterable[Path],
        progress: Callable[[Progress], None] | None = None,
        *,
        workers: int | None = None,
        cancel: threading.Event | None = None,
        trusted: Callable[[Corpus], None] | None = None,
    ) -> Corpus:
        """Load every page under ``roots``, parsing only what is new or changed.

        Args:
            roots: Files or folders, as for :func:`swreader.core.corpus.iter_files`.
            progress: Called after each batch with the pages parsed in it.
            workers: Worker processes for parsing; default: the CPU count.
            cancel: When set (from another thread), stop after the current batch: the
                files still queued are not parsed, and workers are not waited for.
            trusted: Called with the corpus of the roots' last snapshot, if there is
                one, *before* the files are walked and checked (see :meth:`Snapshots.trusted`);
                the walk waits for it to return.

        Returns:
            The corpus in file order; files that vanished are dropped from the library.
            It is the very corpus given to ``trusted`` if the files are still those it
            was read from. A cancelled open returns the pages read so far (what was
            parsed is stored, so the next open carries on from there).
        """
        roots = list(roots)
        early = self.snapshots.trusted(roots, progress, cancel, trusted) if trusted else None
        if early is not None and cancel is not None and cancel.is_set():
            return early
        files, ids = list(iter_files(roots)), ArchiveIds(roots)
        found = [_key(f) for f in files]
        known = self._known()
        # By position, not a dict of Paths: hashing a Path builds its string (0.3 s at 100k).
        todo = [
            f
            for f, k in zip(files, found, strict=True)
            if k is None or known.get(k[0]) != (*k[1:], PARSER_VERSION)
        ]
        taken = None  # a file that cannot be stat'ed is read anew each time: no snapshot
        if all(found):
            taken = heads.Taken(heads.roots_key(roots), cast(list[heads.FileKey], found))
        # Only if every page is stored as it is now: the snapshot then agrees with the
        # pages table, which a body read on demand comes back to.
        if taken is not None and not todo:
            if early is not None and isinstance(early.taken, heads.Taken):
                if early.taken.keys == taken.keys:
                    return early  # what was shown is what is there
            elif (corpus := self.snapshots.exact(taken, files, progress, cancel)) is not None:
                return corpus
        keys = dict(zip(files, found, strict=True))
        pending = set(todo)
        pages: list[Page] = []
        batch: list[Page] = []
        rows: list[tuple[str | bytes, int, int, bytes, bytes, bytes | None]] = []
        with parsing(workers, len(todo)) as parse:
            results = parse(todo)
            for f in files:
                key = keys[f]
                page = None
                if f in pending:
                    blob, head, text = next(results)
                    page = load(blob)
                    if key is not None and _key(f) == key and text is not None:
                        rows.append((*key, blob, head, text))
                elif key is not None:
                    page = self._cached(key[0])
                if page is None:  # vanished, or a stored entry that no longer loads
                    blob, head, text = parse_dumped(f)
                    page = load(blob)
                    if key is not None and text is not None:
                        rows.append((*key, blob, head, text))
                page.path = f
                ids.assign(page)  # archive-wide ids, as pages are shown (see pages.ids)
                batch.append(page)
                # Parsed pages come in batches of BATCH, so a cold open shows them as they
                # come; stored ones in batches that double, so a warm open is a handful of
                # messages to the UI rather than one per 64 pages (each costs its thread).
                size = BATCH if pending else max(BATCH, len(pages))
                if len(batch) >= size or f is files[-1]:
                    self._store(rows)
                    rows = []
                    pages += batch
                    if progress:
                        progress(Progress(len(pages), len(files), batch))
                    batch = []
                    if cancel is not None and cancel.is_set():
                        break
        self._note_damage()
        complete = cancel is None or not cancel.is_set()
        if complete:
            self._drop_missing(roots, {k[0] for k in keys.values() if k})
        memory.trim()  # the parsed pages' buffers, and the pool's
        return Corpus(pages, taken=taken if complete else None)

    def keep_snapshot(self, corpus: Corpus) -> bool:
        """Store ``corpus`` (as this library opened it) as its roots' snapshot, if stale.

        Returns:
            Whether one was written: not if it is current, or not opened here in full.
        """
        return self.snapshots.keep(corpus)

    def _drop_missing(self, roots: Iterable[Path], present: set[str | bytes]) -> None:
        """Forget pages under ``roots`` whose files are gone, and rows keyed by no path."""
        prefixes = []  # compared as bytes: a stored path may be either
        for root in roots:
            resolved = os.fsencode(os.path.abspath(root))
            prefixes.append(resolved if not Path(root).is_dir() else resolved + os.sep.encode())
        gone = [
            path
            for path in self._known()
            if path not in present
            and any((b := os.fsencode(path)) == p or b.startswith(p) for p in prefixes)
        ]
        with self.conn:
            self.conn.executemany("DELETE FROM pages WHERE path = ?", [(p,) for p in gone])
            # A number or NULL names no file: damage, whose file was read anew.
            self.conn.execute("DELETE FROM pages WHERE typeof(path) NOT IN ('text', 'blob')")


def page_text(page: Page, notices: list[str] | None = None) -> str | None:
    """The original text of ``page``: from the library, else decoded from the file again.

    Args:
        page: A page of the corpus.
        notices: Where to add a line about the library (a damaged entry, say).
    """
    if page.text is not None:
        return page.text
    try:
        with closing(PageCache()) as library:
            text = library.text_of(page.path)
            if notices is not None:
                notices += library.notices
    except (sqlite3.Error, OSError) as err:
        if notices is not None:
            notices.append(f"library unavailable ({err}); read the page directly")
        text = None
    if text is None:
        from swreader.core.text.reading import UnreadableError, read_page

        try:
            text = read_page(page.path).text
        except UnreadableError:
            return None
    return text


def open_corpus(
    roots: Iterable[Path],
    progress: Callable[[Progress], None] | None = None,
    *,
    cancel: threading.Event | None = None,
    snapshot: bool = True,
    trusted: Callable[[Corpus], None] | None = None,
) -> tuple[Corpus, list[str]]:
    """Open ``roots`` through the library; fall back to a plain read if it is unusable.

    ``progress``, ``cancel`` and ``trusted`` are as for :meth:`PageCache.open` (set
    ``cancel`` to stop promptly, when quitting). With ``snapshot``, a stale snapshot of
    the open is written before returning; the reader passes ``False`` and calls
    :func:`keep_snapshot` once search answers (at 100k the write takes a few seconds).

    Returns:
        The corpus and any notices about the library.
    """
    from swreader.core.pages.corpus import load_corpus

    roots = list(roots)
    try:
        with closing(PageCache()) as library:
            corpus = library.open(roots, progress, cancel=cancel, trusted=trusted)
            if snapshot:
                _keep(library, corpus)
            return corpus, library.notices
    except (sqlite3.Error, OSError) as err:
        return load_corpus(roots), [f"library unavailable ({err}); read the pages directly"]


def _keep(library: PageCache, corpus: Corpus) -> None:
    # Best effort: a library locked by another process for too long only means the next
    # start reads page by page and tries again.
    with contextlib.suppress(sqlite3.Error):
        library.keep_snapshot(corpus)


def keep_snapshot(corpus: Corpus) -> list[str]:
    """Write the snapshot of an open made with ``snapshot=False``; returns notices."""
    if heads.stale(corpus.taken) is None:
        return []  # nothing to write: the library is not even opened
    try:
        with closing(PageCache()) as library:
            _keep(library, corpus)
            return library.notices
    except (sqlite3.Error, OSError) as err:
        return [f"library unavailable ({err}); the pages' snapshot was not kept"]
