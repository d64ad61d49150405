"""Filling a full-text table in two halves at once: the later half in a scratch file.

FTS5 inserts in the thread that runs the statement, and SQLite lets one connection at a time
write to a database file: a table filled by one connection keeps one core busy whatever the
machine has. :class:`Half` fills the later documents' pair table on a connection of its own,
to a scratch file beside the library, in a thread (the inserts let go of the GIL), while the
builder fills the first half in the library. Then the half's table is copied into the
library under its final name: an FTS5 table is its shadow tables (``_data``, ``_idx``,
``_config``; a contentless table with ``columnsize=0`` has no other), blocks of bytes that
do not depend on the file they are in. :mod:`~swreader.core.search.fulltext` owns the
tables; this module only builds and hands one over.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

__all__ = ["SCRATCH_AGE_S", "Half", "library_file", "tune"]

#: Bytes of terms FTS5 gathers in memory before it writes a segment (its default: 1 MB).
#: Fewer, larger segments and less merging: a 10k archive's paragraphs are inserted in
#: 6.4 s instead of 12.4 s, and its table is 5 % smaller.
HASH_SIZE = 64 * 1024 * 1024
#: A scratch file this old is left from a build that was killed: it goes.
SCRATCH_AGE_S = 3600.0
_SHADOWS = ("data", "idx", "config")
_TABLE = "half"


def library_file(conn: sqlite3.Connection) -> str | None:
    """The file of ``conn``'s main database, or None if it is in memory or temporary."""
    rows = conn.execute("PRAGMA database_list").fetchall()
    return next((row[2] for row in rows if row[1] == "main" and row[2]), None)


def tune(conn: sqlite3.Connection, table: str) -> None:
    """Set FTS5 up to fill ``table`` in one go: :data:`HASH_SIZE`, and no merging meanwhile.

    FTS5 merges segments as it writes them (``automerge``, 4 at a time), then the build's
    ``optimize`` merges them all once more: the data was rewritten up to three times. With
    ``automerge=0`` the segments are left until ``optimize`` (FTS5 still merges 16 of a
    level at once, its ``crisismerge``). Alone, one half of a 100k archive's pairs (139 M)
    is filled and optimised in 31 s instead of 44 s, and the table comes out 11 % smaller;
    in a whole build, where the two halves share two cores with the tokenising workers, the
    gain was within the noise of one run. The tables are not written after their build,
    so the setting is left in them.
    """
    # An SQLite without the options builds the same tables, only more slowly.
    with contextlib.suppress(sqlite3.OperationalError):
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (HASH_SIZE,))
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', 0)")


def _sweep(library: Path) -> None:
    """Remove scratch files that builds killed long ago left beside ``library``."""
    for old in library.parent.glob(f"{library.name}-half-*"):
        with contextlib.suppress(OSError):
            if time.time() - old.stat().st_mtime > SCRATCH_AGE_S:
                old.unlink()


class Half:
    """The later half of a pair table, filled beside the library and then handed over.

    Args:
        library: The library file.
        key: The build's key (names the scratch file).
        columns: The ``USING fts5(...)`` arguments of the table, parenthesised.
    """

    def __init__(self, library: str, key: str, columns: str) -> None:
        self.library = Path(library)
        self.columns = columns
        self.path = self.library.with_name(f"{self.library.name}-half-{key}")
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def __enter__(self) -> Half:
        _sweep(self.library)
        self.path.unlink(missing_ok=True)
        return self

    def fill(self, fill: Callable[[sqlite3.Connection, str], None]) -> None:
        """Start ``fill(conn, table)`` in a thread, on the scratch file's empty table."""
        self._thread = threading.Thread(target=self._run, args=(fill,), name="index-half")
        self._thread.start()

    def _run(self, fill: Callable[[sqlite3.Connection, str], None]) -> None:
        try:
            conn = sqlite3.connect(self.path, check_same_thread=False)
            try:
                # A scratch file: if this process dies, the next build starts it anew.
                conn.execute("PRAGMA journal_mode=OFF")
                conn.execute("PRAGMA synchronous=OFF")
                conn.execute(f"CREATE VIRTUAL TABLE {_TABLE} USING fts5{self.columns}")
                tune(conn, _TABLE)
                conn.commit()
                fill(conn, _TABLE)
                with conn:
                    conn.execute(f"INSERT INTO {_TABLE}({_TABLE}) VALUES('optimize')")
            finally:
                conn.close()
        except BaseException as err:  # handed to the builder's thread by join()
            self._error = err

    def join(self) -> None:
        """Wait for the half to be filled; raise what filling it raised."""
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error

    def adopt(self, name: str) -> None:
        """Copy the filled half into the library as table ``name``.

        On a connection of its own, which the builder's has never seen the table on: a
        connection that had opened it would keep its cached view of the table.

        Raises:
            sqlite3.Error: The library or the scratch file could not be written or read.
        """
        conn = sqlite3.connect(self.library, timeout=30.0)
        try:
            conn.execute("ATTACH DATABASE ? AS scratch", (str(self.path),))
            with conn:
                conn.execute(f"CREATE VIRTUAL TABLE main.{name} USING fts5{self.columns}")
                for shadow in _SHADOWS:
                    conn.execute(f"DELETE FROM main.{name}_{shadow}")
                    conn.execute(
                        f"INSERT INTO main.{name}_{shadow} SELECT * FROM scratch.{_TABLE}_{shadow}"
                    )
            conn.execute("DETACH DATABASE scratch")
        finally:
            conn.close()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._thread is not None:
            self._thread.join()
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
