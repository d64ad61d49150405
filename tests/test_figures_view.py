"""The figures view (`F`) and its chart, driven with Pilot over the seeds.

The view is opened through :class:`~swreader.screens.figures_actions.FiguresActions` mixed
into a small host screen that records the articles it is asked to open; at the end, into
the main screen, as the app will have it.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.app import App
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

import swreader
from swreader import strings
from swreader.app import SwreaderApp
from swreader.core.pages.corpus import Corpus, bundled_seeds, load_corpus
from swreader.core.pages.facets import Filter
from swreader.core.pages.figtable import FigureRow
from swreader.core.store.figurepages import FigureQuery, MemorySource, StoreSource
from swreader.core.store.figurestore import FigureStore, cached_figures
from swreader.core.store.userstate import StateStore
from swreader.screens import commands, figures_table, figures_view
from swreader.screens import figures_actions as figures_view_actions
from swreader.screens.figures_actions import FiguresActions, selection_rows
from swreader.screens.figures_view import COLUMNS, ChartScreen, FigureRowChosen, FiguresScreen
from swreader.screens.language import LanguageActions
from swreader.screens.main import MainScreen
from swreader.screens.testing import settle
from swreader.widgets.figure_chart import FigureChart, WidePlot, chart_data, fit_wide, format_value
from swreader.widgets.messages import Noticed
from swreader.widgets.reader import ReaderView

from .pilot import footer_label, without_locale

SEEDS: Corpus = load_corpus([bundled_seeds()])


@pytest.fixture(autouse=True)
def _simplified_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    without_locale(monkeypatch)


class Host(FiguresActions, LanguageActions, Screen[None]):
    """What the figures view needs of the main screen, and a record of what it asked."""

    script: reactive[str] = reactive("simplified")
    ui: reactive[str] = reactive("zh-Hans")
    selection: reactive[Filter] = reactive(Filter)

    def __init__(self, script: str = "simplified") -> None:
        super().__init__()
        self.corpus = SEEDS
        self.preferred, self.page_script = "traditional", "unknown"
        self.set_reactive(Host.script, script)
        self.opened: list[tuple[str, object, object]] = []
        self.chosen: list[FigureRowChosen] = []

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("host")

    def _bookmarked(self) -> set[str]:
        return set()

    def open_article(self, article_id: str, anchor: object = None, matches: object = None) -> None:
        self.opened.append((article_id, anchor, matches))

    def on_figure_row_chosen(self, message: FigureRowChosen) -> None:
        # Textual runs the mixin's handler too (each class's in the MRO): this only records.
        self.chosen.append(message)


class FiguresHost(App[None]):
    """An app whose only screen is the host, with the app's stylesheet."""

    CSS_PATH = str(Path(swreader.__file__).parent / "swreader.tcss")

    def __init__(self, script: str = "simplified") -> None:
        super().__init__()
        self.script = script

    def get_default_screen(self) -> Screen:
        return Host(self.script)


async def open_view(pilot: Pilot) -> FiguresScreen:
    """Press what `F` runs on the host, and wait for the table."""
    pilot.app.screen.action_figures_view()  # type: ignore[attr-defined]
    await settle(pilot)
    view = pilot.app.screen
    assert isinstance(view, FiguresScreen)
    return view


def shown(view: FiguresScreen) -> list[FigureRow]:
    """The rows in the table, in its order."""
    assert view.rows is not None
    assert view.query_one(DataTable).row_count == len(view.rows)
    return view.rows


def cell(view: FiguresScreen, row: int, column: str) -> str:
    """The text of a cell of the table."""
    value = view.query_one(DataTable).get_cell_at(Coordinate(row, COLUMNS.index(column)))
    return value.plain if isinstance(value, Text) else str(value)


async def set_filter(pilot: Pilot, view: FiguresScreen, text: str) -> None:
    view.query_one(Input).value = text
    await settle(pilot)


