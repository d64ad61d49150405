"""The search tables: pinyin prefix indexes, an older form rebuilt, the checksum read apart."""

from __future__ import annotations

import sqlite3

import pytest

from swreader.core.pages.corpus import Corpus
from swreader.core.search import fulltext
from swreader.core.search.persist import cached_index
from swreader.core.system.paths import library_path

TYPED = ("x", "xu", "xuc", "xuch", "xuchang", "sh", "shegongz", "shegongzhan", "shgz")


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'pinyin\\_%' ESCAPE '\\'")
    return {name for (name,) in rows}


def test_the_pinyin_table_has_prefix_indexes(corpus: Corpus) -> None:
    index = cached_index(corpus)
    conn = sqlite3.connect(library_path())
    assert fulltext.current(conn, str(index.key))
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = ?", (f"pinyin_{index.key}",)
    ).fetchone()
    assert "prefix='1 2 3'" in sql


def test_an_index_without_prefix_indexes_is_rebuilt_quietly_with_the_same_answers(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_form:
        old_form.setattr(fulltext, "_PREFIXES", "detail=full")  # a table as built before
        old = cached_index(corpus)
        before = {q: [(h.article_id, h.paragraph) for h in old.search(q)] for q in TYPED}
        old_key = str(old.key)
    conn = sqlite3.connect(library_path())
    assert not fulltext.current(conn, old_key)
    notices: list[str] = []
    new = cached_index(corpus, notices)
    assert notices == []  # nothing was wrong with it: no notice
    assert str(new.key) != old_key
    assert fulltext.current(conn, str(new.key))
    assert f"pinyin_{old_key}" not in _tables(conn)  # the old tables are gone
    after = {q: [(h.article_id, h.paragraph) for h in new.search(q)] for q in TYPED}
    assert after == before
    assert any(after.values())
    # And the next start loads the new one rather than building again.
    assert str(cached_index(corpus).key) == str(new.key)


def test_the_checksum_read_apart_is_the_one_read_here(corpus: Corpus) -> None:
    index = cached_index(corpus)
    assert index.full is not None
    assert index.full.checksum_apart() == index.full.checksum() == index.crc
    with pytest.raises(fulltext.FullTextError):
        fulltext.checksum_of(str(library_path().parent / "no-such.db"), str(index.key))
