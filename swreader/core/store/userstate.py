"""The user's state (settings, positions, read marks, bookmarks, recent queries) in SQLite.

A bad ``state.db`` never stops the app and never loses bookmarks silently. A **corrupt** one is
salvaged, moved aside to ``state.db.corrupt-YYYYmmdd-HHMMSS`` (never deleted) and replaced by a
fresh file holding the salvage. A **locked**, **read-only** or **newer** one is copied into an
in-memory database for the session (``persistent`` is False), as is the state when a write
fails mid-session. Each such event adds a line to :attr:`StateStore.notices`; a later one is
also handed to :attr:`StateStore.on_notice`, so the UI can say so when it happens.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from swreader.core.store.behind import WriteBehind
from swreader.core.store.salvage import (
    busy,
    connect,
    describe,
    insert_all,
    move_aside,
    read_all,
    read_readonly,
    transaction,
)
from swreader.core.store.stateschema import Damaged, TooNew, migrate, prepare
from swreader.core.system.paths import state_path

MAX_QUERIES = 50
UNSAVED = "changes this session won't be saved"
LOCKED_NOTICE = f"State file is locked by another process; {UNSAVED}"

T = TypeVar("T")
_Rows = dict[str, list[tuple[Any, ...]]]

_POSITION = "article_id, paragraph, char_offset"
_BOOKMARK = "article_id, paragraph, title, created"
_TRIM_QUERIES = (
    "DELETE FROM queries WHERE id NOT IN (SELECT id FROM queries ORDER BY id DESC LIMIT ?)"
)


@dataclass(frozen=True, slots=True)
class Position:
    """Where the reader was: a paragraph and a character offset inside it."""

    article_id: str
    paragraph: int = 0
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A bookmarked article; the title is kept so the list survives the page going away."""

    article_id: str
    paragraph: int
    title: str
    created: float