# -- opening, filtering, sorting ----------------------------------------------------------
async def test_the_view_lists_every_figure_of_the_selection() -> None:
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        started = time.perf_counter()
        view = await open_view(pilot)
        took = time.perf_counter() - started
        print(f"\nthe figures view opened over the seeds in {took:.3f} s (Pilot settling included)")
        every = selection_rows(SEEDS.articles, Filter())
        assert len(view.rows or []) == len(every) == 118
        table = view.query_one(DataTable)
        assert table.row_count == 118 and table.has_focus
        assert [str(c.label) for c in table.ordered_columns] == [
            "数字", "数值", "类别", "对象", "地区", "日期", "文章"
        ]  # fmt: skip
        info = str(view.query_one("#figview-info", Static).render())
        assert "数字 118/118" in info and "全部" in info and "原文顺序" in info
        # The footer tells how to filter, sort and chart.
        assert footer_label(app, "slash") == "筛选" and footer_label(app, "s") == "排序"
        assert footer_label(app, "c") == "图表"


def test_the_filter_line_names_subject_kind_and_region() -> None:
    parse = figures_view.parse_filter
    assert parse("社工站 类别:数量 地区:河南") == ("社工站", "count", "河南")
    assert parse("subject:社工站 kind:money region：新鄉") == ("社工站", "money", "新鄉")
    assert parse("類別:金額 持证社工") == ("持证社工", "money", None)
    assert parse("") == parse("colour:red") == (None, None, None)  # unknown names are ignored


async def test_filtering_shrinks_the_table_to_subject_kind_and_region() -> None:
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_view(pilot)
        await set_filter(pilot, view, "社工站")
        assert sorted(r.value or 0 for r in shown(view)) == [35, 106, 118]
        assert view.query_one(DataTable).row_count == 3
        await set_filter(pilot, view, "类别:金额")
        money = shown(view)
        assert money and all(r.kind == "money" for r in money) and len(money) < 118
        await set_filter(pilot, view, "地區:河南")  # in the other script
        assert {r.province for r in shown(view)} == {"河南"}
        await set_filter(pilot, view, "社工站 kind:count region:新乡")
        assert [(r.city, r.value) for r in shown(view)] == [("新乡", 118)]
        info = str(view.query_one("#figview-info", Static).render())
        assert "数字 1/118" in info


async def test_sorting_is_numeric_with_empty_values_last() -> None:
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_view(pilot)
        reading = shown(view)
        await pilot.press("s")  # the first sort is by value
        await settle(pilot)
        assert view.state.column == 1 and not view.state.reverse
        values = [r.value for r in shown(view)]
        numbers = [v for v in values if v is not None]
        assert numbers == sorted(numbers) and set(values[len(numbers) :]) == {None}
        assert numbers.index(353) < numbers.index(1200)  # as numbers, not as text
        assert "按数值排序 ▲" in str(view.query_one("#figview-info", Static).render())
        await pilot.press("S")
        await settle(pilot)
        values = [r.value for r in shown(view)]
        assert values[0] == 7_000_000 and values[-1] is None  # empty still last
        assert str(view.query_one(DataTable).ordered_columns[1].label) == "数值 ▼"
        for _ in range(7):  # through the other six columns, back to reading order
            await pilot.press("s")
        await settle(pilot)
        assert view.state.column is None and shown(view) == reading


async def test_a_click_on_a_header_sorts_by_it_and_again_reverses() -> None:
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_view(pilot)
        table = view.query_one(DataTable)
        x = sum(c.get_render_width(table) for c in table.ordered_columns[:5]) + 2
        await pilot.click(DataTable, offset=(x, 0))  # the date column's header
        await settle(pilot)
        assert view.state.column == 5
        dates = [r.date for r in shown(view)]
        assert dates[0] == "2023-10-24" and dates[-1] is None
        await pilot.click(DataTable, offset=(x, 0))
        await settle(pilot)
        assert view.state == figures_view.TableState(column=5, reverse=True, script="simplified")


