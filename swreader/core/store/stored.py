"""How a page is kept in the page cache: its key, its blobs, and its body read on demand.

Each page is stored three times over, compressed, for three uses:

* ``head``: the page with its articles' headers only (title, place, date, sources,
  paragraph count): what a warm start loads, for the list, the sidebar and the ranking;
* ``blob``: the whole parsed page, read again when an article's paragraphs are first used
  (:class:`Bodies`);
* ``text``: the decoded original, read only to show the page as it came.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import threading
import zlib
from contextlib import closing
from pathlib import Path

from swreader.core.pages.corpus import Page, load_page
from swreader.core.pages.digest import page_digest
from swreader.core.pages.model import Article
from swreader.core.system.blobs import DamagedBlob, decompress, unpickle

__all__ = [
    "Bodies",
    "dump",
    "file_key",
    "intact",
    "load",
    "load_head",
    "pack_text",
    "stored_path",
    "unpack_text",
]


def stored_path(path: Path | str) -> str | bytes:
    """How a path is keyed: its text, or its bytes if it has no UTF-8 text (``\\xff.txt``)."""
    # abspath, not resolve(): no system call per path component, which matters at 10k files.
    absolute = os.path.abspath(path)
    try:
        absolute.encode("utf-8")
    except UnicodeEncodeError:  # surrogates from the file system's undecodable bytes
        return os.fsencode(absolute)
    return absolute


def file_key(path: Path) -> tuple[str | bytes, int, int] | None:
    """``(stored path, size, mtime_ns)`` of a file, or ``None`` if it cannot be stat'ed."""
    try:
        st = path.stat()
    except OSError:
        return None
    return stored_path(path), st.st_size, st.st_mtime_ns


def _pickled(page: Page) -> bytes:
    return zlib.compress(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL), 3)


def dump(page: Page) -> tuple[bytes, bytes, bytes | None]:
    """The page (without its text), its header page, and its text, all compressed.

    The decoded text is only needed to show the original page, so it is stored apart and
    never loaded with the corpus (at 30M characters it would double the memory).
    """
    page.digest = page_digest(page)
    text, page.text = page.text, None
    try:
        blob = _pickled(page)
        articles = page.articles
        page.articles = [a.header() for a in articles]
        try:
            head = _pickled(page)
        finally:
            page.articles = articles
    finally:
        page.text = text
    stored = pack_text(stored_path(page.path), text) if text is not None else None
    return blob, head, stored


#: What a stored original text starts with (a zlib stream never does): a checked one.
_TEXT = b"swtext1\0"


def _text_check(key: str | bytes, data: bytes) -> bytes:
    return zlib.crc32(data, zlib.crc32(os.fsencode(key) + b"\0")).to_bytes(4, "big")


def pack_text(key: str | bytes, text: str) -> bytes:
    """The decoded original of the file stored as ``key``, compressed and checked.

    The check covers the file's key too: a text that decompresses well but is not this
    file's (another row's, or a damaged row that is still a zlib stream) is found.
    """
    # surrogatepass: whatever str the reader produced is stored, and decodes back equal.
    data = text.encode("utf-8", "surrogatepass")
    return _TEXT + _text_check(key, data) + zlib.compress(data, 3)


def unpack_text(key: str | bytes, stored: object) -> str | None:
    """The original text stored by :func:`pack_text` for ``key``.

    Returns:
        The text, or ``None`` for a value without the check (stored by an older version,
        or by no version of ours): the caller reads the file, as for no stored text.

    Raises:
        DamagedBlob: It does not decompress, is not this file's, or is not UTF-8 text.
    """
    if not (isinstance(stored, bytes) and stored.startswith(_TEXT)):
        return None
    check, data = stored[len(_TEXT) : len(_TEXT) + 4], decompress(stored[len(_TEXT) + 4 :])
    if check != _text_check(key, data):
        raise DamagedBlob("stored original is not this file's text")
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError as err:
        raise DamagedBlob(f"stored original does not decode: {err}") from err


