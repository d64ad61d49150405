"""Search indexes kept in the library database, so a warm start does not rebuild them.

An index is stored under a *signature* of the pages it was built from (their articles and
the parser version). It has two halves:

* the postings, one row per part in the ``postings`` table, written while the index is
  built and read on demand afterwards (:mod:`swreader.core.postings`);
* everything else (normalised texts that differ from the originals, offset maps, pinyin),
  pickled and compressed into one row of ``indexes``, written last, so that a build killed
  half way leaves no index that looks complete.

The newest :data:`KEEP` indexes are kept, so two processes on different folders do not
throw each other's away; postings without an index row, left by a killed build, are
deleted once they are an hour old (a younger one may be another process's build).
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sqlite3
import time
import zlib

from swreader.core import memory, postings
from swreader.core.blobs import Compressing, Decompressing
from swreader.core.corpus import Corpus
from swreader.core.library import PARSER_VERSION, Library
from swreader.core.postings import Postings
from swreader.core.search import SearchIndex

__all__ = ["KEEP", "cached_index", "load_index", "save_index", "signature"]

#: Indexes kept in the library (the newest first).
KEEP = 2
_ORPHAN_AGE_S = 3600.0


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
    row = conn.execute("SELECT parts, blob FROM indexes WHERE signature = ?", (sig,)).fetchone()
    if row is None:
        return None
    try:
        index = pickle.load(Decompressing(row[1]))
    except (pickle.UnpicklingError, zlib.error, EOFError, AttributeError, TypeError):
        return None  # written by another version: build again
    if not isinstance(index, SearchIndex):
        return None
    stored = Postings.load(conn, sig, row[0])
    if stored is None:
        return None
    try:
        return index.attach(corpus.articles, stored)
    except (ValueError, IndexError):
        return None  # does not fit these articles after all


def save_index(conn: sqlite3.Connection, sig: str, index: SearchIndex) -> None:
    """Store the rest of ``index`` (its postings are already in ``conn``) and prune.

    Args:
        conn: The library database the index was built into.
        sig: Its signature (the key its postings were built under).
        index: The index.
    """
    sink = Compressing()
    pickle.dump(index, sink, protocol=pickle.HIGHEST_PROTOCOL)
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO indexes (signature, saved, parts, blob) VALUES (?,?,?,?)",
            (sig, time.time_ns(), index.parts, sink.finish()),
        )
        rows = conn.execute("SELECT signature FROM indexes ORDER BY saved DESC").fetchall()
        old = [s for (s,) in rows[KEEP:]]
        conn.executemany("DELETE FROM indexes WHERE signature = ?", [(s,) for s in old])
        kept = [s for (s,) in rows[:KEEP]]
        postings.drop(conn, old + postings.orphans(conn, kept, _ORPHAN_AGE_S))


def cached_index(corpus: Corpus) -> SearchIndex:
    """The search index of ``corpus``: loaded from the library when it is current.

    Building the index of a large archive takes seconds; a warm start loads it instead.
    The index keeps the library connection open to read its postings.
    """
    sig = signature(corpus)
    try:
        conn = Library().conn
    except (sqlite3.Error, OSError):
        return SearchIndex(corpus.articles)
    try:
        index = load_index(conn, sig, corpus)
        if index is not None:
            memory.trim()  # the unpickling buffers
            return index
        index = SearchIndex(corpus.articles, conn, sig)
    except sqlite3.Error:
        conn.close()
        return SearchIndex(corpus.articles)
    # A built index works even if it cannot be recorded (the library is locked by another
    # process for too long, say); the next launch simply builds it again.
    with contextlib.suppress(sqlite3.Error):
        save_index(conn, sig, index)
    memory.trim()
    return index