def test_pages_of_rows_in_memory_count_what_matched() -> None:
    one = selection_rows(SEEDS.articles, Filter())
    many = [dataclasses.replace(r, article_id=f"{r.article_id}-{n}") for n in range(6) for r in one]
    source = MemorySource(lambda: many)
    state = figures_view.TableState(column=1, reverse=True)
    assert figures_table.counts(source, state) == (708, 708)
    rows, cells = figures_table.next_page(source, state, "en", 0)
    assert len(rows) == len(cells) == figures_table.PAGE
    assert rows[0].value == 7_000_000 and cells[0][2].plain == "money"
    rest, _ = figures_table.next_page(source, state, "en", 600)
    assert len(rest) == 108 and rest[-1].value is None  # the last page, empty values last
    counted = figures_table.counts(source, dataclasses.replace(state, query="kind:money"))
    assert counted == (sum(r.kind == "money" for r in many), 708)


def test_values_are_written_with_their_approximation() -> None:
    rows = {r.text: r for r in selection_rows(SEEDS.articles, Filter())}
    assert format_value(rows["近700萬元"]) == "≈7,000,000 元"
    assert format_value(rows["300 余个"]) == "≥300 个"
    assert format_value(rows["35個"], "traditional") == "35 個"
    assert format_value(rows["0-6岁"]) == "0–6 岁"
    assert format_value(rows["70%"]) == "70%"
    assert format_value(rows["2023 年"]) == "2023 年"  # a year, not 2,023
    assert format_value(rows["8月3日"]) == ""


def test_columns_fit_their_first_page_within_bounds() -> None:
    rows = selection_rows(SEEDS.articles, Filter())
    cells = [figures_table.cells_of(r, "simplified", "zh-Hans") for r in rows]
    headers = [strings.text(f"figcol.{key}", "zh-Hans") for key in COLUMNS]
    widths = dict(zip(COLUMNS, figures_table.column_widths(headers, cells), strict=True))
    for key, width in figures_table.WIDTHS.items():
        assert widths[key] == width
    n = COLUMNS.index("value")
    assert widths["value"] == max(c[n].cell_len for c in cells)  # the widest value
    # No cells: the header's width; a long title: up to its bound, no further.
    assert figures_table.column_widths(headers, [])[n] == cell_len(headers[n])
    long = dataclasses.replace(rows[0], title="社会工作" * 40)
    title = figures_table.column_widths(headers, [figures_table.cells_of(long, "original", "en")])
    assert title[COLUMNS.index("title")] == figures_table.MOST["title"]


async def test_column_widths_are_set_with_the_rows_not_when_the_table_is_next_idle() -> None:
    """A frame drawn right after the rows came shows them at their widths (not the headers')."""
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_view(pilot)
        table = view.query_one(DataTable)
        # Not measured by the table when idle (``auto_width``) but given with the rows.
        assert not any(column.auto_width for column in table.ordered_columns)
        value = table.ordered_columns[COLUMNS.index("value")]
        widest = max(cell_len(cell(view, n, "value")) for n in range(table.row_count))
        assert value.width == widest > cell_len(str(value.label))


# -- paging through the figure store -------------------------------------------------------
SIG = "seeds"


class PagedApp(App[FigureRowChosen | None]):
    """An app showing the figures view over a source, a few rows to a page."""

    CSS_PATH = FiguresHost.CSS_PATH

    def __init__(self, source: StoreSource | MemorySource, page_size: int = 20) -> None:
        super().__init__()
        self.source, self.page_size = source, page_size

    def on_mount(self) -> None:
        view = FiguresScreen(
            self.source, script="simplified", ui="zh-Hans", page_size=self.page_size
        )
        self.push_screen(view, self.exit)


@pytest.fixture
def seed_store() -> FigureStore:
    return cached_figures(SEEDS, SIG)


