"""Loading a big archive: the app answers keys meanwhile, and refreshes a bounded number of times.

The library is replaced by a stub that reports batches through ``progress`` as the real one
does, so a test can hold the loader mid-way (a :class:`threading.Event`) or feed it hundreds
of batches at no parsing cost. The search index is stubbed too: it is not under test here.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import ProgressBar

from swreader.app import make_app
from swreader.core.pages import facets
from swreader.core.pages.corpus import Corpus, Page, bundled_seeds, load_corpus
from swreader.core.store.pagecache import Progress
from swreader.core.text import convert
from swreader.screens import loading, main
from swreader.screens.main import MainScreen
from swreader.widgets import sidebar
from swreader.widgets.article_list import ArticleList
from swreader.widgets.sidebar import SourceTree

from .pilot import screen, settle, without_locale

#: The longest a test waits for the app (s); the loader's gate opens by itself after it.
PATIENCE = 20.0

Loader = Callable[..., tuple[Corpus, list[str]]]


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No locale (the interface speaks 简体), and no search index to build."""
    without_locale(monkeypatch)
    monkeypatch.setattr(loading, "stored_index", lambda corpus, notices, **_: None)
    monkeypatch.setattr(loading, "cached_index", lambda corpus, notices, **_: None)
    monkeypatch.setattr(loading, "after_index", lambda *_, **__: None)  # no index: nothing after it


def pages(count: int, stem: str = "") -> list[Page]:
    """``count`` pages copied from the seeds, each with its own name, titles and ids."""
    seeds = [p for p in load_corpus([bundled_seeds()]).pages if p.articles]
    out = []
    for n in range(count):
        page = seeds[n % len(seeds)]
        name = stem or f"{page.stem}-{n}"
        articles = [
            dataclasses.replace(a, id=f"{name}/{a.id}", page=name, title=f"{a.title} {n}")
            for a in page.articles
        ]
        out.append(dataclasses.replace(page, stem=name, articles=articles))
    return out


def loader(pages: list[Page], batch: int, gate: threading.Event | None = None) -> Loader:
    """A stand-in for ``open_corpus``: ``pages`` in batches; waits on ``gate`` after the first."""

    def open_corpus(
        roots: object,
        progress: Callable[[Progress], None] | None = None,
        *,
        cancel: threading.Event | None = None,
        snapshot: bool = True,
        trusted: Callable[[Corpus], None] | None = None,
    ) -> tuple[Corpus, list[str]]:
        for start in range(0, len(pages), batch):
            if progress:
                done = min(start + batch, len(pages))
                progress(Progress(done, len(pages), pages[start : start + batch]))
            if gate is not None:
                gate.wait(timeout=PATIENCE)  # never hangs the run, whatever the test did
        return Corpus(list(pages)), []

    return open_corpus


