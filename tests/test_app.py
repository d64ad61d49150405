"""The reader, driven the way a person uses it: keys and clicks through Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette

from swreader.app import make_app
from swreader.core.store.userstate import StateStore
from swreader.core.text.convert import convert
from swreader.core.text.wrap import NO_START
from swreader.screens import commands
from swreader.screens.help import HelpScreen
from swreader.screens.main import MainScreen
from swreader.screens.page import PageScreen
from swreader.widgets.article_list import ArticleList
from swreader.widgets.figures import FiguresPanel
from swreader.widgets.reader import ReaderView
from swreader.widgets.sidebar import SourceTree
from swreader.widgets.statusbar import StatusBar

from .pilot import (
    assert_in_view,
    footer_label,
    open_title,
    own_reporting_node,
    screen,
    settle,
    without_locale,
)


@pytest.fixture(autouse=True)
def _simplified_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    """No locale: the interface speaks 简体, whatever the machine's LANG."""
    without_locale(monkeypatch)


async def test_loads_seeds_and_shows_script_and_filter() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(screen(app).corpus.articles) == 15
        status = app.screen.query_one(StatusBar)
        assert "原文" in str(status.render()) and "全部" in str(status.render())
        assert len(app.screen.query_one(ArticleList)._articles) == 15


async def test_first_launch_opens_the_first_article() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listing = app.screen.query_one(ArticleList)
        reader = app.screen.query_one(ReaderView)
        assert reader.article is not None and reader.article.id == listing._articles[0].id
        assert reader.paragraph_views() and not app.screen.query("#reader-empty")
        assert listing.has_focus and listing.highlighted == 0


async def test_sidebar_filters_the_list() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(SourceTree)
        own = own_reporting_node(tree)
        assert str(own.label) == "本报 (3)"
        tree.select_node(own)
        await settle(pilot)
        listed = app.screen.query_one(ArticleList)._articles
        assert len(listed) == 3 and all(a.own_reporting for a in listed)
        assert "来源: 本报" in str(app.screen.query_one(StatusBar).render())
        henan = next(n for n in tree.root.children[2].children if str(n.label).startswith("河南"))
        xuchang = next(n for n in henan.children if str(n.label).startswith("许昌"))
        tree.select_node(xuchang)
        await settle(pilot)
        assert [a.city for a in app.screen.query_one(ArticleList)._articles] == ["许昌"]


async def test_sidebar_can_be_hidden() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one(ArticleList).focus()
        await pilot.press("s")
        assert not app.screen.query_one(SourceTree).display
        await pilot.press("s")
        assert app.screen.query_one(SourceTree).display


async def test_enter_opens_article_and_marks_it_read() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await open_title(pilot, "许昌市社会工作行业协会成立")
        assert len(reader.paragraph_views()) == len(reader.article.paragraphs)
        assert app.store.is_read(reader.article.id)


async def test_script_toggle_converts_everything_and_keeps_position() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await open_title(pilot, "西藏拉萨")
        reader.scroll_to_anchor(8, 0)
        await pilot.pause()
        before = reader.position()
        assert before is not None and before[0] == 8
        assert footer_label(app, "t") == "繁體"  # a simplified page: from 原文, to 繁體
        await pilot.press("t")  # original → 繁體 (the page's other script), at once
        await settle(pilot)
        assert screen(app).script == "traditional"
        assert reader.shown is not None and reader.shown.title == "西藏拉薩:全力打造社工服務品牌"
        assert reader.position()[0] == 8
        listing = app.screen.query_one(ArticleList)
        titles = [listing.row_text(n) for n in range(listing.option_count)]
        assert any("許昌市社會工作行業協會成立" in t for t in titles)
        assert any("潮新聞客戶端" in t for t in titles)  # data in the list converts
        tree = app.screen.query_one(SourceTree)
        sources = [str(n.label) for n in tree.root.children[1].children]
        assert "潮新聞客戶端 (1)" in sources  # data in the sidebar converts
        assert str(tree.root.children[2].label).startswith("地区")  # the interface's: 简体
        assert "繁體" in str(app.screen.query_one(StatusBar).render())
        assert footer_label(app, "t") == "简体"
        await pilot.press("t")  # 繁體 → 简体
        await settle(pilot)
        assert screen(app).script == "simplified" and reader.position()[0] == 8
        assert reader.shown.title == "西藏拉萨:全力打造社工服务品牌"
        assert footer_label(app, "t") == "繁體"
        await pilot.press("t")  # 简体 → 繁體: a toggle, not a cycle
        await settle(pilot)
        assert screen(app).script == "traditional" and reader.position()[0] == 8