#: A terminal this high shows 8 rows of the table: a page of 20 is more than the window.
SHORT = 12


async def open_paged(pilot: Pilot) -> FiguresScreen:
    await settle(pilot)
    view = pilot.app.screen
    assert isinstance(view, FiguresScreen)
    return view


def info(view: FiguresScreen) -> str:
    return str(view.query_one("#figview-info", Static).render())


async def test_moving_past_the_first_page_reads_the_next(seed_store: FigureStore) -> None:
    app = PagedApp(StoreSource(seed_store, SIG))
    async with app.run_test(size=(100, SHORT)) as pilot:
        view = await open_paged(pilot)
        assert len(shown(view)) == 20 and "数字 118/118" in info(view)  # every one counted
        pages = [len(shown(view))]
        for _ in range(6):
            await pilot.press("ctrl+end")  # to the last row loaded: the next page is read
            await settle(pilot)
            pages.append(len(shown(view)))
        assert pages == [20, 40, 60, 80, 100, 118, 118]  # then nothing more to read
        assert shown(view) == seed_store.rows(SIG)  # all reachable, in reading order
        table = view.query_one(DataTable)
        assert table.cursor_row == 117
        await pilot.press("enter")  # a row of the last page
        await settle(pilot)
    last = seed_store.rows(SIG)[-1]
    assert app.return_value == FigureRowChosen(
        last.article_id, last.paragraph, last.start, last.end
    )


async def test_scrolling_reads_the_next_page_in_the_sorted_order(seed_store: FigureStore) -> None:
    app = PagedApp(StoreSource(seed_store, SIG))
    async with app.run_test(size=(100, SHORT)) as pilot:
        view = await open_paged(pilot)
        await pilot.press("s")  # by value, in SQL
        await settle(pilot)
        assert view.state.column == 1 and len(shown(view)) == 20
        table = view.query_one(DataTable)
        for _ in range(6):
            table.scroll_end(animate=False, immediate=True)  # the wheel: the cursor stays
            await settle(pilot)
        assert table.cursor_row == 0
        values = [r.value for r in shown(view)]
        numbers = [v for v in values if v is not None]
        assert numbers == sorted(numbers) and set(values[len(numbers) :]) == {None}
        assert numbers.index(353) < numbers.index(1200)  # as numbers, not as text
        assert shown(view) == seed_store.rows(SIG, order_by="value")


async def test_the_count_is_the_stores(seed_store: FigureStore) -> None:
    app = PagedApp(StoreSource(seed_store, SIG), page_size=5)
    async with app.run_test(size=(100, SHORT)) as pilot:
        view = await open_paged(pilot)
        for query, filters in [
            ("类别:数量", {"kind": "count"}),
            ("地區:河南", {"region": "河南"}),
            ("持證社會工作", {"subject": "持证社会工作"}),  # the other script
        ]:
            await set_filter(pilot, view, query)
            matched = seed_store.count(SIG, **filters)
            assert 0 < matched < 118 and f"数字 {matched}/118" in info(view), query
            rows = shown(view)  # pages of 5 until the window of 8 rows is filled
            assert len(rows) >= min(matched, 8)
            assert rows == seed_store.rows(SIG, **filters, limit=len(rows))


async def test_t_keeps_the_cursor_on_its_row(seed_store: FigureStore) -> None:
    app = PagedApp(StoreSource(seed_store, SIG))
    async with app.run_test(size=(100, SHORT)) as pilot:
        view = await open_paged(pilot)
        await pilot.press("ctrl+end")
        await settle(pilot)
        table = view.query_one(DataTable)
        table.move_cursor(row=30)
        await settle(pilot)
        before = list(shown(view))
        await pilot.press("t")
        await settle(pilot)
        assert view.script == "traditional" and table.cursor_row == 30
        assert shown(view) == before  # converted, not read again
        texts = [cell(view, n, "text") for n in range(len(before))]
        assert "106個" in texts and "106个" not in texts  # 许昌's, row 21