def intact(page: object, *, head: bool = False) -> Page:
    """``page``, if it is a whole stored page (with ``head``: a header page).

    Raises:
        DamagedBlob: It is not a page with a list of articles and a digest (or, a header
            page, one whose every article knows its length).
    """
    if not isinstance(page, Page):
        raise DamagedBlob(f"stored value is {type(page).__name__}, not Page")
    articles = page.articles
    if not (isinstance(articles, list) and all(isinstance(a, Article) for a in articles)):
        raise DamagedBlob("stored page has no list of articles")
    if not isinstance(page.digest, str):
        raise DamagedBlob("stored page has no digest")
    if head and not all(isinstance(a.__dict__.get("_count"), int) for a in articles):
        raise DamagedBlob("stored header page has an article without its length")
    return page


def load(blob: object, path: str | bytes | None = None, *, head: bool = False) -> Page:
    """The page stored as ``blob`` (the page of ``path``, if given).

    Args:
        blob: A stored page.
        path: The stored path of its file, checked by name.
        head: It is a header page (articles without their bodies): see :func:`intact`.

    Raises:
        DamagedBlob: It is not an intact page (of that file).
    """
    page = intact(unpickle(decompress(blob), Page), head=head)
    # By name: the stored path is as given when it was parsed (perhaps relative).
    named = getattr(page.path, "name", None)
    if path is not None and named != os.path.basename(os.fsdecode(path)):
        raise DamagedBlob(f"stored page is {page.stem!r}, not of this file")
    return page


def load_head(head: object, path: str | bytes | None = None) -> Page:
    """The header page stored as ``head``: articles without their bodies.

    Raises:
        DamagedBlob: It is not an intact header page (of that file).
    """
    return load(head, path, head=True)


class Bodies:
    """Reads articles' paragraphs from the library when they are first used.

    Each read opens the library for a moment (thread-safe: the UI and the search worker
    both read). The whole page is read at once, for all its articles. A body that is gone
    or damaged is parsed again from the file, with a line in :attr:`notices`, and stored
    again so the next read is quiet.

    Args:
        library: The library file.
        notices: Where to add lines about damage met (default: a list of its own).
    """

    def __init__(self, library: Path, notices: list[str] | None = None) -> None:
        self.library = library
        self.notices = notices if notices is not None else []
        self._lock = threading.Lock()
        # One read-only connection per thread (the UI's, the search worker's), kept open:
        # an export reads every page, and opening the file for each costs more than the read.
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            uri = self.library.resolve().as_uri() + "?mode=ro"
            conn = self._local.conn = sqlite3.connect(uri, uri=True, timeout=10.0)
        return conn

    def defer(self, page: Page) -> None:
        """Have ``page``'s header articles read their bodies from the library on first use."""
        articles = page.articles
        path = page.path

        def load_all(_: Article) -> None:
            self._fill(path, articles)

        for article in articles:
            article.defer_body(load_all)

    def _full(self, path: Path) -> Page:
        key = stored_path(path)
        try:
            row = self._conn().execute("SELECT blob FROM pages WHERE path = ?", (key,)).fetchone()
            if row is None:
                raise DamagedBlob("no longer stored")
            return load(row[0], key)
        except (sqlite3.Error, OSError, DamagedBlob) as err:
            self.notices.append(f"library: {path.name}: {err}; read again from the file")
        page = load_page(path)
        blob, head, _ = dump(page)
        # Best effort: a library locked by another process is mended by a later read.
        with (
            contextlib.suppress(sqlite3.Error),
            closing(sqlite3.connect(self.library)) as conn,
            conn,
        ):
            conn.execute("UPDATE pages SET blob = ?, head = ? WHERE path = ?", (blob, head, key))
        return page

    def _fill(self, path: Path, articles: list[Article]) -> None:
        with self._lock:  # two threads asking for one page: read it once
            if all(a.body_loaded for a in articles):
                return
            full = self._full(path).articles
            fits = len(full) == len(articles) and all(
                a.title == b.title and a.paragraph_count == len(b.paragraphs)
                for a, b in zip(articles, full, strict=True)
            )
            if not fits:
                self.notices.append(f"library: {path.name}: changed since it was listed")
            for n, article in enumerate(articles):
                if not article.body_loaded:
                    source = full[n] if fits else None
                    article.paragraphs = source.paragraphs if source else []
                    article.damaged = source.damaged if source else []
