"""The full-text index: two SQLite FTS5 tables per build, read straight from the library file.

Documents are numbered by the engine (titles first, then paragraphs, newest article first;
see :mod:`swreader.core.search.engine`), and a document's number is its rowid here, so an
FTS5 query ``ORDER BY rowid`` yields documents in ranking order and can stop after the first
few: nothing is held in memory and nothing is capped.

* ``fts_<key>`` holds every document as the character pairs of its searchable text
  (:mod:`swreader.core.search.tokens`), with positions (``detail=full``): a phrase query
  finds a term exactly, a ``NEAR`` query a term with a typo.
* ``pinyin_<key>`` holds the titles and subheads as pinyin token streams
  (:func:`swreader.core.search.pinyin.columns`).

Both are contentless (``content=''``): the texts themselves are the articles'. A large
build fills the pair table in two halves at once (:mod:`~swreader.core.search.halves`):
the later documents go to ``ftsb_<key>``, queried after ``fts_<key>``.
Tokenising is pure Python (~40 µs a paragraph) and is spread over worker processes; the
inserts, in SQLite, overlap with it. This module owns both tables.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from swreader.core.search import halves, pinyin
from swreader.core.search.halves import library_file, tune
from swreader.core.search.tokens import pair_tokens, searchable
from swreader.core.system.workers import pool

__all__ = ["FullText", "FullTextError", "current", "tables"]

#: Documents per chunk sent to a worker.
CHUNK = 2_000
#: Tokenise in worker processes from this many documents on.
PARALLEL_FROM = 20_000
#: Fill the pair table in two halves at once from this many documents on (a file-backed
#: library only). FTS5 inserts the pairs at ~2.5 M a second in one thread, and a 10k
#: archive has 31 M of them: one thread was most of the cold index.
HALVES_FROM = 100_000
_PAIRS_SQL = "(b, content='', detail=full, columnsize=0, tokenize='ascii')"

_KEY_RE = re.compile(r"[0-9a-z_]{1,120}")
#: Prefix indexes of the pinyin table: a syllable being typed (``z``, ``sh``, ``xu c``) is
#: one lookup instead of a merge of every token it starts (at 100k articles, ``z*`` took
#: 149 ms and now under 1 ms). Syllables are at most six letters, so a longer partial one
#: starts only a few tokens. The table grows ~2.5x, but it holds titles and subheads only.
_PREFIXES = "prefix='1 2 3'"


class FullTextError(ValueError):
    """The stored tables are missing or do not hold what the index says they do."""


_Tokenised = tuple[str, str, tuple[str, ...] | None]
_SPOKEN_SQL = "INSERT INTO {table}(rowid, full, alt, ini, ini2) VALUES (?,?,?,?,?)"


def _tokenise(chunk: Sequence[tuple[str, bool]]) -> list[_Tokenised]:
    """Searchable text, tokens and (short documents) pinyin streams of each document."""
    out: list[_Tokenised] = []
    for text, short in chunk:
        s = searchable(text)
        out.append((s, pair_tokens(s), pinyin.columns(s) if short else None))
    return out


def _chunks(docs: Iterable[tuple[str, bool]]) -> Iterator[list[tuple[str, bool]]]:
    chunk: list[tuple[str, bool]] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_order(
    executor: Executor, chunks: Iterable[list[tuple[str, bool]]], window: int
) -> Iterator[list[_Tokenised]]:
    """``executor.map(_tokenise, chunks)`` with at most ``window`` chunks in flight.

    ``Executor.map`` submits every chunk at once: at 100k articles the texts, then the
    tokens waiting for the inserts, would all sit in memory together.
    """
    pending: deque[Future[list[_Tokenised]]] = deque()
    for chunk in chunks:
        pending.append(executor.submit(_tokenise, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class FullText:
    """The two FTS5 tables of one index build.

    Args:
        conn: The library connection (or any SQLite connection).
        key: Lower-case letters, digits and ``_``: the tables' suffix.
    """

    def __init__(self, conn: sqlite3.Connection, key: str) -> None:
        if not _KEY_RE.fullmatch(key):
            raise FullTextError(f"bad index key {key!r}")
        self.conn = conn
        self.key = key
        self.docs = f"fts_{key}"
        self.more = f"ftsb_{key}"  # the later documents, when built in two halves
        self.short = f"pinyin_{key}"
        #: Searchable texts of the first documents, kept by :meth:`build` (``keep``).
        self.kept: list[str] = []
        self._halved: bool | None = None

    @property
    def pairs(self) -> tuple[str, ...]:
        """The pair tables, in document order: one, or two for a build in halves."""
        if self._halved is None:
            found = self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (self.more,)
            ).fetchone()
            self._halved = found is not None
        return (self.docs, self.more) if self._halved else (self.docs,)

    @classmethod
    def build(
        cls,
        conn: sqlite3.Connection,
        key: str,
        documents: Callable[[int, int | None], Iterable[tuple[str, bool]]],
        count: int,
        workers: int | None = None,
        keep: int = 0,
    ) -> FullText:
        """Create and fill the tables.

        Args:
            conn: Where to create them.
            key: Their suffix.
            documents: ``documents(start, stop)`` gives ``(text, short)`` of documents
                ``start`` to ``stop`` (None: the last), in order; short ones (titles,
                subheads) are indexed as pinyin too.
            count: How many documents there are (to decide whether to use workers).
            workers: Worker processes (default: the CPU count; 1 = none).
            keep: Keep the searchable texts of this many first documents in :attr:`kept`.
        """
        self = cls(conn, key)
        with conn:
            conn.execute(f"CREATE VIRTUAL TABLE {self.docs} USING fts5{_PAIRS_SQL}")
            conn.execute(
                f"CREATE VIRTUAL TABLE {self.short} USING fts5"
                f"(full, alt, ini, ini2, content='', columnsize=0, tokenize='ascii', {_PREFIXES})"
            )
            for table in (self.docs, self.short):
                tune(conn, table)
        workers = workers or os.cpu_count() or 1
        parallel = count >= PARALLEL_FROM and workers > 1
        library = library_file(conn)
        # The titles, kept, all fall in the first half.
        split = max(count // 2, keep) if parallel and count >= HALVES_FROM and library else None
        with pool(workers) if parallel else contextlib.nullcontext() as executor:

            def tokenised(start: int, stop: int | None) -> Iterator[list[_Tokenised]]:
                chunks = _chunks(documents(start, stop))
                if executor is None:
                    return map(_tokenise, chunks)
                return _in_order(executor, chunks, 2 * workers)

            if split is None or library is None:
                self._fill(self.conn, self.docs, tokenised(0, None), 0, keep, None)
            else:
                spoken: list[tuple[object, ...]] = []
                with halves.Half(library, self.key, _PAIRS_SQL) as half:
                    half.fill(
                        lambda c, t: self._fill(c, t, tokenised(split, None), split, 0, spoken)
                    )
                    self._fill(self.conn, self.docs, tokenised(0, split), 0, keep, None)
                    half.join()
                    with self.conn:
                        self.conn.executemany(_SPOKEN_SQL.format(table=self.short), spoken)
                    half.adopt(self.more)
                self._halved = True
        with conn:
            # Merges the segments written while filling: fewer b-trees for each query.
            conn.execute(f"INSERT INTO {self.docs}({self.docs}) VALUES('optimize')")
            conn.execute(f"INSERT INTO {self.short}({self.short}) VALUES('optimize')")
        return self

    def _fill(
        self,
        conn: sqlite3.Connection,
        table: str,
        tokenised: Iterable[list[_Tokenised]],
        start: int,
        keep: int,
        spoken: list[tuple[object, ...]] | None,
    ) -> None:
        """Insert documents ``start``, ``start + 1``… into pair table ``table`` of ``conn``.

        Their pinyin rows go to this build's pinyin table, or, with ``spoken``, to that list
        (a half filled on a connection of its own hands them over).
        """
        doc = start
        with conn:
            for chunk in tokenised:
                rows, short = [], []
                for text, tokens, streams in chunk:
                    if doc < keep:
                        self.kept.append(text)
                    rows.append((doc, tokens))
                    if streams is not None:
                        short.append((doc, *streams))
                    doc += 1
                conn.executemany(f"INSERT INTO {table}(rowid, b) VALUES (?, ?)", rows)
                if spoken is None:
                    conn.executemany(_SPOKEN_SQL.format(table=self.short), short)
                else:
                    spoken.extend(short)

    def check(self) -> None:
        """Raise :class:`FullTextError` unless both tables are there and answer a query."""
        try:
            for table in (*self.pairs, self.short):
                self.conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH 'a' LIMIT 1")
        except sqlite3.Error as err:
            raise FullTextError(f"full-text tables unreadable: {err}") from None

    def checksum(self) -> int:
        """A CRC of everything FTS5 stored for both tables (~0.1 s per 100 MB).

        FTS5 reports much damage to its tables as an error, but a changed byte in a doclist
        may just read as other documents; this is compared with the CRC taken at build time.

        Raises:
            FullTextError: A table cannot be read.
        """
        crc = 0
        try:
            for table in (*self.pairs, self.short):
                for sql in (
                    f"SELECT id, block FROM {table}_data ORDER BY id",
                    f"SELECT segid, term, pgno FROM {table}_idx ORDER BY segid, term",
                    f"SELECT k, v FROM {table}_config ORDER BY k",
                ):
                    cursor = self.conn.execute(sql)
                    # A CRC runs on: one call per 512 rows gives the CRC of one per value,
                    # in far fewer calls (each on a large buffer lets go of the GIL).
                    while rows := cursor.fetchmany(512):
                        crc = zlib.crc32(b"".join(_bytes(v) for row in rows for v in row), crc)
        except sqlite3.Error as err:
            raise FullTextError(f"full-text tables unreadable: {err}") from None
        return crc

    def checksum_apart(self) -> int:
        """:meth:`checksum`, read in a process of its own (a file-backed library only).

        At 100k articles the checksum reads 830 MB, 2 s of a loop that holds the GIL: in
        the reader's loading worker that starved the UI thread just as the reader began to
        search. A process of its own reads it on a connection of its own: a spawned one,
        since a forked child of a process whose other threads hold locks (the UI's) can
        wait on them for ever. Where no process can be had, it is read here.

        Raises:
            FullTextError: A table cannot be read.
        """
        library = library_file(self.conn)
        if not library:  # in memory: no other process can read it
            return self.checksum()
        try:
            with pool(1, start="spawn") as workers:
                return workers.submit(checksum_of, library, self.key).result()
        except (OSError, ValueError, BrokenProcessPool):  # ValueError: no fds to hand over
            return self.checksum()

    def rows(self, query: str, low: int = 0, high: int | None = None) -> Iterator[int]:
        """Documents matching the FTS5 ``query``, ascending, within ``[low, high)``."""
        for table in self.pairs:  # in document order: the halves' rows follow one another
            yield from self._rows(table, query, low, high)

    def pinyin_rows(self, query: str, low: int = 0, high: int | None = None) -> Iterator[int]:
        """Short documents matching the FTS5 ``query`` on their pinyin streams, ascending."""
        yield from self._rows(self.short, query, low, high)

    def _rows(self, table: str, query: str, low: int, high: int | None) -> Iterator[int]:
        if not query:
            return
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid >= ?"
        args: tuple[object, ...] = (query, low)
        if high is not None:
            sql += " AND rowid < ?"
            args += (high,)
        cursor = self.conn.execute(sql + " ORDER BY rowid", args)
        # In slices: a query is often left after its first rows (a top-50 of 100,000).
        while batch := cursor.fetchmany(256):
            for (rowid,) in batch:
                yield rowid

    def drop(self) -> None:
        """Delete both tables."""
        with self.conn:
            for table in (self.docs, self.more, self.short):
                self.conn.execute(f"DROP TABLE IF EXISTS {table}")
        self._halved = None


def checksum_of(library: str, key: str) -> int:
    """:meth:`FullText.checksum` of build ``key`` in the library file ``library``, read-only.

    Raises:
        FullTextError: A table cannot be read.
    """
    try:
        conn = sqlite3.connect(f"{Path(library).as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise FullTextError(f"full-text tables unreadable: {err}") from None
    try:
        return FullText(conn, key).checksum()
    finally:
        conn.close()


def current(conn: sqlite3.Connection, key: str) -> bool:
    """Whether the pinyin table of build ``key`` is of today's form (its prefix index).

    An index built before it answers correctly but slowly (a syllable being typed merged
    every token it starts: 90–150 ms at 100k articles); the caller builds it anew.
    """
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (f"pinyin_{key}",)
    ).fetchone()
    return row is not None and isinstance(row[0], str) and _PREFIXES in row[0]


def _bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    return repr(value).encode("utf-8", "surrogatepass")


def tables(conn: sqlite3.Connection) -> list[str]:
    """Keys of every full-text build stored in ``conn`` (their shadow tables aside)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'fts\\_%' ESCAPE '\\'"
        " AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    )
    return [name[4:] for (name,) in rows if isinstance(name, str)]
