"""Search indexes kept in the cache database, so a warm start does not rebuild them.

This module owns the ``indexes`` table (and has :mod:`~swreader.core.search.postings` create
its own); the file itself is opened by :mod:`swreader.core.system.cachedb`.

An index is stored under a *signature* of the pages it was built from (their articles and
the parser version). It has two halves:

* the postings, one row per part in the ``postings`` table, written while the index is
  built and read on demand afterwards (:mod:`swreader.core.search.postings`);
* everything else (normalised texts that differ from the originals, offset maps, pinyin),
  pickled and compressed into one row of ``indexes``, written last, so that a build killed
  half way leaves no index that looks complete.

The newest :data:`KEEP` indexes are kept, so two processes on different folders do not
throw each other's away. Each build writes its postings under a key of its own; postings
that no kept index names (replaced, pruned, or left by a killed build) are deleted once
they are an hour old, since another process may still be reading them. A process whose
postings vanish anyway falls back to scanning (see :meth:`GramIndex.posting`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import time
import zlib

from swreader.core.pages.corpus import Corpus
from swreader.core.pages.parse import PARSER_VERSION
from swreader.core.search import postings
from swreader.core.search.engine import SearchIndex
from swreader.core.search.postings import Postings
from swreader.core.system import memory
from swreader.core.system.blobs import Compressing, Decompressing
from swreader.core.system.cachedb import open_cache_db
from swreader.core.system.paths import library_path

__all__ = ["KEEP", "cached_index", "ensure_schema", "load_index", "save_index", "signature"]

#: Indexes kept in the library (the newest first).
KEEP = 2
_ORPHAN_AGE_S = 3600.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS indexes (
    signature TEXT PRIMARY KEY,
    saved INTEGER NOT NULL,
    postings TEXT NOT NULL,
    parts INTEGER NOT NULL,
    blob BLOB NOT NULL
);
"""


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the ``indexes`` and ``postings`` tables if they are missing."""
    conn.executescript(_SCHEMA)
    postings.ensure_schema(conn)


def signature(corpus: Corpus) -> str:
    """A digest of the pages (and their parse) that a search index is built from."""
    digest = hashlib.sha1(str(PARSER_VERSION).encode())
    for page in corpus.pages:
        for article in page.articles:
            digest.update(article.id.encode())
            digest.update(str(sum(len(p.text) for p in article.paragraphs)).encode())
    return digest.hexdigest()


def load_index(conn: sqlite3.Connection, sig: str, corpus: Corpus) -> SearchIndex | None:
    """The stored index ``sig`` attached to ``corpus``, or ``None`` if it is not all there."""
    ensure_schema(conn)
    row = conn.execute(
        "SELECT postings, parts, blob FROM indexes WHERE signature = ?", (sig,)
    ).fetchone()
    if row is None:
        return None
    key, parts, blob = row
    try:
        index = pickle.load(Decompressing(blob))
    except (pickle.UnpicklingError, zlib.error, EOFError, AttributeError, TypeError):
        return None  # written by another version: build again
    if not isinstance(index, SearchIndex):
        return None
    stored = Postings.load(conn, key, parts)
    if stored is None:
        return None
    try:
        return index.attach(corpus.articles, stored)
    except (ValueError, IndexError):
        return None  # does not fit these articles after all


def postings_key(sig: str) -> str:
    """A key of its own for one build's postings.

    Two processes indexing the same pages at once each write their own postings; one key
    per signature would let the second delete the rows the first is reading.
    """
    return f"{sig}-{os.getpid()}-{time.time_ns()}"


def save_index(conn: sqlite3.Connection, sig: str, index: SearchIndex) -> None:
    """Store the rest of ``index`` (its postings are already in ``conn``) and prune.

    Args:
        conn: The library database the index was built into.
        sig: Its signature.
        index: The index.
    """
    ensure_schema(conn)
    sink = Compressing()
    pickle.dump(index, sink, protocol=pickle.HIGHEST_PROTOCOL)
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO indexes (signature, saved, postings, parts, blob)"
            " VALUES (?,?,?,?,?)",
            (sig, time.time_ns(), index.key, index.parts, sink.finish()),
        )
        rows = conn.execute("SELECT signature, postings FROM indexes ORDER BY saved DESC")
        rows = rows.fetchall()
        old = rows[KEEP:]
        conn.executemany("DELETE FROM indexes WHERE signature = ?", [(s,) for s, _ in old])
        kept = [k for _, k in rows[:KEEP]]
        # Postings no index names any more may still be read by another process (one that
        # built or loaded them before they were replaced): they go once an hour old.
        postings.drop(conn, postings.orphans(conn, kept, _ORPHAN_AGE_S))


def cached_index(corpus: Corpus) -> SearchIndex:
    """The search index of ``corpus``: loaded from the library when it is current.

    Building the index of a large archive takes seconds; a warm start loads it instead.
    The index keeps the library connection open to read its postings.
    """
    sig = signature(corpus)
    try:
        conn = open_cache_db(library_path())
    except (sqlite3.Error, OSError):
        return SearchIndex(corpus.articles)
    try:
        index = load_index(conn, sig, corpus)
        if index is not None:
            memory.trim()  # the unpickling buffers
            return index
        index = SearchIndex(corpus.articles, conn, postings_key(sig))
    except sqlite3.Error:
        conn.close()
        return SearchIndex(corpus.articles)
    # A built index works even if it cannot be recorded (the library is locked by another
    # process for too long, say); the next launch simply builds it again.
    with contextlib.suppress(sqlite3.Error):
        save_index(conn, sig, index)
    memory.trim()
    return index
