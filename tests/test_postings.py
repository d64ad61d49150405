"""Character-pair postings: built with NumPy in runs and parts, read back from SQLite."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swreader.core.search import postings as mod
from swreader.core.search.postings import Postings, pair_code
from swreader.core.text.fold import normalise

from .conftest import SEEDS


def _brute(texts: list[str]) -> dict[int, list[int]]:
    found: dict[int, set[int]] = {}
    for d, text in enumerate(texts):
        for i in range(len(text) - 1):
            found.setdefault(pair_code(text[i : i + 2]), set()).add(d)
    return {code: sorted(docs) for code, docs in found.items()}


def _seed_texts() -> list[str]:
    lines = []
    for seed in sorted(SEEDS.glob("*.txt")):
        lines += [normalise(line)[0] for line in seed.read_text("utf-8").splitlines()]
    return lines


def _check(index: Postings, texts: list[str]) -> None:
    expected = _brute(texts)
    assert index.pairs == len(expected)
    for code, docs in expected.items():
        assert list(index.lookup(code)) == docs
        assert index.size(code) == len(docs)


@pytest.mark.parametrize(("chunk", "part"), [(10**9, 10**9), (500, 300), (1, 1)])
def test_postings_equal_a_brute_force_scan_of_the_seeds(
    monkeypatch: pytest.MonkeyPatch, chunk: int, part: int
) -> None:
    # Small chunks and parts force many runs and parts: the merge must give the same result.
    monkeypatch.setattr(mod, "CHUNK_CHARS", chunk)
    monkeypatch.setattr(mod, "PART_KEYS", part)
    texts = _seed_texts()
    index = Postings.build(texts)
    _check(index, texts)
    assert list(index.lookup(pair_code("ZZ"))) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="社工站许昌𠀀𠀁\ue000 ab", max_size=12), max_size=30))
def test_postings_of_any_texts(texts: list[str]) -> None:
    _check(Postings.build(texts), texts)


def test_characters_beyond_the_bmp_share_buckets_without_losing_documents() -> None:
    texts = ["社𠀀", "社\ue000", "x"]
    index = Postings.build(texts)
    # 𠀀 (U+20000) folds into the bucket of U+E000: one pair code, both documents.
    assert pair_code("社𠀀") == pair_code("社\ue000")
    assert list(index.lookup(pair_code("社𠀀"))) == [0, 1]


def test_stored_postings_load_and_are_checked_complete(tmp_path) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(tmp_path / "p.db", check_same_thread=False)
    texts = _seed_texts()
    built = Postings.build(texts, conn, "k")
    loaded = Postings.load(conn, "k", built.parts)
    assert loaded is not None
    _check(loaded, texts)
    assert Postings.load(conn, "k", built.parts + 1) is None  # a part missing
    assert Postings.load(conn, "other", 1) is None
    # Building again under the same key replaces, never duplicates.
    Postings.build(texts, conn, "k")
    rows = conn.execute("SELECT count(*) FROM postings WHERE key = 'k'").fetchone()[0]
    assert rows == built.parts


def test_lookups_from_several_threads_agree() -> None:
    texts = _seed_texts()
    index = Postings.build(texts)
    expected = _brute(texts)
    codes = list(expected)
    errors: list[int] = []

    def work(offset: int) -> None:
        for code in codes[offset::4]:
            if list(index.lookup(code)) != expected[code]:
                errors.append(code)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_empty_input_builds_a_loadable_index(tmp_path) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(tmp_path / "p.db")
    built = Postings.build(["", "x"], conn, "e")
    assert built.pairs == 0
    assert Postings.load(conn, "e", built.parts) is not None
