"""The pages' snapshot: a warm open of unchanged files reads a few rows, not one per page."""

from __future__ import annotations

import os
import pickle
import sqlite3
import zlib
from contextlib import closing
from pathlib import Path

import pytest

from swreader.core.pages.corpus import Corpus, load_corpus
from swreader.core.pages.export import article_record
from swreader.core.pages.ids import assign_ids
from swreader.core.store import heads, pagecache
from swreader.core.store.pagecache import PageCache, keep_snapshot, open_corpus

from .conftest import SEEDS


def _archive(folder: Path, days: int = 3) -> Path:
    """The seeds copied into dated folders: the same file names under each."""
    for day in range(days):
        sub = folder / f"2023-10-{20 + day:02d}"
        sub.mkdir(parents=True)
        for seed in sorted(SEEDS.glob("*.txt")):
            (sub / seed.name).write_bytes(seed.read_bytes())
    return folder


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return _archive(tmp_path / "archive")


def _rows(home: Path) -> int:
    """How many snapshots the library keeps (each of several rows)."""
    with closing(sqlite3.connect(home / "library.db")) as db:
        return db.execute("SELECT count(DISTINCT roots) FROM heads").fetchone()[0]


def _page_by_page(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each page read from the library one by one (what the snapshot saves)."""
    read: list[str] = []
    cached = PageCache._cached

    def spy(self: PageCache, path: str | bytes) -> object:
        read.append(os.fsdecode(path))
        return cached(self, path)

    monkeypatch.setattr(PageCache, "_cached", spy)
    return read


def _records(corpus: Corpus) -> list[dict[str, object]]:
    return [article_record(a) for a in corpus.articles]


def test_a_warm_open_reads_the_snapshot_and_shows_the_same(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold, _ = open_corpus([archive])
    assert _rows(isolated_home) == 1  # written once the open was complete
    read = _page_by_page(monkeypatch)
    warm, notices = open_corpus([archive])
    assert read == [] and notices == []  # not one page read on its own
    assert _records(warm) == _records(cold)  # archive-wide ids and all
    assert [p.path for p in warm.pages] == [p.path for p in cold.pages]
    assert len({a.id for a in warm.articles}) == len(warm.articles)
    # Bodies still come from the library on first use (the records above read them).
    article = open_corpus([archive])[0].articles[-1]
    assert not article.body_loaded
    assert article.paragraphs and article.paragraphs == cold.articles[-1].paragraphs


def test_a_snapshot_keeps_the_pages_signature_so_a_warm_start_need_not_compute_it(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 100k articles the signature took ~0.1 s before search answered, and again after."""
    from swreader.core.pages import digest
    from swreader.core.search import persist

    cold, _ = open_corpus([archive])
    assert cold.signature is None  # read page by page: not known, computed when asked
    expected = persist.signature(cold)
    computed: list[int] = []
    signed = digest.pages_signature

    def spy(pages: object) -> str:
        computed.append(1)
        return signed(pages)  # type: ignore[arg-type]

    monkeypatch.setattr(persist, "pages_signature", spy)
    warm, _ = open_corpus([archive])
    assert warm.signature == expected
    assert persist.signature(warm) == expected and computed == []


def test_a_snapshot_whose_signature_is_damaged_is_dropped_and_read_anew(
    archive: Path, isolated_home: Path
) -> None:
    first, _ = open_corpus([archive])
    with closing(sqlite3.connect(isolated_home / "library.db")) as db, db:
        raw = db.execute("SELECT blob FROM heads WHERE part = 0").fetchone()[0]
        head = list(pickle.loads(zlib.decompress(raw)))
        head[-1] = None
        db.execute(
            "UPDATE heads SET blob = ? WHERE part = 0", (zlib.compress(pickle.dumps(tuple(head))),)
        )
    again, notices = open_corpus([archive])
    assert any("snapshot" in n for n in notices), notices
    assert again.signature is None and _records(again) == _records(first)


def test_a_changed_file_is_read_page_by_page_and_the_snapshot_written_anew(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_corpus([archive])
    changed = sorted(archive.rglob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    added = archive / "2023-10-30"
    added.mkdir()
    (added / "01.txt").write_bytes(next(SEEDS.glob("*.txt")).read_bytes())
    read = _page_by_page(monkeypatch)
    second, _ = open_corpus([archive])
    assert read  # the snapshot no longer fits: the stored pages are read one by one
    fresh = load_corpus([archive])
    assign_ids(fresh.pages, [archive])
    assert [a.id for a in second.articles] == [a.id for a in fresh.articles]
    read.clear()
    third, _ = open_corpus([archive])
    assert read == []  # and the new snapshot serves the next open
    assert _records(third) == _records(second)


def test_other_roots_have_their_own_snapshot(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, _ = open_corpus([archive])
    one_day = archive / "2023-10-21"
    part, _ = open_corpus([one_day])
    # Opened from the day's folder, the ids are relative to it: not the snapshot's.
    assert {a.id for a in part.articles}.isdisjoint({a.id for a in whole.articles})
    assert _rows(isolated_home) == 2
    read = _page_by_page(monkeypatch)
    again, _ = open_corpus([archive])
    assert read == [] and _records(again) == _records(whole)


def test_a_page_gone_from_the_library_is_not_served_from_the_snapshot(
    archive: Path, isolated_home: Path
) -> None:
    first, _ = open_corpus([archive])
    with closing(sqlite3.connect(isolated_home / "library.db")) as db, db:
        db.execute("DELETE FROM pages WHERE rowid = (SELECT min(rowid) FROM pages)")
    second, notices = open_corpus([archive])
    assert _records(second) == _records(first) and notices == []
    with closing(sqlite3.connect(isolated_home / "library.db")) as db:
        stored = db.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert stored == len(first.pages)  # parsed again and stored


def test_a_snapshot_of_another_parser_is_not_used(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_corpus([archive])
    monkeypatch.setattr(heads, "PARSER_VERSION", heads.PARSER_VERSION + 1)
    with closing(sqlite3.connect(isolated_home / "library.db")) as conn:
        assert heads.find(conn, heads.roots_key([archive])) is None


def test_the_reader_writes_the_snapshot_after_its_open(archive: Path, isolated_home: Path) -> None:
    corpus, _ = open_corpus([archive], snapshot=False)
    assert _rows(isolated_home) == 0  # left for later: the reader's search answers first
    assert keep_snapshot(corpus) == []
    assert _rows(isolated_home) == 1
    again, _ = open_corpus([archive], snapshot=False)
    assert again.taken is not None and getattr(again.taken, "current", False)
    assert keep_snapshot(again) == []  # current: nothing written


def test_snapshot_parts_double_from_the_first_up_to_part_pages(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(heads, "FIRST", 1)
    monkeypatch.setattr(heads, "PART", 4)
    first, _ = open_corpus([archive])  # 15 pages: parts of 1, 2, 4, 4, 4
    assert len(first.pages) == 15
    with closing(sqlite3.connect(isolated_home / "library.db")) as db:
        parts = db.execute("SELECT count(*) FROM heads WHERE part > 0").fetchone()[0]
    assert parts == 5
    read = _page_by_page(monkeypatch)
    shown: list[int] = []
    again = PageCache().open([archive], lambda p: shown.append(len(p.pages)))
    assert read == [] and _records(again) == _records(first)
    # Shown part by part as they are read (the first soon), not once the whole is read.
    assert shown == [1, 2, 4, 4, 4]


def test_a_part_damaged_behind_an_intact_check_is_read_page_by_page(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = open_corpus([archive], snapshot=False)
    expected = _records(first)
    last = first.pages[-1]
    # A snapshot written with a page that is not a header page: its part's CRC is right,
    # so the damage shows only once the earlier parts have been shown.
    monkeypatch.setattr(heads, "FIRST", 4)
    monkeypatch.setattr(heads, "PART", 4)
    real = heads._header
    monkeypatch.setattr(heads, "_header", lambda p: real(p) if p is not last else "junk")
    keep_snapshot(first)
    monkeypatch.setattr(heads, "_header", real)
    shown: list[int] = []
    library = PageCache()
    again = library.open([archive], lambda p: shown.append(len(p.pages)))
    assert _records(again) == expected
    assert len(library.notices) == 1 and "snapshot was damaged" in library.notices[0]
    assert sum(shown) > len(first.pages)  # the first parts, then every page again
    assert _rows(isolated_home) == 0  # forgotten: written anew by the next keep


def test_a_header_copy_does_not_read_the_body(archive: Path) -> None:
    open_corpus([archive])
    warm, _ = open_corpus([archive])
    article = warm.articles[0]
    head = article.header()
    assert not article.body_loaded and head.paragraph_count == article.paragraph_count > 0


def test_a_snapshot_of_another_form_is_written_anew_quietly(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = open_corpus([archive])
    with closing(sqlite3.connect(isolated_home / "library.db")) as db, db:
        db.execute(  # row 0 as a version of another form wrote it
            "UPDATE heads SET blob = ? WHERE part = 0",
            (zlib.compress(pickle.dumps(("heads/0", 1, 2))),),
        )
    read = _page_by_page(monkeypatch)
    again, notices = open_corpus([archive])
    assert notices == [] and read  # not damage: read page by page, without a word
    assert _records(again) == _records(first)
    read.clear()
    open_corpus([archive])
    assert read == []  # and written anew in today's form


@pytest.mark.parametrize(
    "damage",
    [
        zlib.compress(pickle.dumps([])),  # a zlib stream of another part
        b"not zlib",
        12,
    ],
)
def test_a_damaged_later_part_is_met_when_reached_and_the_pages_read_one_by_one(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    monkeypatch.setattr(heads, "FIRST", 2)
    monkeypatch.setattr(heads, "PART", 4)
    first, _ = open_corpus([archive])
    with closing(sqlite3.connect(isolated_home / "library.db")) as db, db:
        db.execute("UPDATE heads SET blob = ? WHERE part = 3", (damage,))
    again, notices = open_corpus([archive])
    assert _records(again) == _records(first)
    assert len(notices) == 1 and "part 3" in notices[0], notices
    read = _page_by_page(monkeypatch)
    third, notices = open_corpus([archive])
    assert read == [] and notices == [] and _records(third) == _records(first)


# -- the snapshot trusted first, the files checked after ---------------------------------
def _walks(monkeypatch: pytest.MonkeyPatch, events: list[str]) -> None:
    """Record in ``events`` when the open walks the files."""
    walk = pagecache.iter_files

    def spy(roots: object) -> object:
        events.append("walk")
        return walk(roots)  # type: ignore[arg-type]

    monkeypatch.setattr(pagecache, "iter_files", spy)


def test_the_snapshot_is_handed_over_before_the_walk_and_kept_if_the_files_fit(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold, _ = open_corpus([archive])
    events: list[str] = []
    _walks(monkeypatch, events)
    early: list[Corpus] = []

    def trusted(corpus: Corpus) -> None:
        events.append("trusted")
        early.append(corpus)

    shown: list[int] = []
    read = _page_by_page(monkeypatch)
    warm, notices = open_corpus([archive], lambda p: shown.append(len(p.pages)), trusted=trusted)
    assert events == ["trusted", "walk"] and notices == [] and read == []
    assert warm is early[0]  # the files are those it was taken of: the same corpus
    assert _records(warm) == _records(cold)
    assert [p.path for p in warm.pages] == [p.path for p in cold.pages]
    assert sum(shown) == len(cold.pages)  # shown as it was read, before the walk
    assert heads.stale(warm.taken) is None  # nothing to write


def test_files_changed_behind_the_snapshot_give_a_corpus_read_anew(
    archive: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, _ = open_corpus([archive])
    changed = sorted(archive.rglob("*.txt"))[1]
    text = changed.read_text(encoding="utf-8")
    title = before.pages[1].articles[0].title
    changed.write_text(text.replace(title, "新标题" + title, 1), encoding="utf-8")
    (archive / "2023-10-20" / sorted(SEEDS.glob("*.txt"))[0].name).unlink()
    early: list[Corpus] = []
    seen: list[list[dict[str, object]]] = []

    def trusted(corpus: Corpus) -> None:
        early.append(corpus)
        seen.append(_records(corpus))  # bodies and all, while the reader shows it

    after, _ = open_corpus([archive], trusted=trusted)
    assert seen == [_records(before)]  # what was there last time, at once
    assert after is not early[0]
    fresh = load_corpus([archive])
    assign_ids(fresh.pages, [archive])
    assert [(a.id, a.title) for a in after.articles] == [(a.id, a.title) for a in fresh.articles]
    assert any(a.title.startswith("新标题") for a in after.articles)
    # The new snapshot is written (by the caller here) and trusted next time.
    again: list[Corpus] = []
    third, _ = open_corpus([archive], trusted=again.append)
    assert third is again[0] and _records(third) == _records(after)


def test_no_or_a_damaged_snapshot_is_not_handed_over(archive: Path, isolated_home: Path) -> None:
    early: list[Corpus] = []
    first, _ = open_corpus([archive], trusted=early.append)
    assert early == []  # nothing stored yet
    with closing(sqlite3.connect(isolated_home / "library.db")) as db, db:
        db.execute("UPDATE heads SET blob = ? WHERE part = 0", (zlib.compress(b"junk"),))
    second, notices = open_corpus([archive], trusted=early.append)
    assert early == [] and len(notices) == 1 and "snapshot" in notices[0]
    assert _records(second) == _records(first)
    third, notices = open_corpus([archive], trusted=early.append)
    assert notices == [] and len(early) == 1 and third is early[0]
