"""Every figure of an archive, kept in the library so that a view of them opens at once.

:func:`~swreader.core.pages.figtable.figure_rows` costs ~90 µs a figure: 30 to 60 s for the
250,000 figures of 10,000 articles on two shared cores, far too slow to run when a view opens.
A :class:`FigureStore` computes them once per corpus *signature* (the caller's, from
:func:`swreader.core.search.persist.signature`: this layer may not import the search) and keeps
them in three tables this module owns:

* ``figure_sets``: one row per stored set: its signature, when it was saved, and how many
  articles and figures it holds, so that a set missing rows is known to be damaged;
* ``figure_articles``: per set, the article columns of the rows (id, title, region, date…),
  once per article rather than once per figure: a third fewer values to read back, and one
  title string shared by all the rows of an article;
* ``figures``: per set, one row per figure, in reading order.

Both hold folded copies of the subject, the province and the city, so that a filter in
either script is a comparison in SQL (:mod:`~swreader.core.store.figurequery` reads them).

A build computes the rows in worker processes when there are many articles
(:mod:`~swreader.core.store.figurework`), stages them in the connection's temporary database
(which locks nothing of the library) and copies them in, in one transaction at the end: a
build killed or failing half way leaves no set. The newest :data:`KEEP` sets are kept.

What is read back is checked: :meth:`FigureStore.check` (every row there, every value of its
column's type; one scan, ~0.5 s at 250,000 figures) and each row as :meth:`~FigureStore.rows`
builds it. :func:`cached_figures` throws a damaged set away and builds it again, with one
notice.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from swreader.core.pages.corpus import Corpus
from swreader.core.store.figurequery import DamagedFigures, FigureQueries
from swreader.core.store.figurework import computed
from swreader.core.system.cachedb import open_cache_db
from swreader.core.system.paths import library_path

__all__ = ["KEEP", "DamagedFigures", "FigureStore", "cached_figures", "ensure_schema"]

#: Figure sets kept in the library (the newest first).
KEEP = 2
#: ``progress(articles done, articles)``.
Progress = Callable[[int, int], None]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS figure_sets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    signature TEXT NOT NULL UNIQUE,
    saved INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    figures INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS figure_articles (
    set_id INTEGER NOT NULL, article INTEGER NOT NULL,
    article_id TEXT NOT NULL, title TEXT NOT NULL, region TEXT NOT NULL,
    province TEXT, city TEXT, date TEXT, province_key TEXT NOT NULL, city_key TEXT NOT NULL,
    PRIMARY KEY (set_id, article)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS figures (
    set_id INTEGER NOT NULL, seq INTEGER NOT NULL, article INTEGER NOT NULL,
    text TEXT NOT NULL, value REAL, approximate INTEGER NOT NULL, bound TEXT,
    unit TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT, role TEXT,
    paragraph INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    low REAL, high REAL, subject_key TEXT NOT NULL,
    PRIMARY KEY (set_id, seq)
) WITHOUT ROWID;
"""
_UNSTAGE = "DELETE FROM staged_articles; DELETE FROM staged_figures;"
_STAGED = """
CREATE TEMP TABLE IF NOT EXISTS staged_articles (
    article INTEGER PRIMARY KEY, article_id, title, region, province, city, date,
    province_key, city_key
);
CREATE TEMP TABLE IF NOT EXISTS staged_figures (
    seq INTEGER PRIMARY KEY, article, text, value, approximate, bound, unit, kind, subject,
    role, paragraph, start, "end", low, high, subject_key
);
"""


# Whether each value has its column's type, without a function call per value (typeof()
# costs 2.5 times as much): numbers sort before any text, texts before any blob, and SQLite
# keeps a 'x' written into a REAL column as text. NULL, where NOT NULL was lost, is damage.
def _text(c: str, null: bool = False) -> str:
    test = f"({c} >= '' AND {c} < x'')"
    return f"({c} IS NULL OR {test})" if null else test


def _number(c: str) -> str:
    return f"({c} IS NULL OR {c} < '')"


def _integer(c: str) -> str:
    return f"({c} < '' AND {c} = CAST({c} AS INTEGER))"


