"""Character-pair postings kept in SQLite and read on demand.

The postings of a large archive are most of its search index (four bytes for every distinct
pair of adjacent characters in every paragraph: ~100 MB at 10,000 articles), and a query
only ever reads a handful of them. So they live in the library database and a lookup reads
its slice of a blob (:meth:`sqlite3.Connection.blobopen`); only each pair's code and offset
stay in memory (~12 bytes per distinct pair).

Building (:meth:`Postings.build`) sorts 64-bit keys ``pair << 32 | doc`` with NumPy instead
of appending to a Python dict of arrays, which was most of the cold indexing time. It runs
in two phases, so that memory stays bounded whatever the archive's size:

1. documents are taken in chunks of :data:`CHUNK_CHARS` characters; each chunk's distinct
   keys are sorted and spooled to a temporary file as a *run*;
2. the pair space is cut into *parts* of about :data:`PART_KEYS` keys by the first character
   (a histogram kept in phase 1); each part gathers its slice of every run, sorts it and is
   written as one row: its pair codes, where each pair's documents start, and the documents.

A pair code is ``first << 16 | second`` over code points, with characters beyond the Basic
Multilingual Plane folded into 4096 buckets. Postings are only ever a filter (every
candidate is checked against its text), so a rare shared bucket costs a wasted check and
never a wrong result.

The rows are a cache, checked when read: :meth:`Postings.load` checks each part's checksum
and invariants, each lookup the slice it reads; any inconsistency raises
:class:`PostingsError`, for the owner to rebuild rather than give wrong results.
"""

from __future__ import annotations

import sqlite3
import struct
import tempfile
import threading
import time
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import IO, Any

from swreader.core.system import memory

__all__ = ["Postings", "PostingsError", "pair_code"]