class StateStore:
    """The user's state; every method is thread-safe and none raises on storage trouble.

    Args:
        path: The state file; None means :func:`state_path`.
        timeout: Seconds to wait for another process's lock before giving up.
        readonly: Open the file read-only and keep this session's changes in memory.
        behind: Write in a thread of its own (:class:`WriteBehind`), so that no caller waits
            on the disk; the read marks, bookmarks and last position are then served from
            memory (a change made meanwhile by another process shows at the next start).

    Attributes:
        notices: Human-readable messages about storage trouble, for the UI to show.
        persistent: False when the session runs on an in-memory database.
        path: The state file, or None if the data directory is unusable.
        on_notice: Called with each later notice, in the thread that hit it, outside the lock;
            must not raise. A UI hands it to its own thread (Textual: ``post_message``).
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        timeout: float = 2.0,
        readonly: bool = False,
        behind: bool = False,
    ) -> None:
        self.notices: list[str] = []
        self.on_notice: Callable[[str], None] | None = None
        self._undelivered: list[str] = []  # not yet given to on_notice; under the lock
        self.persistent = False
        self.path: Path | None = None
        self._timeout = timeout
        self._lock = threading.Lock()
        self._noticed: set[str] = set()
        self._db = self._open(path, readonly)
        self._undelivered.clear()  # what opening found, the UI reads from ``notices``
        self._behind = WriteBehind(self._failed) if behind else None
        self._read: set[str] | None = None
        self._marks: list[Bookmark] | None = None
        self._last: Position | None = None
        if behind:
            self._read, self._marks = self.read_ids(), self.bookmarks()
            self._last = self._rows_last()

    def _failed(self, err: BaseException) -> None:
        """A write behind raised (not a storage error: those are handled in it); say so."""
        with self._locked():
            self._notice(f"Couldn't record a change ({err})", key="write")

    def follow_notices(self, callback: Callable[[str], None] | None) -> list[str]:
        """Set :attr:`on_notice` and return the notices so far: each notice is in just one."""
        with self._lock:
            self.on_notice = callback
            self._undelivered.clear()
            return list(self.notices)

    # -- opening and falling back ------------------------------------------------------------

    def _notice(self, message: str, key: str | None = None) -> None:
        """Record ``message``; with a ``key``, only the first message under that key."""
        if key is None or key not in self._noticed:
            self.notices.append(message)
            self._undelivered.append(message)
        if key is not None:
            self._noticed.add(key)

    def _open(self, path: Path | None, readonly: bool) -> sqlite3.Connection:
        """The connection for this session: the file if possible, else an in-memory copy."""
        try:
            self.path = path if path is not None else state_path()
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return self._memory({}, f"Can't use the data directory ({exc}); {UNSAVED}")
        if readonly:
            return self._open_readonly("State file opened read-only")
        try:
            conn = connect(str(self.path), self._timeout)
        except sqlite3.Error as exc:
            return self._open_readonly(f"State file can't be opened for writing ({exc})")
        try:
            prepare(conn)
        except TooNew as exc:
            rows = read_all(conn)
            conn.close()
            return self._memory(rows, f"State file is from a newer swreader ({exc}); {UNSAVED}")
        except sqlite3.OperationalError as exc:
            rows = read_all(conn) if busy(exc) else {}
            conn.close()
            if busy(exc):
                return self._memory(rows, LOCKED_NOTICE)
            return self._open_readonly(f"State file can't be written ({exc})")
        except (sqlite3.DatabaseError, Damaged) as exc:
            conn.close()
            return self._recover(exc)
        self.persistent = True
        return conn

    def _open_readonly(self, reason: str) -> sqlite3.Connection:
        """An in-memory copy of what the file holds, for a session that can't write to it."""
        assert self.path is not None
        if not self.path.exists():
            return self._memory({}, f"{reason}; {UNSAVED}")
        rows, error = read_readonly(self.path, self._timeout)
        trouble = "" if error is None else f" (reading it: {error})"
        return self._memory(rows, f"{reason}{trouble}; showing {describe(rows)}; {UNSAVED}")

    def _recover(self, error: BaseException) -> sqlite3.Connection:
        """Salvage a damaged file, move it aside, start a fresh one holding the salvage."""
        assert self.path is not None
        rows, _ = read_readonly(self.path, self._timeout)
        what = describe(rows)
        try:
            moved = move_aside(self.path)
        except OSError as exc:
            return self._memory(
                rows,
                f"State file {self.path} is corrupt ({error}) and can't be moved aside ({exc});"
                f" recovered {what} for this session only",
            )
        conn: sqlite3.Connection | None = None
        try:
            conn = connect(str(self.path), self._timeout)
            prepare(conn)
            insert_all(conn, rows)
        except (sqlite3.Error, Damaged, TooNew) as exc:
            if conn is not None:
                conn.close()
            return self._memory(
                rows,
                f"State file was corrupt ({error}); moved it to {moved}, but a fresh one can't be"
                f" created ({exc}); recovered {what} for this session only",
            )
        self.persistent = True
        if any(rows.values()):
            self._notice(f"State file was corrupt ({error}); moved it to {moved}; recovered {what}")
        else:
            self._notice(
                f"State file was corrupt ({error}) and nothing could be recovered;"
                f" the old file was kept at {moved}"
            )
        return conn

    def _memory(self, rows: _Rows, notice: str) -> sqlite3.Connection:
        """A fresh in-memory database holding ``rows``; records ``notice``."""
        self.persistent = False
        self._notice(notice)
        conn = connect(":memory:", self._timeout)
        transaction(conn, migrate)
        try:
            insert_all(conn, rows)
        except sqlite3.Error as exc:
            self._notice(f"Couldn't load the saved state into memory ({exc})")
        return conn

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the lock; then (the callback may use the store) hand new notices to on_notice."""
        with self._lock:
            yield
            pending, self._undelivered = self._undelivered, []
        for message in pending if (callback := self.on_notice) is not None else ():
            callback(message)

    # -- running operations ------------------------------------------------------------------

    def _rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """The rows of a query, under the lock; none (and a notice) if SQLite fails.

        Writing behind, the writes given so far are done first: a read sees them.
        """
        if self._behind is not None:
            self._behind.settle()
        with self._locked():
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                self._notice(f"Couldn't read the saved state ({exc})", key="read")
                return []

    def _write(self, fn: Callable[[sqlite3.Connection], T], default: T) -> T:
        """``fn(db)`` in a transaction under the lock, never raising.

        If the file refuses the write (locked, read-only, disk full, damaged), the session moves
        to an in-memory copy of the state, with one notice, and the write is done there.
        """
        with self._locked():
            while True:
                try:
                    return transaction(self._db, fn)
                except sqlite3.Error as exc:
                    if not self.persistent:
                        self._notice(f"Couldn't record a change ({exc})", key="write")
                        return default
                    rows = read_all(self._db)
                    self._db.close()
                    msg = f"Couldn't save to the state file ({exc}); {UNSAVED}"
                    self._db = self._memory(rows, LOCKED_NOTICE if busy(exc) else msg)

    def _execute(self, *statements: tuple[str, tuple[Any, ...]]) -> None:
        """Write statements, in one transaction, through :meth:`_write`."""

        def run(db: sqlite3.Connection) -> None:
            for sql, args in statements:
                db.execute(sql, args)

        if self._behind is None:
            self._write(run, None)
        else:
            self._behind.submit(lambda: self._write(run, None))

    def close(self) -> None:
        """Finish the writes given, close the database; later reads return nothing."""
        if self._behind is not None:
            self._behind.close()
        with self._locked():
            try:
                self._db.close()
            except sqlite3.Error as exc:
                self._notice(f"Couldn't close the state file cleanly ({exc})")

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the state ---------------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """The value stored under ``key`` (e.g. ``"script"``, ``"theme"``), or ``default``."""
        rows = self._rows("SELECT value FROM settings WHERE key = ?", key)
        return rows[0][0] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""
        self._execute(("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value)))

    def save_position(self, pos: Position) -> None:
        """Remember ``pos`` as the latest position, and as the position in its article."""
        sql = f"INSERT OR REPLACE INTO positions ({_POSITION}, updated) VALUES (?, ?, ?, ?)"
        self._last = pos
        self._execute((sql, (pos.article_id, pos.paragraph, pos.offset, time.time())))

    def last_position(self) -> Position | None:
        """The position saved last, or None."""
        return self._last if self._behind is not None else self._rows_last()

    def _rows_last(self) -> Position | None:
        rows = self._rows(f"SELECT {_POSITION} FROM positions ORDER BY rowid DESC LIMIT 1")
        return Position(*rows[0]) if rows else None

    def position_for(self, article_id: str) -> Position | None:
        """The position saved last in ``article_id``, or None."""
        rows = self._rows(f"SELECT {_POSITION} FROM positions WHERE article_id = ?", article_id)
        return Position(*rows[0]) if rows else None

    def mark_read(self, article_id: str) -> None:
        """Mark ``article_id`` as read (the first time counts)."""
        sql = "INSERT OR IGNORE INTO read_marks (article_id, read_at) VALUES (?, ?)"
        if self._read is not None:
            self._read.add(article_id)
        self._execute((sql, (article_id, time.time())))

    def is_read(self, article_id: str) -> bool:
        """Whether ``article_id`` was marked read."""
        return bool(self._rows("SELECT 1 FROM read_marks WHERE article_id = ?", article_id))

    def read_ids(self) -> set[str]:
        """Every article marked read."""
        if self._read is not None:
            return set(self._read)
        return {row[0] for row in self._rows("SELECT article_id FROM read_marks")}

    def toggle_bookmark(self, article_id: str, paragraph: int, title: str) -> bool:
        """Bookmark ``article_id`` at ``paragraph``, or remove its bookmark if it has one.

        Returns:
            True if the article is bookmarked now.
        """
        if self._marks is not None:
            return self._toggle_behind(self._marks, article_id, paragraph, title)

        def toggle(db: sqlite3.Connection) -> bool:
            if db.execute("DELETE FROM bookmarks WHERE article_id = ?", (article_id,)).rowcount:
                return False
            sql = f"INSERT INTO bookmarks ({_BOOKMARK}) VALUES (?, ?, ?, ?)"
            db.execute(sql, (article_id, paragraph, title, time.time()))
            return True

        return self._write(toggle, False)

    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark, newest first."""
        if self._marks is not None:
            return list(self._marks)
        sql = f"SELECT {_BOOKMARK} FROM bookmarks ORDER BY created DESC, rowid DESC"
        return [Bookmark(*row) for row in self._rows(sql)]

    def is_bookmarked(self, article_id: str) -> bool:
        """Whether ``article_id`` has a bookmark."""
        return bool(self._rows("SELECT 1 FROM bookmarks WHERE article_id = ?", article_id))

    def add_query(self, query: str) -> None:
        """Remember a search query as the newest; keeps the latest :data:`MAX_QUERIES`."""
        if query := query.strip():
            self._execute(
                ("DELETE FROM queries WHERE query = ?", (query,)),
                ("INSERT INTO queries (query) VALUES (?)", (query,)),
                (_TRIM_QUERIES, (MAX_QUERIES,)),
            )

    def recent_queries(self, limit: int = 20) -> list[str]:
        """Up to ``limit`` recent queries, newest first."""
        sql = "SELECT query FROM queries ORDER BY id DESC LIMIT ?"
        return [row[0] for row in self._rows(sql, max(limit, 0))]

    def _toggle_behind(
        self, marks: list[Bookmark], article: str, paragraph: int, title: str
    ) -> bool:
        """:meth:`toggle_bookmark` on the bookmarks in memory; the file written behind."""
        kept = [b for b in marks if b.article_id != article]
        on = len(kept) == len(marks)
        if on:
            mark = Bookmark(article, paragraph, title, time.time())
            kept.insert(0, mark)
            sql = f"INSERT OR REPLACE INTO bookmarks ({_BOOKMARK}) VALUES (?, ?, ?, ?)"
            self._execute((sql, (article, paragraph, title, mark.created)))
        else:  # what the file holds is made to match, whatever it held
            self._execute(("DELETE FROM bookmarks WHERE article_id = ?", (article,)))
        marks[:] = kept
        return on