#: The seeds' 社工站 per city: 新乡 and 许昌 in 河南, and 雄安新区 in 河北.
CITY_BARS = [("河南 新乡", 118.0), ("河南 许昌", 106.0), ("河北 雄安新区", 35.0)]


async def test_the_chart_asks_for_every_row_of_its_subject(seed_store: FigureStore) -> None:
    app = PagedApp(StoreSource(seed_store, SIG), page_size=50)
    async with app.run_test(size=(100, SHORT)) as pilot:
        view = await open_paged(pilot)
        view.query_one(DataTable).move_cursor(row=21)  # 许昌's 106个; 新乡's 118个 is row 72
        await settle(pilot)
        assert len(shown(view)) == 50 and shown(view)[21].subject == "社工站"
        await pilot.press("c")
        await settle(pilot)
        chart = app.screen
        assert isinstance(chart, ChartScreen)
        # Rows not in the table count too.
        assert chart.data.bars == CITY_BARS


# -- choosing a figure ---------------------------------------------------------------------
async def test_enter_opens_the_article_at_the_figure() -> None:
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_view(pilot)
        await pilot.press("slash")
        await set_filter(pilot, view, "社工站 地区:新乡")
        assert view.query_one(Input).has_focus
        await pilot.press("down")  # from the filter line to the table
        assert view.query_one(DataTable).has_focus
        await pilot.press("enter")
        await settle(pilot)
        host = app.screen
        assert isinstance(host, Host)
        [chosen] = host.chosen
        article = next(a for a in SEEDS.articles if a.id == chosen.article_id)
        assert article.title.startswith("河南新乡")
        paragraph = article.paragraphs[chosen.paragraph].text
        assert paragraph[chosen.start : chosen.end] == "118个"
        span = (chosen.start, chosen.end)
        assert host.opened == [
            (article.id, (chosen.paragraph, chosen.start), {chosen.paragraph: [span]})
        ]


async def test_escape_leaves_the_filter_line_then_the_view() -> None:
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_view(pilot)
        await pilot.press("slash")
        assert view.query_one(Input).has_focus
        await pilot.press("escape")
        assert view.query_one(DataTable).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Host) and app.screen.opened == []
        await open_view(pilot)
        await pilot.press("q")  # closes the view, as it closes the help and the page text
        await settle(pilot)
        assert isinstance(app.screen, Host) and app.is_running


# -- the chart -----------------------------------------------------------------------------
async def test_the_chart_draws_the_latest_value_per_region() -> None:
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_view(pilot)
        await set_filter(pilot, view, "社工站")
        await pilot.press("c")
        await settle(pilot)
        chart = app.screen
        assert isinstance(chart, ChartScreen)
        # Per city: a bar per province would show 新乡's 118 for all of 河南 (it came last).
        assert chart.data.bars == CITY_BARS
        assert chart.data.unit == "个" and chart.data.subject == "社工站"
        plot = chart.query_one("#chart-bars", PlotextPlot)
        drawn = plot.render().plain
        assert "许昌 106" in drawn and "新乡 118" in drawn and "█" in drawn
        assert all(cell_len(line) <= plot.size.width for line in drawn.split("\n"))
        # One dated article only: no line, and the chart says why.
        assert not chart.query("#chart-line")
        note = str(chart.query_one("#chart-no-dates", Static).render())
        assert note == strings.text("chart.no_dates", "zh-Hans")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is view


async def test_nothing_to_chart_is_said() -> None:
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_view(pilot)
        assert shown(view)[0].subject is None  # 8月3日, a date
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is view
        assert [n.message for n in app._notifications] == ["此数字没有对象"]
    assert chart_data(selection_rows(SEEDS.articles, Filter()), "无此对象", "original", "en").empty


