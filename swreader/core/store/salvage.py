"""Salvage for the state database: read what a damaged file still holds, move it aside.

Used by :mod:`swreader.core.store.userstate`; kept apart so the store itself stays readable.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_Rows = dict[str, list[tuple[Any, ...]]]

# The columns of the current schema, with their Python types: what salvage copies and checks.
COLUMNS: dict[str, tuple[tuple[str, type], ...]] = {
    "settings": (("key", str), ("value", str)),
    "positions": (
        ("article_id", str),
        ("paragraph", int),
        ("char_offset", int),
        ("updated", float),
    ),
    "read_marks": (("article_id", str), ("read_at", float)),
    "bookmarks": (("article_id", str), ("paragraph", int), ("title", str), ("created", float)),
    "queries": (("query", str),),
}


def connect(target: str, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), usable from any thread."""
    return sqlite3.connect(
        target, timeout=timeout, isolation_level=None, check_same_thread=False, uri=uri
    )


def busy(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` means another connection holds a lock."""
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


def transaction(conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``fn`` in a write transaction, taking the write lock up front."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # the error that got us here is reported by the caller
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
    return result


def coerce(values: list[Any], columns: tuple[tuple[str, type], ...]) -> tuple[Any, ...] | None:
    """``values`` with the types of ``columns``, or None if any value doesn't fit."""
    out = []
    for value, (_, kind) in zip(values, columns, strict=True):
        if kind is float and isinstance(value, int | float):
            value = float(value)
        elif not isinstance(value, kind):
            return None
        out.append(value)
    return tuple(out)


def read_all(conn: sqlite3.Connection) -> _Rows:
    """Every row that can still be read, table by table, in storage order.

    Each table is read forwards and then backwards, so rows on both sides of a damaged page
    are found. A missing table or column just yields nothing; a lock stops the reading.
    """
    rows: _Rows = {table: [] for table in COLUMNS}
    for table, columns in COLUMNS.items():
        names = ", ".join(name for name, _ in columns)
        found: dict[int, tuple[Any, ...]] = {}
        for order in ("ASC", "DESC"):
            try:
                for rowid, *values in conn.execute(
                    f"SELECT rowid, {names} FROM {table} ORDER BY rowid {order}"
                ):
                    row = coerce(values, columns)
                    if row is not None:
                        found[rowid] = row
                break  # read to the end: no need to come from the other side
            except sqlite3.OperationalError as exc:
                if busy(exc):
                    return rows
                break  # no such table/column: nothing to find in either direction
            except sqlite3.DatabaseError:
                continue  # a damaged page ends this pass; the counts report what survived
        rows[table] = [found[rowid] for rowid in sorted(found)]
    return rows


def insert_all(conn: sqlite3.Connection, rows: _Rows) -> None:
    """Put salvaged rows into a database with the current schema."""

    def insert(db: sqlite3.Connection) -> None:
        for table, table_rows in rows.items():
            names = [name for name, _ in COLUMNS[table]]
            marks = ", ".join("?" * len(names))
            sql = f"INSERT OR REPLACE INTO {table} ({', '.join(names)}) VALUES ({marks})"
            db.executemany(sql, table_rows)

    transaction(conn, insert)


def describe(rows: _Rows) -> str:
    """``"2 bookmarks, 1 read mark and 3 settings"``: always the bookmarks, others if any."""
    parts = []
    for table, word in (
        ("bookmarks", "bookmark"),
        ("read_marks", "read mark"),
        ("settings", "setting"),
    ):
        n = len(rows.get(table, []))
        if n or table == "bookmarks":
            parts.append(f"{n} {word}{'' if n == 1 else 's'}")
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def move_aside(path: Path) -> Path:
    """Rename ``path`` (and its -wal/-shm/-journal companions) to ``<name>.corrupt-<stamp>``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    # A stale WAL next to a fresh database would be replayed into it: move it along.
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def read_readonly(path: Path, timeout: float) -> tuple[_Rows, str | None]:
    """Read a state file without writing to it; also the error if it couldn't be opened."""
    uri = path.resolve().as_uri() + "?mode=ro"
    error: str | None = None
    # Without a writable directory a WAL file's -shm can't be created; immutable avoids it.
    for target in (uri, uri + "&immutable=1"):
        try:
            conn = connect(target, timeout, uri=True)
        except sqlite3.Error as exc:
            error = str(exc)
            continue
        error = None
        try:
            # Lets SQLite read a truncated file instead of refusing it as a whole.
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            conn.close()
            error = str(exc)
            if busy(exc):
                break
            continue
        except sqlite3.DatabaseError as exc:
            error = str(exc)  # corrupt: still salvage what can be read
        try:
            return read_all(conn), error
        finally:
            conn.close()
    return {}, error