#: Characters of documents sorted together in phase 1.
CHUNK_CHARS = 1_000_000
#: Keys per part (phase 2); a part's rows are written in one transaction.
PART_KEYS = 2_000_000
#: Bytes of decoded postings kept for the next keystroke.
CACHE_BYTES = 16 << 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS postings (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    part INTEGER NOT NULL,
    low INTEGER NOT NULL,
    built INTEGER NOT NULL,
    crc INTEGER NOT NULL,
    codes BLOB NOT NULL,
    starts BLOB NOT NULL,
    docs BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS postings_key ON postings (key, part);
"""
_EMPTY = memoryview(array("I"))
_PAIR_SPACE = 1 << 16  # first characters (code >> 16)
_Row = tuple[int, bytes, bytes, bytes]  # a part as stored: low, codes, starts, docs


class PostingsError(ValueError):
    """Stored postings that are inconsistent: damaged, to be thrown away and rebuilt."""


def _crc(number: int, low: int, codes: bytes, starts: bytes, docs_length: int) -> int:
    """The checksum stored with a part: of everything loaded up front, and the docs' size."""
    crc = zlib.crc32(struct.pack("<qqq", number, low, docs_length))
    return zlib.crc32(starts, zlib.crc32(codes, crc))


def _fold(cp: int) -> int:
    return cp if cp < 0x10000 else 0xE000 | (cp & 0xFFF)


def pair_code(pair: str) -> int:
    """The code of two adjacent characters, as stored in the postings."""
    return _fold(ord(pair[0])) << 16 | _fold(ord(pair[1]))


@dataclass(slots=True)
class _Part:
    rowid: int
    low: int  # first character (code >> 16) this part covers
    codes: array  # sorted pair codes ('I')
    starts: array  # where each pair's documents start in the docs blob, + end ('I')

    @classmethod
    def of(cls, rowid: int, low: int, codes: bytes, starts: bytes) -> _Part:
        """A part from its stored codes and starts."""
        part = cls(rowid, low, array("I"), array("I"))
        part.codes.frombytes(codes)
        part.starts.frombytes(starts)
        return part

    @classmethod
    def checked(cls, row: tuple[Any, ...], number: int) -> _Part:
        """A part from its stored row, checked against its checksum and its own invariants.

        Raises:
            PostingsError: The row is not an intact part ``number``.
        """
        rowid, low, crc, codes, starts, docs_type, docs_length = row
        kinds = (int, int, int, bytes, bytes, str, int)
        if not all(map(isinstance, row, kinds)) or len(codes) % 4 or len(starts) % 4:
            raise PostingsError(f"part {number} holds values of the wrong kind")
        if docs_type != "blob" or crc != _crc(number, low, codes, starts, docs_length):
            raise PostingsError(f"part {number} does not match its checksum")
        part = cls.of(rowid, low, codes, starts)
        c, s = part.codes, part.starts
        if not 0 <= low < _PAIR_SPACE or len(s) != len(c) + 1 or s[0] or 4 * s[-1] != docs_length:
            raise PostingsError(f"part {number}: its offsets do not fit its documents")
        if c and c[0] >> 16 < low:
            raise PostingsError(f"part {number}: codes below its first character")
        return part


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the postings table in ``conn`` if it is missing."""
    conn.executescript(_SCHEMA)


def drop(conn: sqlite3.Connection, keys: Sequence[str]) -> None:
    """Delete the postings stored under ``keys`` (call inside a transaction)."""
    conn.executemany("DELETE FROM postings WHERE key = ?", [(k,) for k in keys])


def orphans(conn: sqlite3.Connection, known: Sequence[str], older_than_s: float) -> list[str]:
    """Keys of postings not in ``known`` and built more than ``older_than_s`` ago.

    These are left by builds that were killed before their index was saved; the age guard
    spares a build that another process is running right now.
    """
    cutoff = time.time_ns() - int(older_than_s * 1e9)
    rows = conn.execute("SELECT DISTINCT key FROM postings WHERE built < ?", (cutoff,))
    return [k for (k,) in rows if k not in known]


class Postings:
    """The documents containing each character pair, stored under ``key`` in ``conn``.

    Use :meth:`build` or :meth:`load`; lookups are thread-safe.
    """

    def __init__(
        self, conn: sqlite3.Connection, key: str, parts: list[_Part], documents: int | None = None
    ) -> None:
        self._conn = conn
        self.key = key
        self._parts = parts
        #: Number of documents indexed, when known: every id read must be below it.
        self.documents = documents
        self._lows = [p.low for p in parts]
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, memoryview] = OrderedDict()
        self._cached_bytes = 0

    # -- reading -------------------------------------------------------------------------
    @classmethod
    def load(
        cls, conn: sqlite3.Connection, key: str, parts: int, documents: int | None = None
    ) -> Postings | None:
        """The postings stored under ``key``, or ``None`` unless all ``parts`` are there.

        ``documents``, the number of documents they index if known, bounds every id read.

        Raises:
            PostingsError: The parts are there but damaged or inconsistent.
        """
        rows = conn.execute(
            "SELECT part, id, low, crc, codes, starts, typeof(docs), length(docs)"
            " FROM postings WHERE key = ? ORDER BY part",
            (key,),
        ).fetchall()
        if [r[0] for r in rows] != list(range(parts)):
            return None
        loaded = [_Part.checked(row[1:], number) for number, row in enumerate(rows)]
        for number, (part, after) in enumerate(pairwise([*loaded, None])):
            high = after.low if after is not None else _PAIR_SPACE
            if part.low >= high or (part.codes and part.codes[-1] >> 16 >= high):
                raise PostingsError(f"part {number} overlaps the next one")
        return cls(conn, key, loaded, documents)

    @property
    def parts(self) -> int:
        """Number of stored parts."""
        return len(self._parts)

    @property
    def pairs(self) -> int:
        """Number of distinct character pairs."""
        return sum(len(p.codes) for p in self._parts)

    def memory(self) -> int:
        """Bytes held in memory (codes and offsets; the documents stay on disk)."""
        return sum(8 * len(p.codes) + 4 for p in self._parts)

    def _find(self, code: int) -> tuple[_Part, int] | None:
        p = bisect_right(self._lows, code >> 16) - 1
        if p < 0:
            return None
        part = self._parts[p]
        i = bisect_left(part.codes, code)
        if i == len(part.codes) or part.codes[i] != code:
            return None
        return part, i

    def size(self, code: int) -> int:
        """How many documents contain the pair ``code`` (no disk read)."""
        found = self._find(code)
        if found is None:
            return 0
        part, i = found
        return part.starts[i + 1] - part.starts[i]

    def lookup(self, code: int) -> memoryview:
        """The ascending ids of the documents containing the pair ``code``.

        Raises:
            sqlite3.Error: The stored postings are gone (another process replaced them).
            PostingsError: What was read does not fit (the stored documents are damaged).
        """
        found = self._find(code)
        if found is None:
            return _EMPTY
        with self._lock:
            hit = self._cache.get(code)
            if hit is not None:
                self._cache.move_to_end(code)
                return hit
            part, i = found
            start, end = part.starts[i], part.starts[i + 1]
            try:
                with self._conn.blobopen("postings", "docs", part.rowid, readonly=True) as blob:
                    blob.seek(4 * start)
                    data = blob.read(4 * (end - start))
            except ValueError as err:  # an offset beyond the blob: it was changed since
                raise PostingsError(f"pair {code:#x}: {err}") from err
            docs = array("I")
            if end > start and len(data) == 4 * (end - start):
                docs.frombytes(data)
            # Ascending ids: the first and last bound them all (checking each costs too much).
            if not docs or docs[0] > docs[-1] or docs[-1] >= (self.documents or 1 << 32):
                raise PostingsError(f"pair {code:#x}: its documents are damaged")
            view = memoryview(docs)
            self._cache[code] = view
            self._cached_bytes += len(data)
            while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
                _, old = self._cache.popitem(last=False)
                self._cached_bytes -= old.nbytes
            return view

    def close(self) -> None:
        """Close the connection (the postings cannot be read afterwards)."""
        self._conn.close()

    def discard(self) -> None:
        """Delete these (damaged) postings: their index will not load, so it is rebuilt."""
        with self._lock, self._conn:
            drop(self._conn, [self.key])

    # -- building ------------------------------------------------------------------------
    @classmethod
    def build(
        cls, texts: Sequence[str], conn: sqlite3.Connection | None = None, key: str = ""
    ) -> Postings:
        """Index ``texts`` (document ``d`` is ``texts[d]``) and store it under ``key``.

        Args:
            texts: Normalised documents.
            conn: Where to store the postings; default: a private in-memory database.
            key: Name of this set of postings; earlier postings of the same key (from a
                build that was killed, say) are replaced.
        """
        import numpy as np  # only building needs it; a warm start never imports it

        memory.prefer_mmap()  # so the sort buffers go back to the system when freed
        if conn is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
        ensure_schema(conn)
        with conn:
            drop(conn, [key])
        parts = []
        built = time.time_ns()
        with tempfile.TemporaryFile() as spool:
            runs, histogram = _spool_runs(np, texts, spool)
            for row in _merge_parts(np, runs, histogram, spool):
                parts.append(_insert(conn, key, len(parts), built, row))
        if not parts:  # no text at all: one empty part, so that loading finds it complete
            parts.append(_insert(conn, key, 0, built, (0, b"", array("I", [0]).tobytes(), b"")))
        return cls(conn, key, parts, len(texts))


def _insert(conn: sqlite3.Connection, key: str, number: int, built: int, row: _Row) -> _Part:
    """Store one part, in a short transaction of its own (another process can interleave)."""
    low, codes, starts, docs = row
    crc = _crc(number, low, codes, starts, len(docs))
    with conn:
        cursor = conn.execute(
            "INSERT INTO postings (key, part, low, built, crc, codes, starts, docs)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (key, number, low, built, crc, codes, starts, docs),
        )
    return _Part.of(cursor.lastrowid or 0, low, codes, starts)


@dataclass(slots=True)
class _Run:
    offset: int  # byte offset of the run in the spool
    bounds: Any  # numpy array: where each first character's keys start in the run, + end


def _spool_runs(np: Any, texts: Sequence[str], spool: IO[bytes]) -> tuple[list[_Run], Any]:
    """Phase 1: sorted distinct keys of each chunk of documents, written to ``spool``."""
    runs: list[_Run] = []
    histogram = np.zeros(1 << 16, dtype=np.int64)
    firsts = np.arange((1 << 16) + 1, dtype=np.uint64)
    d0 = 0
    while d0 < len(texts):
        d1, size = d0, 0
        while d1 < len(texts) and (size < CHUNK_CHARS or d1 == d0):
            size += len(texts[d1])
            d1 += 1
        keys = _chunk_keys(np, texts, d0, d1)
        d0 = d1
        if not len(keys):
            continue
        first = keys >> np.uint64(48)
        histogram += np.bincount(first.astype(np.int64), minlength=1 << 16)
        runs.append(_Run(spool.tell(), np.searchsorted(first, firsts)))
        spool.write(keys.tobytes())
    return runs, histogram


def _chunk_keys(np: Any, texts: Sequence[str], d0: int, d1: int) -> Any:
    """Sorted distinct ``pair << 32 | doc`` keys of documents ``d0 .. d1-1``."""
    chunk = texts[d0:d1]
    lengths = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
    chars = np.frombuffer("".join(chunk).encode("utf-32-le"), dtype=np.uint32)
    if len(chars) < 2:
        return np.empty(0, dtype=np.uint64)
    if chars.max() > 0xFFFF:
        chars = np.where(chars > 0xFFFF, 0xE000 | (chars & 0xFFF), chars)
    chars = chars.astype(np.uint64)
    keys = (chars[:-1] << np.uint64(48)) | (chars[1:] << np.uint64(32))
    keys |= np.repeat(np.arange(d0, d1, dtype=np.uint64), lengths)[:-1]
    ends = np.cumsum(lengths) - 1  # a document's last character pairs with nothing
    ends = ends[(ends >= 0) & (ends < len(keys))]
    keep = np.ones(len(keys), dtype=bool)
    keep[ends] = False
    keys = keys[keep]
    # Sort and drop repeats by hand: np.unique hashes first in NumPy 2, ~5x slower here.
    keys.sort()
    if len(keys) > 1:
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys


def _merge_parts(np: Any, runs: list[_Run], histogram: Any, spool: IO[bytes]) -> Iterator[_Row]:
    """Phase 2: ``(low, codes, starts, docs)`` of each part, gathered from every run."""
    # Cut the first characters into ranges of about PART_KEYS keys each.
    cuts = [0]
    total = 0
    for first in np.flatnonzero(histogram).tolist():
        if total and total + int(histogram[first]) > PART_KEYS:
            cuts.append(first)
            total = 0
        total += int(histogram[first])
    cuts.append(1 << 16)
    for lo, hi in pairwise(cuts):
        pieces = []
        for run in runs:
            start, end = int(run.bounds[lo]), int(run.bounds[hi])
            if end > start:
                spool.seek(run.offset + 8 * start)
                pieces.append(np.frombuffer(spool.read(8 * (end - start)), dtype=np.uint64))
        if not pieces:
            continue
        keys = np.concatenate(pieces)
        del pieces
        keys.sort()  # runs are in document order, so this is (pair, document) order
        codes = (keys >> np.uint64(32)).astype(np.uint32)
        docs = (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        del keys
        change = np.flatnonzero(codes[1:] != codes[:-1]) + 1
        starts = np.concatenate(([0], change, [len(codes)])).astype(np.uint32)
        yield lo, codes[starts[:-1]].tobytes(), starts.tobytes(), docs.tobytes()