async def test_a_line_over_time_where_dates_allow() -> None:
    rows = [r for r in selection_rows(SEEDS.articles, Filter()) if r.subject == "社工站"]
    dated = [
        dataclasses.replace(r, date=day, value=(r.value or 0) + n)
        for r in rows
        for n, day in enumerate(["2021-05-01", "2022-05-01"])
    ]
    data = chart_data(rows + dated, "社工站", "traditional", "zh-Hant")
    assert data.unit == "個" and set(data.lines) == {"河南 新鄉", "河南 許昌", "河北 雄安新區"}
    dates = [day for day, _ in data.lines["河北 雄安新區"]]
    assert dates == ["2021-05-01", "2022-05-01", "2023-10-24"]
    assert data.bars[0] == ("河南 新鄉", 119.0)  # the latest date wins
    app = FiguresHost()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ChartScreen(data, "zh-Hant"))
        await settle(pilot)
        line = app.screen.query_one(FigureChart).query_one("#chart-line", WidePlot)
        drawn = line.render().plain
        assert "2021-05-01" in drawn and "雄安新區" in drawn
        assert [t for t in drawn.split("\n") if cell_len(t) > line.size.width] == [], line.size


def test_wide_labels_keep_the_axes_in_place() -> None:
    """Plotext wrote 22 characters a line; the Chinese ones take two cells each."""
    built = Text("    河南    河北省         \n  ┤ plain text, as is │")
    first, second = fit_wide(built, 22).plain.split("\n")
    assert first == "    河南  河北省      " and cell_len(first) == 22
    assert second == "  ┤ plain text, as is │"


# -- the script ----------------------------------------------------------------------------
async def test_t_converts_the_cells_and_the_owner_follows() -> None:
    app = FiguresHost(script="simplified")
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_view(pilot)
        await set_filter(pilot, view, "社工站")
        texts = {cell(view, n, "text") for n in range(3)}
        assert texts == {"106个", "118个", "35个"}  # 雄安's 35個 shown in simplified
        assert footer_label(app, "t") == "繁體"
        await pilot.press("t")
        await settle(pilot)
        assert app.screen_stack[0].script == "traditional" == view.script
        assert {cell(view, n, "text") for n in range(3)} == {"106個", "118個", "35個"}
        assert "河北·雄安新區" in {cell(view, n, "region") for n in range(3)}
        assert footer_label(app, "t") == "简体"


# -- keys, strings and the main screen ------------------------------------------------------
def test_every_key_of_the_view_speaks_three_languages() -> None:
    assert any(b.key == "F" and b.action == "figures_view" for b in commands.MAIN)
    for binding in [*commands.FIGURE_SCREENS, *commands.MAIN]:
        assert binding.id and strings.has(binding.id), binding
    for key in [k for k in strings.CATALOGUE if k.startswith(("figview.", "figcol.", "chart."))]:
        assert all(v.strip() for v in strings.CATALOGUE[key]), key


class WiredMain(MainScreen, FiguresActions):
    """The main screen with the figures view mixed in (in this order, still right once it is)."""


class WiredApp(SwreaderApp):
    """The app, its main screen wired to the figures view."""

    CSS_PATH = FiguresHost.CSS_PATH  # the package's (a relative path is the module's)

    def get_default_screen(self) -> Screen:
        main = super().get_default_screen()
        assert isinstance(main, MainScreen)
        return WiredMain(main.paths, main.store, main.script, main.ui)


def wired_app(script: str | None = None) -> WiredApp:
    """Like :func:`~swreader.app.make_app` over the seeds, with `F` wired."""
    return WiredApp([bundled_seeds()], script=script, store=StateStore(), ui=None)


