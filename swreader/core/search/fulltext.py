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

Both are contentless (``content=''``): the texts themselves are the articles'.
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
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from swreader.core.search import pinyin
from swreader.core.search.tokens import pair_tokens, searchable
from swreader.core.system.workers import pool

__all__ = ["FullText", "FullTextError", "current", "tables"]

#: Documents per chunk sent to a worker.
CHUNK = 2_000
#: Tokenise in worker processes from this many documents on.
PARALLEL_FROM = 20_000

_KEY_RE = re.compile(r"[0-9a-z_]{1,120}")
#: Prefix indexes of the pinyin table: a syllable being typed (``z``, ``sh``, ``xu c``) is
#: one lookup instead of a merge of every token it starts (at 100k articles, ``z*`` took
#: 149 ms and now under 1 ms). Syllables are at most six letters, so a longer partial one
#: starts only a few tokens. The table grows ~2.5x, but it holds titles and subheads only.
_PREFIXES = "prefix='1 2 3'"
#: Bytes of terms FTS5 gathers in memory before it writes a segment (its default: 1 MB).
#: Fewer, larger segments and less merging: a 10k archive's paragraphs are inserted in
#: 6.4 s instead of 12.4 s, and its table is 5 % smaller.
_HASH_SIZE = 64 * 1024 * 1024


class FullTextError(ValueError):
    """The stored tables are missing or do not hold what the index says they do."""


_Tokenised = tuple[str, str, tuple[str, ...] | None]


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
        self.short = f"pinyin_{key}"
        #: Searchable texts of the first documents, kept by :meth:`build` (``keep``).
        self.kept: list[str] = []

    @classmethod
    def build(
        cls,
        conn: sqlite3.Connection,
        key: str,
        documents: Iterable[tuple[str, bool]],
        count: int,
        workers: int | None = None,
        keep: int = 0,
    ) -> FullText:
        """Create and fill the tables.

        Args:
            conn: Where to create them.
            key: Their suffix.
            documents: ``(text, short)`` in document order; short ones (titles, subheads)
                are indexed as pinyin too.
            count: How many documents there are (to decide whether to use workers).
            workers: Worker processes (default: the CPU count; 1 = none).
            keep: Keep the searchable texts of this many first documents in :attr:`kept`.
        """
        self = cls(conn, key)
        with conn:
            conn.execute(
                f"CREATE VIRTUAL TABLE {self.docs} USING fts5"
                "(b, content='', detail=full, columnsize=0, tokenize='ascii')"
            )
            conn.execute(
                f"CREATE VIRTUAL TABLE {self.short} USING fts5"
                f"(full, alt, ini, ini2, content='', columnsize=0, tokenize='ascii', {_PREFIXES})"
            )
            for table in (self.docs, self.short):
                # An SQLite without the option builds the same tables, only more slowly.
                with contextlib.suppress(sqlite3.OperationalError):
                    conn.execute(
                        f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (_HASH_SIZE,)
                    )
        workers = workers or os.cpu_count() or 1
        chunks = _chunks(documents)
        if count >= PARALLEL_FROM and workers > 1:
            with pool(workers) as executor:
                self._fill(_in_order(executor, chunks, 2 * workers), keep)
        else:
            self._fill(map(_tokenise, chunks), keep)
        with conn:
            # Merges the segments written while filling: fewer b-trees for each query.
            conn.execute(f"INSERT INTO {self.docs}({self.docs}) VALUES('optimize')")
            conn.execute(f"INSERT INTO {self.short}({self.short}) VALUES('optimize')")
        return self

    def _fill(self, tokenised: Iterable[list[_Tokenised]], keep: int) -> None:
        doc = 0
        with self.conn:
            for chunk in tokenised:
                rows, short = [], []
                for text, tokens, spoken in chunk:
                    if doc < keep:
                        self.kept.append(text)
                    rows.append((doc, tokens))
                    if spoken is not None:
                        short.append((doc, *spoken))
                    doc += 1
                self.conn.executemany(f"INSERT INTO {self.docs}(rowid, b) VALUES (?, ?)", rows)
                self.conn.executemany(
                    f"INSERT INTO {self.short}(rowid, full, alt, ini, ini2) VALUES (?,?,?,?,?)",
                    short,
                )

    def check(self) -> None:
        """Raise :class:`FullTextError` unless both tables are there and answer a query."""
        try:
            for table in (self.docs, self.short):
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
            for table in (self.docs, self.short):
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
        library = next(
            (row[2] for row in self.conn.execute("PRAGMA database_list") if row[1] == "main"), ""
        )
        if not library:  # in memory: no other process can read it
            return self.checksum()
        try:
            with pool(1, start="spawn") as workers:
                return workers.submit(checksum_of, library, self.key).result()
        except (OSError, ValueError, BrokenProcessPool):  # ValueError: no fds to hand over
            return self.checksum()

    def rows(self, query: str, low: int = 0, high: int | None = None) -> Iterator[int]:
        """Documents matching the FTS5 ``query``, ascending, within ``[low, high)``."""
        yield from self._rows(self.docs, query, low, high)

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
            for table in (self.docs, self.short):
                self.conn.execute(f"DROP TABLE IF EXISTS {table}")


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
