"""Search indexes kept in the cache database, so a warm start does not rebuild them.

This module owns the ``indexes`` table; the full-text tables of each build belong to
:mod:`~swreader.core.search.fulltext`, and the file itself is opened by
:mod:`swreader.core.system.cachedb`.

An index is stored under a *signature* of the pages it was built from (the parser version
and their articles' ids and texts). It has two halves:

* its full-text tables, written while the index is built and queried in place afterwards
  (nothing of them is loaded: a warm start answers its first query at once);
* the document numbering (a few bytes per article), pickled and compressed into one row of
  ``indexes``, written last, so that a build killed half way leaves no index that looks
  complete.

The newest :data:`KEEP` indexes are kept, so two processes on different folders do not
throw each other's away. Each build writes tables of its own (their key holds the build's
time); tables that no kept index names (replaced, pruned, or left by a killed build) are
deleted once they are an hour old, since another process may still be reading them.

What is loaded is checked (the blob's zlib checksum and class, the numbering against the
articles, the tables answering a query): a stored index that fails is thrown away and
rebuilt, with one notice.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import time

from swreader.core.pages.corpus import Corpus
from swreader.core.pages.digest import pages_signature
from swreader.core.search import fulltext
from swreader.core.search.engine import SearchIndex
from swreader.core.search.fulltext import FullText
from swreader.core.system import memory
from swreader.core.system.blobs import Compressing, DamagedBlob, Decompressing, unpickle
from swreader.core.system.cachedb import open_cache_db
from swreader.core.system.paths import library_path

__all__ = [
    "KEEP",
    "cached_index",
    "ensure_schema",
    "forget",
    "load_index",
    "save_index",
    "signature",
    "stored_index",
]

#: Indexes kept in the library (the newest first).
KEEP = 2
_ORPHAN_AGE_S = 3600.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS indexes (
    signature TEXT PRIMARY KEY,
    saved INTEGER NOT NULL,
    tables TEXT NOT NULL,
    blob BLOB NOT NULL
);
"""


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the ``indexes`` table if it is missing."""
    conn.executescript(_SCHEMA)


def signature(corpus: Corpus) -> str:
    """The corpus's :func:`~swreader.core.pages.digest.pages_signature`.

    A corpus read back from a snapshot knows it already (the snapshot keeps it): at 100k
    articles computing it took ~0.1 s before search could answer, and again after.
    """
    return corpus.signature or pages_signature(corpus.pages)


def load_index(
    conn: sqlite3.Connection,
    sig: str,
    corpus: Corpus,
    notices: list[str] | None = None,
    *,
    verify: bool = True,
) -> SearchIndex | None:
    """The stored index ``sig`` attached to ``corpus``, or ``None`` if it is not all there.

    Args:
        conn: The library database.
        sig: The corpus's :func:`signature`.
        corpus: The pages the index is attached to.
        notices: Where to add a line when a stored index is damaged (and thrown away).
        verify: Check the tables' checksum (see :meth:`SearchIndex.verify`).
    """
    ensure_schema(conn)
    row = conn.execute("SELECT tables, blob FROM indexes WHERE signature = ?", (sig,)).fetchone()
    if row is None:
        return None
    key, blob = row
    try:
        if not isinstance(key, str):
            raise DamagedBlob("its row holds values of the wrong kind")
        if not isinstance(blob, bytes):
            raise DamagedBlob(f"stored value is {type(blob).__name__}, not bytes")
        stored_sig, index = unpickle(Decompressing(blob), tuple)
        if stored_sig != sig or not isinstance(index, SearchIndex) or index.key != key:
            raise DamagedBlob("it is not the index stored under its signature")
        if not fulltext.current(conn, key):
            _drop(conn, sig, key)  # of an older form: built again, quietly (nothing is wrong)
            return None
        return index.attach(corpus.articles, conn, verify=verify)
    except (ValueError, IndexError, TypeError, AttributeError, KeyError) as err:
        # DamagedBlob and FullTextError are ValueErrors; the others come from a stored
        # index whose parts do not fit these articles. Either way: rebuild, and say so.
        if notices is not None:
            notices.append(f"library: the search index was damaged ({err}); rebuilding it")
        _drop(conn, sig, key)
        return None


def _drop(conn: sqlite3.Connection, sig: str, key: object) -> None:
    """Delete the stored index ``sig`` and its tables (``key``, if it is a key)."""
    with conn:
        conn.execute("DELETE FROM indexes WHERE signature = ?", (sig,))
    if isinstance(key, str):
        with contextlib.suppress(ValueError, sqlite3.Error):
            FullText(conn, key).drop()


def tables_key(sig: str) -> str:
    """A key of its own for one build's tables: ``<signature>_<pid>_<time ns>``.

    Two processes indexing the same pages at once each write their own tables; one key
    per signature would let the second delete the rows the first is reading.
    """
    return f"{sig[:16]}_{os.getpid()}_{time.time_ns()}"


def _age_s(key: str) -> float:
    """Seconds since the build of ``key`` started (its last field); old if unreadable."""
    try:
        return (time.time_ns() - int(key.rsplit("_", 1)[-1])) / 1e9
    except ValueError:
        return float("inf")


def save_index(conn: sqlite3.Connection, sig: str, index: SearchIndex) -> None:
    """Record ``index`` (its tables are already in ``conn``) and prune old ones.

    Args:
        conn: The library database the index was built into.
        sig: Its signature.
        index: The index.
    """
    ensure_schema(conn)
    sink = Compressing()
    # With its signature, so that a blob found under another one is known to be wrong.
    pickle.dump((sig, index), sink, protocol=pickle.HIGHEST_PROTOCOL)
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO indexes (signature, saved, tables, blob) VALUES (?,?,?,?)",
            (sig, time.time_ns(), index.key, sink.finish()),
        )
        rows = conn.execute("SELECT rowid, tables FROM indexes ORDER BY saved DESC")
        rows = rows.fetchall()
        # By rowid: a damaged signature may not be a str that SQLite could match.
        conn.executemany("DELETE FROM indexes WHERE rowid = ?", [(r,) for r, _ in rows[KEEP:]])
    kept = {k for _, k in rows[:KEEP]}
    # Tables no index names any more may still be read by another process (one that built
    # or loaded them before they were replaced): they go once an hour old.
    for key in fulltext.tables(conn):
        if key not in kept and _age_s(key) > _ORPHAN_AGE_S:
            with contextlib.suppress(ValueError):
                FullText(conn, key).drop()


def forget(index: SearchIndex) -> None:
    """Drop a stored index found damaged after it was loaded, so the next start rebuilds it."""
    if index.full is None:
        return
    conn = index.full.conn
    with contextlib.suppress(sqlite3.Error):
        with conn:
            conn.execute("DELETE FROM indexes WHERE tables = ?", (index.key,))
        with contextlib.suppress(ValueError):
            FullText(conn, index.key).drop()


def _stored(
    corpus: Corpus, notices: list[str] | None, verify: bool
) -> tuple[str, sqlite3.Connection | None, SearchIndex | None]:
    """The signature, the library (``None``: unusable) and its current index of ``corpus``."""
    sig = signature(corpus)
    try:
        conn = open_cache_db(library_path(), notices=notices)
    except (sqlite3.Error, OSError):
        return sig, None, None
    try:
        return sig, conn, load_index(conn, sig, corpus, notices, verify=verify)
    except sqlite3.Error:
        conn.close()
        return sig, None, None


def stored_index(
    corpus: Corpus, notices: list[str] | None = None, *, verify: bool = True
) -> SearchIndex | None:
    """The stored index of ``corpus`` if the library holds a current one, else ``None``.

    As :func:`cached_index` without the build: the reader loads a stored index before it
    shows the whole corpus (the two would only slow each other down), and builds a missing
    one after.
    """
    _, conn, index = _stored(corpus, notices, verify)
    if index is None and conn is not None:
        conn.close()
    return index


def cached_index(
    corpus: Corpus, notices: list[str] | None = None, *, verify: bool = True
) -> SearchIndex:
    """The search index of ``corpus``: loaded from the library when it is current.

    Building the index of a large archive takes seconds; a warm start finds it in the
    library and queries it there. The index keeps the library connection open.

    Args:
        corpus: The pages.
        notices: Where to add a line about the library (a damaged index, rebuilt). Trouble
            met later, while searching, is in the index's own ``notices``.
        verify: Check a stored index's checksum before using it (~0.3 s per 100 MB of
            index). The reader passes ``False`` and calls :meth:`SearchIndex.verify` once the
            index is answering; if that fails, :func:`forget` and call this again.
    """
    sig, conn, index = _stored(corpus, notices, verify)
    if index is not None:
        return index
    if conn is None:
        return SearchIndex(corpus.articles)
    try:
        index = SearchIndex(corpus.articles, conn, tables_key(sig))
    except sqlite3.Error:
        conn.close()
        return SearchIndex(corpus.articles)
    # A built index works even if it cannot be recorded (the library is locked by another
    # process for too long, say); the next launch simply builds it again.
    with contextlib.suppress(sqlite3.Error):
        save_index(conn, sig, index)
    memory.trim()
    return index
