"""A warm start loads the stored search index before it shows the whole corpus."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import Static

from swreader import strings
from swreader.app import make_app
from swreader.core.pages.corpus import Corpus, bundled_seeds
from swreader.core.search import persist
from swreader.core.search.persist import cached_index, stored_index
from swreader.core.text import convert
from swreader.screens import loading
from swreader.screens.search import SearchScreen
from swreader.widgets.article_list import ArticleList
from swreader.widgets.messages import CorpusLoaded, FiguresStored, IndexReady
from swreader.widgets.reader import ReaderView

from .pilot import screen, settle


def test_stored_index_loads_only_what_is_stored(corpus: Corpus) -> None:
    assert stored_index(corpus) is None  # an empty library: nothing to load, nothing built
    built = cached_index(corpus)
    again = stored_index(corpus)
    assert again is not None and again.key == built.key
    assert [h.article_id for h in again.search("社工")] == [
        h.article_id for h in built.search("社工")
    ]


async def test_a_warm_start_has_its_index_before_the_corpus_is_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with make_app().run_test() as pilot:  # the first start builds and stores it
        await settle(pilot)
    events: list[str] = []
    stored = loading.stored_index

    def spy_stored(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        index = stored(*args, **kwargs)  # type: ignore[arg-type]
        events.append("stored" if index is not None else "none")
        return index

    def spy_built(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        events.append("built")
        return persist.cached_index(*args, **kwargs)  # type: ignore[arg-type]

    def spy_shown(*args: object) -> CorpusLoaded:
        events.append("shown")
        return CorpusLoaded(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "stored_index", spy_stored)
    monkeypatch.setattr(loading, "cached_index", spy_built)
    monkeypatch.setattr(loading, "CorpusLoaded", spy_shown)
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert events == ["stored", "shown"]  # loaded first, and nothing built
        assert screen(app).index is not None
        assert screen(app).index.search("社工")


def test_the_work_after_search_answers_leaves_the_user_a_moment_first(
    monkeypatch: pytest.MonkeyPatch, corpus: Corpus
) -> None:
    verified: list[float] = []

    class Index:
        def verify(self, *, apart: bool = False) -> None:
            verified.append(time.monotonic())

    monkeypatch.setattr(loading, "QUIET_FROM", 1)  # the seeds count as a large archive
    monkeypatch.setattr(loading, "QUIET_S", 0.3)
    monkeypatch.setattr(loading, "keep_snapshot", lambda _: [])
    monkeypatch.setattr(loading, "cached_figures", lambda *_, **__: None)
    # Building the converters and loading pypinyin hold the GIL: they wait too.
    warmed: list[float] = []
    monkeypatch.setattr(loading, "warm_up", lambda **_: warmed.append(time.monotonic()))
    monkeypatch.setattr(loading, "known_syllables", lambda: warmed.append(time.monotonic()))
    posted: list[object] = []
    start = time.monotonic()
    loading.after_index(posted.append, corpus, Index(), threading.Event())  # type: ignore[arg-type]
    assert verified and verified[0] - start >= 0.3
    assert len(warmed) == 2 and min(warmed) - start >= 0.3
    assert any(isinstance(m, FiguresStored) for m in posted)
    # Quitting during the wait: nothing more is done.
    verified.clear()
    quitting = threading.Event()
    quitting.set()
    loading.after_index(posted.append, corpus, Index(), quitting)  # type: ignore[arg-type]
    assert verified == []
    # A small archive does not wait.
    monkeypatch.setattr(loading, "QUIET_FROM", 10**9)
    start = time.monotonic()
    loading.after_index(posted.append, corpus, Index(), threading.Event())  # type: ignore[arg-type]
    assert verified and verified[0] - start < 0.3


def test_the_converters_wait_for_the_user_to_pause(
    monkeypatch: pytest.MonkeyPatch, corpus: Corpus
) -> None:
    # Each converter is built in one call into OpenCC that keeps the GIL (0.2-0.3 s): built
    # while the user typed, it froze the screen. They wait for IDLE_S without input.
    class Index:
        def verify(self, *, apart: bool = False) -> None:
            pass

    monkeypatch.setattr(loading, "QUIET_FROM", 10**9)
    monkeypatch.setattr(loading, "IDLE_S", 0.3)
    monkeypatch.setattr(loading, "keep_snapshot", lambda _: [])
    monkeypatch.setattr(loading, "cached_figures", lambda *_, **__: None)
    monkeypatch.setattr(loading, "known_syllables", lambda: None)
    monkeypatch.setattr(convert, "_converters", {})
    built: list[tuple[str, float]] = []
    real = convert.build_converter

    def build(config: str) -> object:
        built.append((config, time.monotonic()))
        return real(config)

    monkeypatch.setattr(convert, "build_converter", build)
    typing_until = time.monotonic() + 0.6  # the user types for 0.6 s: no build meanwhile

    def idle() -> float:
        now = time.monotonic()
        return now - min(now, typing_until)

    posted: list[object] = []
    loading.after_index(posted.append, corpus, Index(), threading.Event(), idle=idle)  # type: ignore[arg-type]
    assert any(isinstance(m, FiguresStored) for m in posted)  # the rest did not wait
    assert {c for c, _ in built} == {c for c in convert.CONFIGS.values() if c}
    assert min(t for _, t in built) >= typing_until + 0.3
    # Quitting while the user types: nothing is built, and the wait ends at once.
    monkeypatch.setattr(convert, "_converters", {})
    built.clear()
    quitting = threading.Event()
    threading.Timer(0.2, quitting.set).start()
    start = time.monotonic()
    loading.after_index(posted.append, corpus, Index(), quitting, idle=lambda: 0.0)  # type: ignore[arg-type]
    assert built == [] and time.monotonic() - start < 2


def test_warm_up_stops_when_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "_converters", {})
    asked: list[str] = []

    def when() -> bool:
        asked.append("asked")
        return len(asked) < 2  # the first converter, then stop

    convert.warm_up(when=when)
    assert len(convert._converters) == 1 and len(asked) == 2


async def test_the_app_knows_how_long_the_user_has_left_the_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.idle_s() == float("inf")  # headless: nobody to wait for
        monkeypatch.setattr(type(app), "is_headless", property(lambda _: False))
        await pilot.pause(0.3)
        assert app.idle_s() >= 0.3
        await pilot.press("j")
        assert app.idle_s() < 0.3
        assert screen(app).idle == app.idle_s  # the loader asks the app's clock


async def test_the_box_opens_while_the_index_loads_and_answers_when_it_comes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with make_app().run_test() as pilot:  # the first start stores the index
        await settle(pilot)
    release = threading.Event()
    stored = loading.stored_index

    def held(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        release.wait(30)  # the index is slow to come: the user is already typing
        return stored(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "stored_index", held)
    app = make_app(ui="zh-Hans")
    async with app.run_test() as pilot:
        for _ in range(100):  # every page shown, the index not yet there
            await pilot.pause(0.02)
            if screen(app).corpus.articles:
                break
        main = screen(app)
        assert main.index is None
        await pilot.press("slash")
        box = app.screen
        assert isinstance(box, SearchScreen), "`/` opens the box at once"
        count = box.query_one("#search-count", Static)
        assert strings.text("search.waiting", "zh-Hans") in str(count.render())
        await pilot.press(*"社工站")
        await pilot.pause(0.1)
        assert box.hits == [] and box.index is None
        assert strings.text("search.waiting", "zh-Hans") in str(count.render())
        release.set()
        for _ in range(200):
            await pilot.pause(0.02)
            if box.hits:
                break
        assert box.index is main.index is not None
        assert box.hits and box.hits == box.index.search("社工站", limit=200)
        assert str(count.render()) == strings.text("search.count", "zh-Hans", n=len(box.hits))
        await pilot.press("enter")
        await settle(pilot)
        assert main.hits and app.screen is main


async def test_a_stored_index_answers_before_the_whole_corpus_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with make_app().run_test() as pilot:
        await settle(pilot)
    order: list[str] = []
    monkeypatch.setattr(
        loading, "IndexReady", lambda index: order.append("index") or IndexReady(index)
    )
    monkeypatch.setattr(
        loading, "CorpusLoaded", lambda *a: order.append("corpus") or CorpusLoaded(*a)
    )
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert order == ["index", "corpus"]  # every page was already on screen
        assert screen(app).index is not None and screen(app).corpus.articles


async def test_the_snapshot_shown_first_gives_way_to_the_changed_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(bundled_seeds(), archive)
    async with make_app([archive]).run_test() as pilot:  # stores the pages and their snapshot
        await settle(pilot)
    changed = sorted(archive.glob("*.txt"))[0]
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("长春", "长春市", 1), encoding="utf-8"
    )
    walk = threading.Event()
    quiet = loading._quiet
    monkeypatch.setattr(loading, "_quiet", lambda c, e: walk.wait(30) and quiet(c, e))
    app = make_app([archive])
    async with app.run_test() as pilot:
        main = screen(app)
        for _ in range(200):  # the snapshot shown, its index answering, the walk held
            await pilot.pause(0.02)
            if main.index is not None and main._settled:
                break
        early_index = main.index
        assert early_index is not None and not any("长春市" in a.title for a in main.articles)
        # The user moves on while the files are checked: to the last article of the list.
        listing = main.query_one(ArticleList)
        listing.focus()
        listing.highlighted = len(listing._articles) - 1
        chosen = listing._articles[-1].id
        await pilot.press("enter")
        await pilot.pause(0.2)
        walk.set()
        await settle(pilot)
        assert any("长春市" in a.title for a in main.articles)  # read anew, shown
        assert main.index is not early_index and main.index is not None
        assert main.index.search("长春市")  # the new pages' index answers
        reader = main.query_one(ReaderView)
        assert reader.article is not None and reader.article.id == chosen  # left alone


async def test_an_index_that_comes_as_the_box_opens_is_searched_with() -> None:
    """The index can reach the box before the box is composed (a warm start's `/`)."""
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        main = screen(app)
        index = main.index
        assert index is not None
        main.index = None  # the box opens while the index loads...
        main.action_search()
        main.index = index
        main._offer_index()  # ...which comes in the same moment: the box has no widgets yet
        await pilot.pause()
        box = app.screen
        assert isinstance(box, SearchScreen) and box.index is index
        await pilot.press(*"社工")
        await settle(pilot)
        every = {hit.article_id for hit in index.search("社工", limit=None)}
        assert box.hits and {hit.article_id for hit in box.hits} <= every
        await pilot.press("escape")
        main._offer_index()  # and as it closes: nothing to search any more
        await settle(pilot)
        assert app.screen is main


@pytest.mark.parametrize("bar_every", [0.0, float("inf")])
async def test_a_warm_start_draws_its_snapshots_first_part_then_the_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bar_every: float
) -> None:
    """Drawing every part of a snapshot took the GIL from the loader, and the index waited."""
    from swreader.core.pages.corpus import Page
    from swreader.core.pages.facets import Groups, Tally
    from swreader.core.store import heads
    from swreader.screens.main import MainScreen
    from swreader.widgets.messages import PagesParsed

    monkeypatch.setattr(heads, "FIRST", 1)  # a snapshot in parts of one page
    monkeypatch.setattr(heads, "PART", 1)
    # The bar moves for a part at most every BAR_EVERY_S (each move repaints the screen).
    monkeypatch.setattr(loading, "BAR_EVERY_S", bar_every)
    archive = tmp_path / "archive"
    shutil.copytree(bundled_seeds(), archive)
    async with make_app([archive]).run_test() as pilot:  # the library, then its snapshot
        await settle(pilot)
    total = len(list(archive.iterdir()))
    assert total > 2
    posted: list[tuple[int, bool]] = []
    drawn: list[int] = []

    def spy_parsed(*args: object, **kwargs: object) -> PagesParsed:
        message = PagesParsed(*args, **kwargs)  # type: ignore[arg-type]
        # Counted (to be drawn) or not (the loader sorted the counts for every part before).
        posted.append((len(message.pages), message.groups is not None))
        return message

    show = MainScreen._show_corpus

    def spy_show(self: MainScreen, groups: object) -> None:
        drawn.append(len(self.corpus.pages))
        show(self, groups)  # type: ignore[arg-type]

    events: list[object] = []
    loaded: list[Groups] = []
    add_pages, ready, corpus_loaded = Tally.add_pages, loading.IndexReady, loading.CorpusLoaded

    def spy_tally(self: Tally, pages: list[Page]) -> Tally:
        events.append(("tally", len(pages)))
        return add_pages(self, pages)

    def spy_ready(index: object) -> object:
        events.append("index")
        return ready(index)  # type: ignore[arg-type]

    def spy_loaded(corpus: object, notices: object, groups: Groups) -> object:
        loaded.append(groups)
        return corpus_loaded(corpus, notices, groups)  # type: ignore[arg-type]

    monkeypatch.setattr(Tally, "add_pages", spy_tally)
    monkeypatch.setattr(loading, "IndexReady", spy_ready)
    monkeypatch.setattr(loading, "CorpusLoaded", spy_loaded)
    monkeypatch.setattr(loading, "PagesParsed", spy_parsed)
    monkeypatch.setattr(MainScreen, "_show_corpus", spy_show)
    app = make_app([archive])
    async with app.run_test() as pilot:
        await settle(pilot)
        # The first part drawn at once, the others only counted (the bar), then handed
        # over in one go before the index, and drawn with the whole corpus.
        assert posted[0] == (1, True), posted
        moves = total - 1 if bar_every == 0 else 0
        assert posted[1:-1] == [(0, False)] * moves, posted
        assert posted[-1] == (total - 1, False)
        assert drawn == [1, total]
        main = screen(app)
        assert len(main.corpus.pages) == total and len(main.by_id) == len(main.corpus.articles)
        assert main.index is not None and main.index.search("社工")
        # The sidebar counts every article, though the late parts were counted only after
        # the index was posted (0.4 s at 100k before search could answer).
        assert events.index("index") < events.index(("tally", total - 1)), events
        assert loaded and loaded[-1].total == len(main.corpus.articles)