_SOUND_FIGURE = " AND ".join(
    [_text("text"), _number("value"), "approximate IN (0, 1)", _text("bound", True)]
    + [_text("unit"), _text("kind"), _text("subject", True), _text("role", True)]
    + [_integer(c) for c in ("article", "paragraph", "start", '"end"')]
    + [_number("low"), _number("high"), _text("subject_key")]
)
_SOUND_ARTICLE = " AND ".join(
    [_integer("article"), *(_text(c) for c in ("article_id", "title", "region"))]
    + [_text(c, True) for c in ("province", "city", "date")]
    + [_text("province_key"), _text("city_key")]
)


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the ``figure_sets``, ``figure_articles`` and ``figures`` tables if missing."""
    conn.executescript(_SCHEMA)


class FigureStore(FigureQueries):
    """The figure sets of a library connection (see the module docstring).

    Reading (:meth:`rows`, :meth:`count`, :meth:`subjects`) is
    :class:`~swreader.core.store.figurequery.FigureQueries`'. Thread-safe: one lock
    serialises what it does on the connection, so a view may read while a worker thread
    builds (the computing itself runs outside the lock).

    Args:
        conn: The library (:func:`~swreader.core.system.cachedb.open_cache_db`), or any
            SQLite connection.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._lock = threading.RLock()
        self._building = threading.Lock()  # the staging tables are the connection's: one build
        self._meta = {}  # (set id, saved) → its articles' columns, for the set read last
        with self._lock:
            ensure_schema(conn)

    def has(self, sig: str) -> bool:
        """Whether a set is stored under ``sig`` (not whether it is sound: see :meth:`check`)."""
        with self._lock:
            row = self.conn.execute("SELECT 1 FROM figure_sets WHERE signature = ?", (sig,))
            return row.fetchone() is not None

    def check(self, sig: str) -> str | None:
        """Why the set ``sig`` is damaged, or ``None`` if it is sound (or not stored).

        One scan of its rows (~0.5 s at 250,000 figures): each is there, and each value has
        its column's type.
        """
        with self._lock:
            try:
                found = self._set(sig)
            except DamagedFigures as err:
                return str(err)
            if found is None:
                return None
            set_id, _, articles, figures = found
            # The articles the figures name and those stored must be the same: their sums.
            counted = []
            for table, sound, want, named in (
                ("figures", _SOUND_FIGURE, figures, "DISTINCT article"),
                ("figure_articles", _SOUND_ARTICLE, articles, "article"),
            ):
                count, bad, total = self.conn.execute(
                    f"SELECT count(*), total(({sound}) IS NOT 1), total({named}) FROM {table}"
                    " WHERE set_id = ?",
                    (set_id,),
                ).fetchone()
                if count != want:
                    return f"{table} holds {count} of its {want} rows"
                if bad:
                    return f"{int(bad)} of its {table} rows hold values of the wrong type"
                counted.append(total)
            if counted[0] != counted[1]:
                return "its figures are not of its articles"
        return None

    def forget(self, sig: str) -> None:
        """Delete the set ``sig``, if stored (a damaged one: the next build replaces it)."""
        with self._lock, self.conn:
            self._delete(
                self.conn.execute("SELECT id FROM figure_sets WHERE signature = ?", (sig,))
            )

    def _delete(self, ids: Iterable[tuple[int]]) -> None:
        """Delete the sets ``ids`` and their rows (inside the caller's transaction)."""
        for (set_id,) in list(ids):
            for table in ("figures", "figure_articles"):
                self.conn.execute(f"DELETE FROM {table} WHERE set_id = ?", (set_id,))
            self.conn.execute("DELETE FROM figure_sets WHERE id = ?", (set_id,))

    def build(
        self,
        corpus: Corpus,
        sig: str,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        *,
        workers: int | None = None,
        library: Path | None = None,
        notices: list[str] | None = None,
    ) -> bool:
        """Compute the rows of every article of ``corpus`` and store them under ``sig``.

        Args:
            corpus: The pages.
            sig: Their signature.
            progress: Called with ``(articles done, articles)`` after each chunk.
            cancel: When set (from another thread), stop after the current chunk.
            workers: Worker processes; default: the CPU count.
            library: Where workers read the bodies of header articles; default:
                :func:`library_path`.
            notices: Where to add lines about bodies that had to be read from the files.

        Returns:
            True once the set is stored; False if cancelled (nothing is stored).

        Raises:
            sqlite3.Error: The set could not be stored (a library locked for too long).
        """
        with self._building:
            return self._build(corpus, sig, progress, cancel, workers, library, notices)

    def _build(
        self,
        corpus: Corpus,
        sig: str,
        progress: Progress | None,
        cancel: threading.Event | None,
        workers: int | None,
        library: Path | None,
        notices: list[str] | None,
    ) -> bool:
        pages = [p for p in corpus.pages if p.articles]
        total = sum(len(p.articles) for p in pages)
        with self._lock:
            self.conn.executescript(_STAGED + _UNSTAGE)
        try:
            where: str | None = str(library or library_path())
        except OSError:  # no data folder: pages were read without the library, bodies and all
            where = None
        rows = computed(pages, workers or os.cpu_count() or 1, where)
        try:
            done = figures = articles = 0
            for count, staged_articles, staged_figures, met in rows:
                if notices is not None:
                    notices += met
                with self._lock, self.conn:
                    self.conn.executemany(
                        "INSERT INTO staged_articles VALUES (?,?,?,?,?,?,?,?,?)", staged_articles
                    )
                    self.conn.executemany(
                        "INSERT INTO staged_figures (article, text, value, approximate, bound,"
                        ' unit, kind, subject, role, paragraph, start, "end", low, high,'
                        " subject_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        staged_figures,
                    )
                articles, figures = articles + len(staged_articles), figures + len(staged_figures)
                done += count
                if progress is not None:
                    progress(done, total)
                if cancel is not None and cancel.is_set():
                    return False
            self._save(sig, articles, figures)
            return True
        finally:
            rows.close()  # leaving early: the queued chunks are dropped, not waited for
            with self._lock, contextlib.suppress(sqlite3.Error):  # never hide the first error
                self.conn.executescript(_UNSTAGE)

    def _save(self, sig: str, articles: int, figures: int) -> None:
        """Copy the staged rows in as the set ``sig``, in one transaction; prune old sets."""
        with self._lock, self.conn:
            self._delete(
                self.conn.execute("SELECT id FROM figure_sets WHERE signature = ?", (sig,))
            )
            set_id = self.conn.execute(
                "INSERT INTO figure_sets (signature, saved, articles, figures) VALUES (?,?,?,?)",
                (sig, time.time_ns(), articles, figures),
            ).lastrowid
            self.conn.execute(
                "INSERT INTO figure_articles SELECT ?, * FROM staged_articles", (set_id,)
            )
            self.conn.execute("INSERT INTO figures SELECT ?, * FROM staged_figures", (set_id,))
            old = self.conn.execute("SELECT id FROM figure_sets ORDER BY saved DESC, id DESC")
            self._delete(old.fetchall()[KEEP:])
            # Rows of no set (their entry lost to damage) would otherwise stay for ever.
            kept = "SELECT id FROM figure_sets"
            for table in ("figures", "figure_articles"):
                self.conn.execute(f"DELETE FROM {table} WHERE set_id NOT IN ({kept})")


