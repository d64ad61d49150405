"""The state file's schema: its migrations, and the checks that it is ours and writable.

:mod:`~swreader.core.store.userstate` owns the tables; this is how it opens them.
"""

from __future__ import annotations

import sqlite3

from swreader.core.store.salvage import COLUMNS, transaction

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Damaged", "TooNew", "migrate", "prepare"]

SCHEMA_VERSION = 1

# MIGRATIONS[i] takes the schema from version i to version i + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE positions (article_id TEXT PRIMARY KEY, paragraph INTEGER NOT NULL,"
        " char_offset INTEGER NOT NULL, updated REAL NOT NULL)",
        "CREATE TABLE read_marks (article_id TEXT PRIMARY KEY, read_at REAL NOT NULL)",
        "CREATE TABLE bookmarks (article_id TEXT PRIMARY KEY, paragraph INTEGER NOT NULL,"
        " title TEXT NOT NULL, created REAL NOT NULL)",
        "CREATE TABLE queries (id INTEGER PRIMARY KEY AUTOINCREMENT, query TEXT NOT NULL UNIQUE)",
    ),
)


class Damaged(Exception):
    """The file is a database, but damaged or not (any longer) a swreader state file."""


class TooNew(Exception):
    """The file was written by a newer swreader with a schema this one doesn't know."""


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema to :data:`SCHEMA_VERSION` and check it; also proves the file writable.

    Raises:
        TooNew: The file's ``user_version`` is above ours.
        Damaged: A foreign database, or a table lacks a column.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise TooNew(f"schema version {version}, this swreader knows {SCHEMA_VERSION}")
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    if version == 0 and tables:
        raise Damaged("not a swreader state file")
    for statements in MIGRATIONS[version:]:
        for sql in statements:
            conn.execute(sql)
    for table, columns in COLUMNS.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        missing = [name for name, _ in columns if name not in have]
        if missing:
            raise Damaged(f"table {table} lacks {', '.join(missing)}")
    # Written even when unchanged: a read-only file fails here rather than on the first save.
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def prepare(conn: sqlite3.Connection) -> None:
    """Set up a file connection: WAL, an integrity check, the schema."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    problems = conn.execute("PRAGMA quick_check").fetchall()
    if problems != [("ok",)]:
        raise Damaged("; ".join(str(row[0]) for row in problems[:3]))
    transaction(conn, migrate)