async def test_t_from_the_original_of_a_traditional_page_goes_to_simplified() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await open_title(pilot, "雄安新區")
        assert screen(app).script == "original"
        assert footer_label(app, "t") == "简体"
        await pilot.press("t")
        await settle(pilot)
        assert screen(app).script == "simplified"
        assert reader.shown.title.startswith("雄安新区:持续推进")
        assert footer_label(app, "t") == "繁體"


async def test_palette_choice_sets_script_directly() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = [c for c in app.get_system_commands(app.screen) if "台灣" in c.title]
        assert len(commands) == 1
        commands[0].callback()
        await settle(pilot)
        assert screen(app).script == "taiwan"
        assert app.store.get_setting("preferred_traditional") == "taiwan"
        assert footer_label(app, "t") == "简体"
        await pilot.press("t")
        await settle(pilot)
        assert screen(app).script == "simplified"
        assert footer_label(app, "t") == "台灣"  # the chosen form is the one t goes back to
        await pilot.press("t")
        await settle(pilot)
        assert screen(app).script == "taiwan"


async def test_shift_t_chooses_any_script_and_the_form_is_remembered() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"香港")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and screen(app).script == "hongkong"
        await pilot.press("T")
        await settle(pilot)
        await pilot.press(*"原文", "enter")
        await settle(pilot)
        assert screen(app).script == "original"
        await pilot.press("q")
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert footer_label(again, "t") == "香港"  # a simplified first article: to 香港
        await pilot.press("t")
        await settle(pilot)
        assert screen(again).script == "hongkong"


async def test_figures_are_highlighted_listed_and_jumped_to() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await open_title(pilot, "许昌市社会工作行业协会成立")
        assert reader.shown is not None and reader.shown.figures
        first = reader.shown.figure_text(0)
        await pilot.press("right_square_bracket")
        assert reader.figure_index == 0
        await pilot.press("right_square_bracket")
        assert reader.figure_index == 1
        await pilot.press("left_square_bracket")
        assert reader.figure_index == 0
        n, span = reader.shown.figures[0]
        assert reader.paragraph_views()[n].current == (span.start, span.end)
        assert first == "80余人"
        await pilot.press("f")
        panel = app.screen.query_one(FiguresPanel)
        assert panel.display and panel.option_count == len(reader.shown.figures)
        last = panel.option_count - 1
        panel.highlighted = last
        await pilot.press("enter")
        await pilot.pause()
        assert reader.figure_index == last
        n, span = reader.shown.figures[last]
        assert_in_view(reader, reader.paragraph_views()[n], span.start)


async def test_rendered_lines_never_start_with_closing_punctuation() -> None:
    app = make_app()
    async with app.run_test(size=(64, 30)) as pilot:
        await settle(pilot)
        reader = await open_title(pilot, "吉林省民政事业发展")
        for view in reader.paragraph_views():
            for line in str(view.render()).split("\n")[1:]:
                assert line[:1] not in NO_START, line