def _stored(conn: sqlite3.Connection, sig: str, verify: bool) -> tuple[FigureStore, str | None]:
    """The store of ``conn`` and why its set ``sig`` is damaged (``None``: sound, or absent)."""
    store = FigureStore(conn)
    try:
        if not store.has(sig):
            return store, None
        return store, store.check(sig) if verify else None
    except sqlite3.DatabaseError as err:  # tables of another layout, say: start them again
        with conn:
            for table in ("figures", "figure_articles", "figure_sets"):
                conn.execute(f"DROP TABLE IF EXISTS {table}")
        return FigureStore(conn), str(err)


def cached_figures(
    corpus: Corpus,
    sig: str,
    notices: list[str] | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    verify: bool = True,
) -> FigureStore:
    """The figures of ``corpus`` in the library, built first if they are not there.

    Never fails for what the library holds: a damaged set is thrown away and built again
    (one notice); a library that cannot be used at all gives a store in memory. Building
    reads every article's body and takes 30 to 60 s at 10,000 articles: call this from a
    worker thread, never the UI's.

    Args:
        corpus: The pages.
        sig: Their signature (:func:`swreader.core.search.persist.signature`).
        notices: Where to add a line about the library (damaged figures, rebuilt).
        progress: As for :meth:`FigureStore.build`.
        cancel: As for :meth:`FigureStore.build`; a cancelled build stores no set
            (:meth:`FigureStore.has` is False).
        verify: Check a stored set before using it (:meth:`FigureStore.check`, ~0.5 s at
            250,000 figures). A view that must open at once passes ``False``, calls
            ``check`` once it shows, and on damage (or :class:`DamagedFigures` from
            :meth:`~FigureStore.rows`) calls :meth:`~FigureStore.forget` and this again.

    Returns:
        A store holding the set ``sig`` (unless cancelled), on a connection of its own.
    """
    notices = notices if notices is not None else []
    conn = None
    try:
        conn = open_cache_db(library_path(), notices=notices)
        # Strict decoding on this connection of our own: a text that is not UTF-8 is damage
        # (DamagedFigures), not a bytes value slipped into a row.
        conn.text_factory = str
        store, damage = _stored(conn, sig, verify)
        if damage is not None:
            notices.append(f"library: the stored figures were damaged ({damage}); rebuilding")
            store.forget(sig)
        if not store.has(sig):
            store.build(corpus, sig, progress, cancel, notices=notices)
        return store
    except (sqlite3.Error, OSError) as err:
        if conn is not None:
            conn.close()
        notices.append(f"library unavailable for figures ({err}); computing them in memory")
    store = FigureStore(sqlite3.connect(":memory:", check_same_thread=False))
    store.build(corpus, sig, progress, cancel, notices=notices)
    return store
