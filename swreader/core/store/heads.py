"""A snapshot of one open's header pages, so a warm start reads a few rows, not one per page.

The page cache stores every page's header apart (``pages.head``), and a warm start used to
read, decompress and unpickle them one by one: 0.6 s at 10,000 articles and 7 s at
100,000, most of it per-row overhead, and every row a moment the loader let go of the GIL
and then waited for the UI thread to give it back. After an open, the header pages of the
whole archive are written here as a handful of rows (:data:`FIRST` pages, doubling up to
:data:`PART`), under a key of the roots opened, and read back part by part. The next open of the same roots uses them only if they were taken of
exactly the files it finds (the same paths, in order, with the same size and mtime) and
by the same parser; otherwise it reads page by page, as before, and the snapshot is
written anew. The ids in it are the archive-wide ones (:mod:`swreader.core.pages.ids`):
they follow from the roots and the files, which the key and the check fix.

This module owns the ``heads`` table. Like the rest of the library it is a cache: a row
that does not read back is dropped, with one notice, and the pages are read one by one.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sqlite3
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from swreader.core.pages.corpus import Page
from swreader.core.pages.digest import pages_signature
from swreader.core.pages.model import PARSER_VERSION
from swreader.core.store.stored import intact
from swreader.core.system.blobs import DamagedBlob, decompress, unpickle

__all__ = [
    "FIRST",
    "KEEP",
    "PART",
    "FileKey",
    "Snapshot",
    "Taken",
    "ensure_schema",
    "find",
    "forget",
    "roots_key",
    "stale",
    "write",
]

#: Pages in the first row: the list is shown once it is read (~10 ms).
FIRST = 128
#: Most pages in a row; from :data:`FIRST` they double up to it. A part of 2,048 is
#: unpickled in ~30 ms, so the UI thread gets the GIL between.
PART = 2048
#: Snapshots kept (of different roots), the newest first.
KEEP = 4

#: The form of the rows, first in row 0: a snapshot of another form is not read.
_FORMAT = "heads/4"

#: ``(stored path, size, mtime_ns)`` of a file, as :func:`~swreader.core.store.stored.file_key`.
FileKey = tuple[str | bytes, int, int]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS heads (
    roots TEXT NOT NULL,
    part INTEGER NOT NULL,
    saved INTEGER NOT NULL,
    blob BLOB NOT NULL,
    PRIMARY KEY (roots, part)
);
"""


@dataclass(frozen=True, slots=True)
class Taken:
    """What an open read, for a snapshot of it: the roots' key and each file's key.

    Attributes:
        roots: :func:`roots_key` of the roots opened.
        keys: Each page's file key when it was read, in page order.
        current: The pages came from a snapshot of exactly these: nothing to write.
    """

    roots: str
    keys: list[FileKey]
    current: bool = False


def stale(taken: object) -> Taken | None:
    """``taken`` if a snapshot is to be written of the open it describes, else ``None``.

    ``taken`` is a corpus's ``taken``: a snapshot is written of an open made in full
    through the library, and not of one read from a current snapshot.
    """
    return taken if isinstance(taken, Taken) and not taken.current else None


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the ``heads`` table if it is missing."""
    conn.executescript(_SCHEMA)


def roots_key(roots: Sequence[Path]) -> str:
    """A key of the roots as given and as absolute paths (articles keep the path as given).

    The parser's version is in row 0, not in the key: a new parser's snapshot replaces
    the old one rather than lying beside it until :data:`KEEP` prunes it.
    """
    digest = hashlib.sha1()
    for root in roots:
        digest.update(os.fsencode(root) + b"\0" + os.fsencode(os.path.abspath(root)) + b"\0")
    return digest.hexdigest()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic collection while the parts are unpickled.

    Unpickling allocates objects that all live on, and the collector, triggered by the
    allocations, walks them again and again: at 100k the snapshot took 1.8 s to load with
    it and 0.6 s without. Nothing unpickled here forms a cycle that would need it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _header(page: Page) -> Page:
    """A copy of ``page`` as a snapshot keeps it: its articles' headers, no path or text."""
    return Page(
        path=None,  # type: ignore[arg-type]  # the file found by the next open is set
        stem=page.stem,
        encoding=page.encoding,
        articles=[a.header() for a in page.articles],
        error=page.error,
        digest=page.digest,
    )


@dataclass
class Snapshot:
    """A stored snapshot, as :func:`find` reads it.

    Attributes:
        keys: The file key of each page when it was taken, in page order.
        paths: Each page's path as the open that took it had it (the roots as given).
        parts: The pages, part by part, each checked as it is reached.
        signature: The pages' :func:`~swreader.core.pages.digest.pages_signature`, taken
            when the snapshot was written (the parts are checked against their CRCs).
    """

    keys: list[FileKey]
    paths: list[str]
    parts: Iterator[list[Page]]
    signature: str