async def test_bookmark_and_relaunch_restore(isolated_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await open_title(pilot, "西藏拉萨")
        article_id = reader.article.id
        reader.scroll_to_anchor(6, 0)
        await pilot.pause()
        await pilot.press("m")
        assert app.store.is_bookmarked(article_id)
        await pilot.press("q")
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = again.screen.query_one(ReaderView)
        assert reader.article is not None and reader.article.id == article_id
        assert reader.position()[0] == 6
        tree = again.screen.query_one(SourceTree)
        assert str(tree.root.children[-1].label) == "书签 (1)"
        tree.select_node(tree.root.children[-1])
        await settle(pilot)
        assert [a.id for a in again.screen.query_one(ArticleList)._articles] == [article_id]
        reader.scroll_to_anchor(0, 0)
        again.screen.query_one(ArticleList).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert reader.position()[0] == 6  # opened from the bookmarks: at the marked paragraph


async def test_script_choice_persists(isolated_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")  # original → 繁體 (the first article is simplified)
        await settle(pilot)
        await pilot.press("q")
    assert StateStore().get_setting("script") == "traditional"
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert screen(again).script == "traditional"


async def test_theme_persists() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_corrupt_state_never_stops_the_app(isolated_home: Path) -> None:
    (isolated_home / "state.db").write_bytes(b"this is not a database" * 100)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(screen(app).corpus.articles) == 15
        assert app.store.notices
        assert any("corrupt" in n.message.lower() for n in app._notifications)
        await open_title(pilot, "许昌")


async def test_help_and_page_text_screens() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await open_title(pilot, "雄安新區")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PageScreen)
        assert "版面導(dǎo)航" in app.screen.query_one("#page-text").text  # untouched
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_mouse_click_opens_an_article() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        second = app.screen.query_one(ArticleList)._articles[1]
        await pilot.click(ArticleList, offset=(4, 2))
        await pilot.click(ArticleList, offset=(4, 2))
        await settle(pilot)
        assert app.screen.query_one(ReaderView).article.id == second.id


async def test_small_terminals_do_not_crash() -> None:
    for size in [(80, 24), (60, 16), (40, 12)]:
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("enter", "t", "j", "space", "b", "G", "g", "right_square_bracket")
            await pilot.press("f", "s", "tab", "t")
            await settle(pilot)
            assert app.is_running


async def test_skipped_pages_are_named(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    seed = Path(__file__).parents[1] / "seeds" / "001_15155fc0929d2e77.txt"
    (tmp_path / "good.txt").write_bytes(seed.read_bytes())
    app = make_app([tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(screen(app).corpus.articles) == 3
        assert any("empty.txt" in n.message for n in app._notifications)


async def test_a_page_without_articles_stays_viewable(tmp_path: Path) -> None:
    chrome = "首頁 | 版面導航 | 標題導航\n第01版:頭版\n第02版:新聞\n"
    (tmp_path / "chrome.txt").write_text(chrome, encoding="utf-8")
    seed = Path(__file__).parents[1] / "seeds" / "001_15155fc0929d2e77.txt"
    (tmp_path / "good.txt").write_bytes(seed.read_bytes())
    app = make_app([tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(SourceTree)
        pages = next(n for n in tree.root.children if str(n.label).startswith("页面"))
        assert not pages.children  # made when the branch is first opened
        pages.expand()
        await settle(pilot)
        flagged = next(n for n in pages.children if str(n.label).startswith("⚠ chrome"))
        assert "chrome" in str(flagged.label)
        tree.select_node(flagged)
        await settle(pilot)
        assert isinstance(app.screen, PageScreen)
        assert app.screen.query_one("#page-text").text == chrome


def test_convert_helper_for_labels() -> None:
    assert convert("地区", "traditional") == "地區"


async def test_every_main_key_is_also_a_palette_command() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for binding in MainScreen.BINDINGS:
            assert commands.long_label(binding, "zh-Hans") in titles
        sidebar = next(c for c in app.get_system_commands(app.screen) if c.title == "侧栏")
        await sidebar.callback()
        assert not app.screen.query_one(SourceTree).display


async def test_page_file_names_are_never_converted(tmp_path: Path) -> None:
    # A page named in simplified script keeps its file name in every script, while the
    # branch above it is said in the interface language (頁面 in 繁體).
    from .conftest import SEEDS

    seed = sorted(SEEDS.glob("*.txt"))[0]
    page = tmp_path / "社会工作简报.txt"
    page.write_bytes(seed.read_bytes())
    app = make_app([page], ui="zh-Hant")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")  # original → 繁體
        await settle(pilot)
        assert screen(app).script == "traditional"
        await settle(pilot)
        tree = app.screen.query_one(SourceTree)
        pages = next(n for n in tree.root.children if str(n.label).startswith("頁面"))
        pages.expand()
        await settle(pilot)
        assert [str(n.label).split(" (")[0] for n in pages.children] == ["社会工作简报"]