async def test_f_on_the_main_screen_opens_the_view_and_enter_the_article() -> None:
    app = wired_app(script="simplified")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        palette = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "所选文章的数字表" in palette  # `F` is a palette command too
        await pilot.press("F")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, FiguresScreen) and len(view.rows or []) == 118
        await set_filter(pilot, view, "社工站 地区:新乡")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WiredMain)
        reader = app.screen.query_one(ReaderView)
        assert reader.article is not None and reader.article.title.startswith("河南新乡")
        [(paragraph, spans)] = reader.matches.items()
        assert reader.article.paragraphs[paragraph].text[slice(*spans[0])] == "118个"
        assert reader.has_focus


async def stored(pilot: Pilot) -> MainScreen:
    """The main screen, once its loading worker has stored the figures."""
    await settle(pilot)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)
    main = pilot.app.screen
    assert isinstance(main, MainScreen) and main.figure_store is not None
    return main


async def test_the_view_reads_the_figures_stored_by_the_loader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = wired_app(script="simplified")
    async with app.run_test(size=(100, 30)) as pilot:
        main = await stored(pilot)
        # Stored at indexing: opening the view computes nothing.
        monkeypatch.setattr(
            figures_view_actions, "selection_rows", lambda *_: pytest.fail("computed")
        )
        await pilot.press("F")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, FiguresScreen)
        expected = selection_rows(main.corpus.articles, Filter(), ())
        assert view.rows == expected and isinstance(view.source, StoreSource)
        store, sig = main.figure_store
        assert f"数字 {store.count(sig)}/{len(expected)}" in info(view)


def test_a_store_that_cannot_be_read_is_a_notice(seed_store: FigureStore) -> None:
    posted: list[object] = []

    class Screen:
        post_message = posted.append

    figures_view_actions._warm(Screen(), seed_store, SIG)  # type: ignore[arg-type]
    assert posted == []  # read: the set's articles are kept for the view
    figures_view_actions._warm(Screen(), seed_store, "no-such-set")  # type: ignore[arg-type]
    [notice] = posted
    assert isinstance(notice, Noticed) and "cannot be read" in notice.text


async def test_damaged_stored_figures_fall_back_to_the_articles_and_are_forgotten() -> None:
    app = wired_app(script="simplified")
    async with app.run_test(size=(100, 30)) as pilot:
        main = await stored(pilot)
        assert main.figure_store is not None
        store, sig = main.figure_store
        with store.conn:  # a figure whose value is no number: damage the read must meet
            store.conn.execute(
                "UPDATE figures SET value = 'x' WHERE seq = (SELECT min(seq) FROM figures)"
            )
        notices: list[str] = []
        notify = app.notify

        def spy(message: str, **kwargs: object) -> None:
            notices.append(message)
            notify(message, **kwargs)  # type: ignore[arg-type]

        app.notify = spy  # type: ignore[method-assign]
        await pilot.press("F")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, FiguresScreen)  # no crash: the view is open, and full
        assert view.rows == selection_rows(main.corpus.articles, Filter(), ())
        await pilot.press("escape")
        await settle(pilot)
        assert any("stored figures cannot be read" in n for n in notices)
        assert main.figure_store is None  # views compute them from now on
        assert not store.has(sig)  # forgotten: the next start stores them anew


def test_a_store_source_turns_to_its_fallback_once_and_says_why(seed_store: FigureStore) -> None:
    lost: list[tuple[str, bool]] = []
    rows = seed_store.rows(SIG)
    source = StoreSource(
        seed_store,
        "no-such-set",
        fallback=MemorySource(lambda: rows),
        on_loss=lambda err, damaged: lost.append((type(err).__name__, damaged)),
    )
    query = FigureQuery(kind="count")
    assert source.count(query) == seed_store.count(SIG, kind="count")
    assert source.page(query, "value", False, 0, 5) == StoreSource(seed_store, SIG).page(
        query, "value", False, 0, 5
    )
    assert lost == [("KeyError", True)]  # once, however many reads follow
    without = StoreSource(seed_store, "no-such-set")
    with pytest.raises(KeyError):
        without.count(query)