def find(conn: sqlite3.Connection, roots: str) -> Snapshot | None:
    """The snapshot of ``roots`` (a :func:`roots_key`), whatever files it was taken of.

    Row 0 holds the keys and paths, and each part's size and CRC: the caller shows each
    part as it comes (the list appears after the first :data:`FIRST` pages, not the whole
    archive), and a part is checked when it is reached. The pages come with their
    archive-wide ids and without paths (the caller sets them).

    Returns:
        The snapshot, or ``None``: none of these roots, or one of another form or parser.

    Raises:
        DamagedBlob: Row 0 does not read back as it was written (on the call), or a part
            (as it is reached: the caller then reads the pages one by one).
    """
    ensure_schema(conn)
    rows = conn.execute(
        "SELECT part, blob FROM heads WHERE roots = ? ORDER BY part", (roots,)
    ).fetchall()
    if not rows:
        return None
    with _gc_paused():
        head = unpickle(decompress(rows[0][1]), tuple)
    if head[:1] != (_FORMAT,):
        return None  # written in another form (by another version): written anew, quietly
    if len(head) != 8 or rows[0][0] != 0:
        raise DamagedBlob("its first row is not the snapshot's keys")
    _, version, parts, keys, paths, sizes, crcs, signature = head
    if version != PARSER_VERSION:
        return None  # of another parser: read page by page, and written anew
    if not isinstance(keys, list) or not isinstance(paths, list) or len(paths) != len(keys):
        raise DamagedBlob("its first row does not name a path for every key")
    if not isinstance(signature, str):
        raise DamagedBlob("its first row holds no signature of the pages")
    if not (parts == len(rows) - 1 == len(sizes) == len(crcs)) or sum(sizes) != len(keys):
        raise DamagedBlob(f"it has {len(rows) - 1} parts, not the {parts} it names")
    if [part for part, _ in rows[1:]] != list(range(1, parts + 1)):
        raise DamagedBlob("its parts are not numbered in order")
    blobs = [blob for _, blob in rows[1:]]
    return Snapshot(keys, paths, _parts(blobs, sizes, crcs), signature)


def _parts(blobs: list[object], sizes: list[int], crcs: list[int]) -> Iterator[list[Page]]:
    """Each part's pages, checked as it is reached (a damaged one raises then)."""
    for n, (blob, size, crc) in enumerate(zip(blobs, sizes, crcs, strict=True), 1):
        try:
            raw = decompress(blob)
        except DamagedBlob as err:
            raise DamagedBlob(f"part {n}: {err}") from err
        if zlib.crc32(raw) != crc:
            raise DamagedBlob(f"part {n} is not as it was written")
        with _gc_paused():
            pages = unpickle(raw, list)
        if len(pages) != size:
            raise DamagedBlob(f"part {n} holds {len(pages)} pages, not {size}")
        try:
            yield [intact(page, head=True) for page in pages]
        except DamagedBlob as err:
            raise DamagedBlob(f"part {n}: {err}") from err


def write(conn: sqlite3.Connection, taken: Taken, pages: Sequence[Page]) -> None:
    """Keep ``pages`` (as opened, with ``taken``'s keys) as the snapshot of their roots.

    Older snapshots of other roots beyond :data:`KEEP` are dropped.
    """
    if len(pages) != len(taken.keys):
        raise ValueError("a snapshot needs a key for every page")
    ensure_schema(conn)
    heads = [_header(p) for p in pages]
    cuts, start, size = [], 0, FIRST
    while start < len(heads):
        cuts.append(heads[start : start + size])
        start, size = start + size, min(PART, size * 2)
    raws = [pickle.dumps(cut, protocol=5) for cut in cuts]
    sizes = [len(cut) for cut in cuts]
    paths = [os.fspath(p.path) for p in pages]
    crcs = [zlib.crc32(r) for r in raws]
    signature = pages_signature(pages)  # the pages as opened: a header has no texts
    first = (_FORMAT, PARSER_VERSION, len(raws), taken.keys, paths, sizes, crcs, signature)
    saved = time.time_ns()
    rows = [(taken.roots, 0, saved, zlib.compress(pickle.dumps(first, protocol=5), 1))]
    rows += [(taken.roots, n, saved, zlib.compress(r, 1)) for n, r in enumerate(raws, 1)]
    with conn:
        conn.execute("DELETE FROM heads WHERE roots = ?", (taken.roots,))
        conn.executemany("INSERT INTO heads (roots, part, saved, blob) VALUES (?,?,?,?)", rows)
        newest = conn.execute(
            "SELECT roots FROM heads GROUP BY roots ORDER BY max(saved) DESC"
        ).fetchall()
        conn.executemany("DELETE FROM heads WHERE roots = ?", newest[KEEP:])


def forget(conn: sqlite3.Connection, roots: str) -> None:
    """Drop the snapshot of ``roots`` (it was found damaged)."""
    with conn:
        conn.execute("DELETE FROM heads WHERE roots = ?", (roots,))
