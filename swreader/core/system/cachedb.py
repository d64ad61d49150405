"""The cache database file: opened, versioned and, when damaged, set aside and started anew.

``library.db`` is a cache of pages the user still has, so nothing in it is precious: a
file of another layout is emptied, a damaged one is moved aside. It only owns the file;
each table is created by the module that reads it (the page cache, the search index and
its postings), through ``ensure_schema`` functions called on the connection returned here.

A TEXT value that is not UTF-8 (damage SQLite does not see) is read back as its bytes
rather than raising on every read of its table, so that it only fails to match.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

__all__ = ["LAYOUT_VERSION", "open_cache_db"]

#: The layout of the whole file; bump when any table changes, so old files are emptied.
LAYOUT_VERSION = 8


def _tables(conn: sqlite3.Connection, virtual: bool = False) -> list[str]:
    """Names of the plain tables (``virtual=False``) or of the virtual ones (full-text)."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [
        name
        for name, sql in rows
        if isinstance(sql, str) and sql.upper().startswith("CREATE VIRTUAL") == virtual
    ]


def _text(data: bytes) -> str | bytes:
    """A TEXT value read back: its str, or its bytes if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _connect(path: Path | str, timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
    conn.text_factory = _text
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode=WAL")
    return conn


def _versioned(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Empty the file if its layout is not ours; check it can be read at all."""
    if conn.execute("PRAGMA user_version").fetchone()[0] != LAYOUT_VERSION:
        with conn:
            # Virtual tables first: dropping one drops its shadow tables with it.
            for table in [*_tables(conn, virtual=True), *_tables(conn)]:
                conn.execute(f'DROP TABLE IF EXISTS "{table}"')
            conn.execute(f"PRAGMA user_version = {LAYOUT_VERSION}")
    # A virtual table's shadow tables (a full-text index's blocks) are checked by their
    # owner, against the checksum taken when they were built: counting them here read
    # every block of a 100k index (0.3 s) on each of a start's three opens.
    virtual = tuple(f"{name}_" for name in _tables(conn, virtual=True))
    for table in _tables(conn):
        if not table.startswith(virtual):
            conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return conn


def open_cache_db(
    path: Path, *, timeout: float = 10.0, notices: list[str] | None = None
) -> sqlite3.Connection:
    """A connection to the cache at ``path``, never failing for what the file holds.

    Args:
        path: The database file.
        timeout: Seconds to wait for another process's lock.
        notices: Where to add a line when the file had to be set aside.

    Returns:
        The file's connection, or an in-memory one if the file can't be used at all.
    """
    notices = notices if notices is not None else []
    try:
        return _versioned(_connect(path, timeout))
    except sqlite3.DatabaseError as err:
        # A cache of files the user still has: set it aside and start again, never stop.
        aside = path.with_name(path.name + ".corrupt")
        try:
            os.replace(path, aside)
        except OSError as move_err:
            notices.append(f"library unusable ({err}; {move_err}); working without it")
            return _versioned(_connect(":memory:", timeout))
        notices.append(f"library file was damaged ({err}); moved to {aside}, re-indexing")
        return _versioned(_connect(path, timeout))