async def until(pilot: Pilot, condition: Callable[[], bool]) -> None:
    """Let the app run until ``condition`` holds (without waiting for the workers)."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "the app did not get there in time"
        await pilot.pause(0.01)


def page_leaves(tree: SourceTree) -> list[str]:
    """The labels of the page leaves (skipped pages included)."""
    return [str(n.label) for n in tree._branches["pages"].children]


async def opened_page_leaves(pilot: Pilot, tree: SourceTree) -> list[str]:
    """The page leaves once their branch is open (they are made then)."""
    tree._branches["pages"].expand()
    await settle(pilot)
    await until(pilot, lambda: not tree._filling)
    return page_leaves(tree)


async def test_the_page_leaves_are_made_when_their_branch_is_opened() -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = pilot.app.screen.query_one(SourceTree)
        branch = tree._branches["pages"]
        assert not branch.is_expanded and page_leaves(tree) == []  # closed: none made
        assert str(branch.label).endswith(f"({len(screen(pilot.app).corpus.pages)})")
        wanted = sorted(f"{p.stem} ({len(p.articles)})" for p in screen(pilot.app).corpus.pages)
        assert sorted(await opened_page_leaves(pilot, tree)) == wanted


async def test_a_key_is_answered_while_the_loader_is_still_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = threading.Event()
    archive = pages(10)
    monkeypatch.setattr(loading, "open_corpus", loader(archive, 2, gate))
    app = make_app()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            listing = app.screen.query_one(ArticleList)
            tree = app.screen.query_one(SourceTree)
            await until(pilot, lambda: listing.option_count > 0)  # the first batch, at once
            assert listing.option_count == sum(len(p.articles) for p in archive[:2])
            # ...and still loading: the bar says so; the dots, which covered rows of the
            # list, are gone with the first batch.
            assert app.screen.query_one(ProgressBar).display
            assert not app.screen.query_one("#loading").display
            assert tree.display
            tree._branches["pages"].expand()  # the reader opens the pages meanwhile
            await pilot.press("s")
            assert not tree.display, "the key was not answered while loading"
            await pilot.press("s")
            assert tree.display
            assert not gate.is_set() and len(screen(app).corpus.pages) == 2
            gate.set()
            await settle(pilot)
            await until(pilot, lambda: not tree._filling)
            total = sum(len(p.articles) for p in archive)
            assert len(screen(app).corpus.articles) == listing.option_count == total
            assert not app.screen.query_one("#loading").display
            assert str(tree.root.children[0].label) == f"全部文章 ({total})"
            # Refreshed in place: what the reader opened is still open, and complete.
            assert tree._branches["pages"].is_expanded
            assert len(page_leaves(tree)) == len(archive)
    finally:
        gate.set()


def loading_in_batches(
    monkeypatch: pytest.MonkeyPatch, count: int, batch: int
) -> tuple[list[Page], list[tuple[float, int]]]:
    """``count`` pages loaded ``batch`` at a time, and the refreshes recorded (as below)."""
    archive = pages(count)
    monkeypatch.setattr(loading, "open_corpus", loader(archive, batch))
    return archive, count_refreshes(monkeypatch)


def count_refreshes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, int]]:
    """Record each refresh of the main screen: when it started, and the pages it showed."""
    shown: list[tuple[float, int]] = []
    show_corpus = MainScreen._show_corpus

    def counted(self: MainScreen, groups: facets.Groups) -> None:
        shown.append((time.monotonic(), len(self.corpus.pages)))
        show_corpus(self, groups)

    monkeypatch.setattr(MainScreen, "_show_corpus", counted)
    return shown


async def test_a_long_load_refreshes_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    batches, batch = 200, 2
    archive, shown = loading_in_batches(monkeypatch, batches * batch, batch)
    # Page leaves a few at a time, so the tree fills over many turns of the event loop.
    monkeypatch.setattr(sidebar, "_STEP", 7)
    monkeypatch.setattr(sidebar, "_SLICE", 0.0)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.screen.query_one(SourceTree)
        await until(pilot, lambda: "pages" in tree._branches)
        tree._branches["pages"].expand()  # opened while loading: its leaves fill as it goes
        await settle(pilot)
        await until(pilot, lambda: not tree._filling)
        assert shown[0][1] == batch  # the first batch is shown at once
        assert shown[-1][1] == len(archive)  # and the whole archive at the end
        # Doublings give log2(batches) refreshes, the end one more; any other needs 3 s.
        elapsed = shown[-1][0] - shown[0][0]
        bound = math.ceil(math.log2(batches)) + 2 + int(elapsed / main._REFRESH_EVERY)
        assert len(shown) <= bound, (len(shown), bound)
        total = sum(len(p.articles) for p in archive)
        assert app.screen.query_one(ArticleList).option_count == total
        assert page_leaves(tree) == [f"{p.stem} ({len(p.articles)})" for p in archive]


async def test_a_fast_open_is_drawn_at_its_first_batch_and_its_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A warm open delivers its batches within a second: redrawing at every doubling only
    # took the GIL from the loader. The first batch shows at once, the rest at the end.
    batches, batch = 64, 4
    archive, shown = loading_in_batches(monkeypatch, batches * batch, batch)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert shown[-1][1] == len(archive)
        elapsed = shown[-1][0] - shown[0][0]
        assert shown[0][1] == batch
        # One more refresh per second the load took (a doubling waits for the gap).
        assert len(shown) <= 2 + int(elapsed / main._DOUBLING_GAP), (shown, elapsed)


async def test_a_slow_refresh_spaces_out_the_next_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    # At 100k articles a refresh took longer than the 3 s between refreshes, so every batch
    # started another. Scaled down: 10 ms between refreshes, each taking 20 ms or more.
    batches, cost = 200, 0.02
    archive, shown = loading_in_batches(monkeypatch, batches, 1)
    monkeypatch.setattr(main, "_REFRESH_EVERY", 0.01)
    populate = SourceTree.populate

    def slow(self: SourceTree, groups: facets.Groups, bookmarks: int) -> None:
        time.sleep(cost)
        populate(self, groups, bookmarks)

    monkeypatch.setattr(SourceTree, "populate", slow)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert shown[-1][1] == len(archive)
        elapsed = shown[-1][0] - shown[0][0]
        wait = main._REFRESH_WAIT * cost
        bound = math.ceil(math.log2(batches)) + 2 + int(elapsed / wait)
        assert len(shown) <= bound, (len(shown), bound)


async def test_a_load_without_batches_is_counted_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A plain read (the library unusable) reports no batches: the end counts everything.
    archive = pages(6)

    def plain_read(roots: object, progress: object = None, **_: object) -> tuple[Corpus, list]:
        return Corpus(list(archive)), []

    monkeypatch.setattr(loading, "open_corpus", plain_read)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        total = sum(len(p.articles) for p in archive)
        assert app.screen.query_one(ArticleList).option_count == total
        assert set(screen(app).by_id) == {a.id for p in archive for a in p.articles}
        tree = app.screen.query_one(SourceTree)
        assert str(tree.root.children[0].label) == f"全部文章 ({total})"
        assert len(await opened_page_leaves(pilot, tree)) == len(archive)


async def test_page_names_in_the_sidebar_are_not_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    # Textual reads a str label as markup: "[draft]" was a style tag and vanished.
    archive = pages(1, stem="[draft]")
    skipped = Page(Path("[b]bad.txt"), "[b]bad", error="[Errno 2] gone")
    monkeypatch.setattr(loading, "open_corpus", loader([*archive, skipped], 2))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(SourceTree)
        count = len(archive[0].articles)
        leaves = await opened_page_leaves(pilot, tree)
        assert leaves == [f"[draft] ({count})", "⚠ [b]bad: [Errno 2] gone"]


def test_tally_by_batches_counts_as_the_whole() -> None:
    archive = pages(12)
    archive.insert(5, Page(Path("x.txt"), "x", error="unreadable"))
    tally = facets.Tally()
    for start in range(0, len(archive), 5):
        tally.add_pages(archive[start : start + 5])
    whole = facets.groups(archive)
    assert tally.snapshot() == whole
    articles = [a for p in archive for a in p.articles]
    assert whole.total == len(articles)
    assert list(whole.sources) == facets.sources(articles)
    assert list(whole.regions) == facets.regions(articles)
    assert list(whole.pages) == facets.pages(articles)
    assert whole.skipped == (("x", "unreadable"),)


def test_warm_up_builds_the_converters_and_converts_nothing() -> None:
    before = convert.convert.cache_info(), convert.to_simplified.cache_info()
    convert.warm_up()
    assert (convert.convert.cache_info(), convert.to_simplified.cache_info()) == before
    assert {c for c in convert.CONFIGS.values() if c} <= set(convert._converters)


def test_ready_says_which_scripts_convert_without_building_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(convert, "_converters", {})
    assert convert.ready("original") and not convert.ready("traditional")
    convert.convert("就绪测试：社会工作", "traditional")  # built on first use (not cached)
    assert convert.ready("traditional") and not convert.ready("taiwan")
    convert.warm_up()
    assert all(convert.ready(s) for s in convert.SCRIPTS)
    with pytest.raises(ValueError):
        convert.ready("klingon")


async def test_loading_converts_only_what_is_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    # The list converts the rows it draws; converting every title into every script when
    # the load ended took 236 s at 100k articles, to fill a cache that keeps 65,536.
    archive = pages(200)
    titles = sum(len(p.articles) for p in archive)
    monkeypatch.setattr(loading, "open_corpus", loader(archive, 50))
    before = convert.convert.cache_info().misses
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(ArticleList).option_count == titles
    assert convert.convert.cache_info().misses - before < titles / 2
