"""Search in the app: the box, Enter landing on the paragraph, n/N across articles."""

from __future__ import annotations

import pytest

from swreader.app import make_app
from swreader.screens.commands import ArticleCommands
from swreader.screens.main import MainScreen
from swreader.screens.search import SearchScreen
from swreader.widgets.reader import ReaderView
from swreader.widgets.sidebar import SourceTree
from swreader.widgets.statusbar import StatusBar

from .pilot import (
    assert_in_view,
    footer_label,
    own_reporting_node,
    screen,
    search,
    settle,
    without_locale,
)


@pytest.fixture(autouse=True)
def _simplified_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    """No locale: the interface speaks 简体, whatever the machine's LANG."""
    without_locale(monkeypatch)


async def test_typing_updates_results_and_enter_lands_on_the_paragraph() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = await search(pilot, "50818人")
        assert box.hits, "results appear while typing"
        first = box.hits[0]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        reader = app.screen.query_one(ReaderView)
        assert reader.article is not None and reader.article.id == first.article_id
        assert "新乡" in reader.article.title
        view = reader.paragraph_views()[first.paragraph]
        assert first.paragraph >= 0 and "50818人" in view.paragraph.text
        marked = [s for s in view.paragraph.spans if s.kind == "match"]
        assert marked and view.paragraph.text[marked[0].start : marked[0].end] == "50818人"
        assert_in_view(reader, view, marked[0].start)


async def test_traditional_query_finds_simplified_text_in_the_app() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = await search(pilot, "臨滄")
        assert any("临沧" in box.index.article(h.article_id).title for h in box.hits[:1])


async def test_n_and_shift_n_cross_articles_in_rank_order() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = await search(pilot, "社工站")
        hits = list(box.hits)
        assert len({h.article_id for h in hits}) >= 3
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one(ReaderView)
        seen = [reader.article.id]
        for _ in range(len(hits) - 1):
            await pilot.press("n")
            await settle(pilot)
            seen.append(reader.article.id)
        assert seen == [h.article_id for h in hits]
        await pilot.press("N")
        await settle(pilot)
        assert reader.article.id == hits[-2].article_id
        assert app.screen.hit_index == len(hits) - 2


async def test_the_status_bar_says_which_match_until_the_search_is_left() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = await search(pilot, "社工站")
        total = len(box.hits)
        await pilot.press("enter")
        await settle(pilot)
        status = app.screen.query_one(StatusBar)
        # Said after the article has rendered (its figure count used to overwrite it).
        assert f"匹配 1/{total} “社工站”" in str(status.render())
        assert footer_label(app, "escape") == "结束搜索"
        await pilot.press("n")
        await settle(pilot)
        assert f"匹配 2/{total} “社工站”" in str(status.render())
        app.screen.query_one(ReaderView).focus()
        await pilot.press("escape")  # leaving the search, in the reader
        await settle(pilot)
        assert "匹配" not in str(status.render()) and not app.screen.hits
        assert not any(k == "escape" for k in app.screen.active_bindings)
        await pilot.press("n")
        await pilot.pause()
        assert any("还没有搜索" in n.message for n in app._notifications)
        await search(pilot, "社工站")
        await pilot.press("enter")
        await settle(pilot)
        assert "匹配 1/" in str(status.render())
        tree = app.screen.query_one(SourceTree)
        tree.select_node(own_reporting_node(tree))  # a new filter leaves the search too
        await settle(pilot)
        assert "匹配" not in str(status.render()) and "来源: 本报" in str(status.render())


async def test_escape_closes_and_recent_queries_are_remembered() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "许昌")
        await pilot.press("enter")
        await settle(pilot)
        assert app.store.recent_queries()[0] == "许昌"
        await pilot.press("slash")
        box = app.screen
        assert isinstance(box, SearchScreen)
        box.query_one("#search-input").value = ""
        await settle(pilot)
        assert box.showing_recent and box.query_one("#search-results").option_count >= 1
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_search_within_the_sidebar_selection() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(SourceTree)
        tree.select_node(own_reporting_node(tree))
        await settle(pilot)
        box = await search(pilot, "社会工作")
        everywhere = {h.article_id for h in box.hits}
        await pilot.press("ctrl+t")
        await settle(pilot)
        within = {h.article_id for h in box.hits}
        assert within and within < everywhere
        assert all(box.index.article(i).own_reporting for i in within)


async def test_within_the_whole_archive_lists_no_ids() -> None:
    # Under 全部 "within" keeps everything: listing every id as `/` opened the box took the
    # UI thread 0.6 s at 100k, and each keystroke then made a set of them.
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = await search(pilot, "社会工作")
        assert box.selection_ids is None
        everywhere = [h.article_id for h in box.hits]
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert [h.article_id for h in box.hits] == everywhere and everywhere
        await pilot.press("escape")
        tree = app.screen.query_one(SourceTree)
        tree.select_node(own_reporting_node(tree))
        await settle(pilot)
        own = {a.id for a in screen(app).corpus.articles if a.own_reporting}
        box = await search(pilot, "社会工作")
        assert own and box.selection_ids == own


async def test_palette_provider_jumps_to_an_article_by_fuzzy_title() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        provider = ArticleCommands(app.screen)
        hits = [hit async for hit in provider.search("许昌协会")]
        assert hits
        best = max(hits, key=lambda h: h.score)
        best.command()
        await settle(pilot)
        assert "许昌" in app.screen.query_one(ReaderView).article.title


async def test_the_results_lines_are_made_off_the_ui_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each line reads its snippet from the library: a page of them froze the typing."""
    import threading

    made_in: set[str] = set()
    prompt = SearchScreen._prompt

    def spy(self: SearchScreen, index, hit):  # type: ignore[no-untyped-def]
        made_in.add(threading.current_thread().name)
        return prompt(self, index, hit)

    monkeypatch.setattr(SearchScreen, "_prompt", spy)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = await search(pilot, "社工")
        shown = box.query_one("#search-results").option_count
        assert box.hits and shown == len(box.hits)
        assert made_in and threading.main_thread().name not in made_in
