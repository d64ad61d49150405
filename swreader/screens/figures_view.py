"""The figures view (`F`): every figure of the selection in a table to sort, filter and chart.

Rows come from a :class:`~swreader.core.store.figurepages.FigureSource`: the figure store
(filters, order and paging in SQL) or, while the store is being built, the figures of the
articles computed in memory. A worker counts the matching rows and reads the first page
(:data:`~swreader.screens.figures_table.PAGE` rows) when the view opens and at each filter
or sort; another reads the next page when the cursor, or the scrolling, comes within half a
page of the end of those loaded, so every row is reachable without reading them all (4 s
at 250,000 figures). Workers convert the cells to the script too; the UI thread only fills
the table. Enter dismisses the view with a :class:`FigureRowChosen` (the main screen opens
the article there); `c` charts the highlighted row's subject (``widgets.figure_chart``),
over every row of it the source holds. The filter line: :mod:`~swreader.screens.figures_table`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import cast

from textual import on, work
from textual.app import ComposeResult
from textual.dom import DOMNode
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from swreader import strings
from swreader.core.pages.figtable import FigureRow
from swreader.core.store.figurepages import FigureSource
from swreader.screens import commands
from swreader.screens.figures_table import (
    COLUMNS,
    PAGE,
    SORT_CYCLE,
    PageLoaded,
    ScriptOwner,
    TablePrepared,
    TableState,
    cells_of,
    column_widths,
    counts,
    figure_key,
    next_page,
    parse_filter,
)
from swreader.widgets.figure_chart import ChartData, FigureChart, chart_data

__all__ = [
    "COLUMNS", "ChartReady", "ChartScreen", "FigureRowChosen", "FiguresScreen", "PageLoaded",
    "ScriptOwner", "TablePrepared", "TableState", "parse_filter",
]  # fmt: skip


@dataclass
class FigureRowChosen(Message):
    """The reader chose a figure in the figures view: open its article there, highlighted."""

    article_id: str
    paragraph: int
    start: int
    end: int


@dataclass
class ChartReady(Message):
    """The chart of a subject is reduced to what is drawn."""

    data: ChartData


class FiguresScreen(Screen["FigureRowChosen | None"]):
    """Every figure of the selection; Enter dismisses with the chosen one."""

    BINDINGS = commands.FIGURES_VIEW
    AUTO_FOCUS = "#figview-table"

    script: reactive[str] = reactive("original")

    def __init__(
        self,
        source: FigureSource,
        *,
        script: str = "original",
        ui: str = strings.DEFAULT_UI,
        scope: str = "",
        owner: ScriptOwner | None = None,
        page_size: int = PAGE,
    ) -> None:
        """Set up the view; the first page is read when it is mounted.

        Args:
            source: Where the rows come from; asked in worker threads, never on the UI's.
            script: The script to show the cells in (the owner's, when there is one).
            ui: The interface language.
            scope: What the rows are of, as the status bar names it (``全部``).
            owner: The screen whose script the view follows and whose `t` it runs.
            page_size: Rows read at a time.
        """
        super().__init__()
        self.source = source
        self.ui = ui
        self.scope = scope
        self.owner = owner
        self.page_size = page_size
        self.set_reactive(FiguresScreen.script, owner.script if owner else script)
        #: The rows in the table, in its order (``None`` until the first page is read).
        self.rows: list[FigureRow] | None = None
        self.state = TableState(script=self.script)
        #: What the table shows now (:attr:`state` once the worker for it is done).
        self.shown: TableState | None = None
        self.matched = self.total = 0
        self._reading_more = False  # a page is being read for the table shown
        self._more_to_read = True  # the last page read was a whole one
        self._relabel()  # before the footer is composed: each relabel after recomposes it

    def compose(self) -> ComposeResult:
        placeholder = strings.text("figview.placeholder", self.ui)
        yield Input(placeholder=placeholder, compact=True, id="figview-filter")
        yield Static(strings.text("figview.loading", self.ui), id="figview-info")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="figview-table")
        yield Footer()

    def on_mount(self) -> None:
        if self.owner is not None:
            follow = partial(setattr, self, "script")
            self.watch(cast(DOMNode, self.owner), "script", follow, init=False)
        # The wheel scrolls without moving the cursor: it too reads the next page.
        self.watch(self.query_one(DataTable), "scroll_y", self._scrolled, init=False)
        self._load(self.state)

    # -- reading (workers) -------------------------------------------------------------
    @work(thread=True, exclusive=True, group="figview-load")
    def _load(self, state: TableState) -> None:
        """Count the rows matching ``state`` and read the first page of them."""
        worker = get_current_worker()
        matched, total = counts(self.source, state)
        if worker.is_cancelled:  # the reader typed on: the next worker is waiting
            return
        rows, cells = next_page(self.source, state, self.ui, 0, self.page_size)
        if not worker.is_cancelled:
            more = len(rows) == self.page_size
            self.post_message(TablePrepared(state, rows, cells, matched, total, more))

    @work(thread=True, exclusive=True, group="figview-load")
    def _convert(self, state: TableState, shown: TablePrepared) -> None:
        """The rows of ``shown`` (the table as it is), in the script of ``state``."""
        cells = [cells_of(row, state.script, self.ui) for row in shown.rows]
        if not get_current_worker().is_cancelled:
            self.post_message(replace(shown, state=state, cells=cells))

    # Not exclusive: one at a time already (``_reading_more``), and cancelling one that has
    # posted its page but not yet returned would only mark it failed.
    @work(thread=True, group="figview-more")
    def _more(self, state: TableState, offset: int) -> None:
        """The page of the table for ``state`` from row ``offset`` on (a stale one is dropped)."""
        rows, cells = next_page(self.source, state, self.ui, offset, self.page_size)
        self.post_message(PageLoaded(state, offset, rows, cells))

    # -- the table ---------------------------------------------------------------------
    def _update(self, **changes: object) -> None:
        """Show the table for the state with ``changes`` (read in a worker)."""
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        if self.rows is not None and self.state.same_rows(self.shown):
            # Only the script: the rows loaded stay, in the other script (all reachable
            # ones, so the cursor keeps its place however far down it was).
            rows, more = list(self.rows), self._more_to_read
            self._convert(
                self.state, TablePrepared(self.state, rows, [], self.matched, self.total, more)
            )
        else:
            self._load(self.state)

    @on(TablePrepared)
    def _prepared(self, message: TablePrepared) -> None:
        if message.state != self.state:  # the reader typed on, or sorted again
            return
        table = self.query_one(DataTable)
        current = self.highlighted_row()
        self.rows, self.shown = message.rows, message.state
        self.matched, self.total = message.matched, message.total
        self._reading_more, self._more_to_read = False, message.more
        table.clear(columns=True)
        labels = [strings.text(f"figcol.{key}", self.ui) for key in COLUMNS]
        if self.state.column is not None:
            labels[self.state.column] += " ▼" if self.state.reverse else " ▲"
        widths = column_widths(labels, message.cells)
        for key, label, width in zip(COLUMNS, labels, widths, strict=True):
            table.add_column(label, width=width, key=key)
        table.add_rows(message.cells)
        if current is not None:
            at = next((n for n, r in enumerate(self.rows) if figure_key(r) == current), None)
            if at is not None:
                table.move_cursor(row=at, scroll=True)
        self._show_info()
        self._want_more()  # a page shorter than the window

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if self.rows is None or message.state != self.shown or message.state != self.state:
            return  # a page of a table no longer shown
        self._reading_more = False
        if message.offset != len(self.rows):
            return
        # A short page is the last, whatever was counted: a count and rows that disagree
        # (a damaged set) must not ask for the same page for ever.
        self._more_to_read = len(message.rows) == self.page_size
        self.rows.extend(message.rows)
        self.query_one(DataTable).add_rows(message.cells)
        self._want_more()  # the cursor may have jumped past this page too

    def _want_more(self) -> None:
        """Read the next page once the cursor or the window nears the end of those loaded.

        Near: within half a page, so that the next is there before the reader is; the
        window counts too, since the wheel scrolls without moving the cursor.
        """
        rows, table = self.rows, self.query_one(DataTable)
        bottom = int(table.scroll_y) + table.scrollable_content_region.height
        if (
            rows is None
            or self._reading_more
            or self.shown != self.state  # a new table is on its way
            or not self._more_to_read
            or len(rows) >= self.matched
            or max(table.cursor_row, bottom) < len(rows) - self.page_size // 2
        ):
            return
        self._reading_more = True
        self._more(self.state, len(rows))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._want_more()

    def _scrolled(self, _scroll_y: float) -> None:
        self._want_more()

    def _show_info(self) -> None:
        info = [strings.text("figview.count", self.ui, shown=self.matched, n=self.total)]
        if self.scope:
            info.append(self.scope)
        if self.state.column is None:
            info.append(strings.text("figview.unsorted", self.ui))
        else:
            column = strings.text(f"figcol.{COLUMNS[self.state.column]}", self.ui)
            arrow = "▼" if self.state.reverse else "▲"
            info.append(strings.text("figview.sorted", self.ui, column=column, arrow=arrow))
        self.query_one("#figview-info", Static).update(" · ".join(info))

    def highlighted_index(self) -> int | None:
        """The index in :attr:`rows` of the highlighted row, if any."""
        table = self.query_one(DataTable)  # its rows are :attr:`rows`, in the same order
        if self.rows is None or not 0 <= table.cursor_row < min(table.row_count, len(self.rows)):
            return None
        return table.cursor_row

    def highlighted_row(self) -> tuple[str, int, int, int] | None:
        """The article, paragraph and span of the highlighted figure, if any."""
        index = self.highlighted_index()
        return None if index is None or self.rows is None else figure_key(self.rows[index])

    @on(Input.Changed, "#figview-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self._update(query=event.value)

    @on(Input.Submitted, "#figview-filter")
    def _submitted(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        """A click on a header sorts by it; a second click reverses."""
        same = event.column_index == self.state.column
        self._update(column=event.column_index, reverse=same and not self.state.reverse)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        index = self.highlighted_index()
        if self.rows is None or index is None:
            return
        row = self.rows[index]
        self.dismiss(FigureRowChosen(row.article_id, row.paragraph, row.start, row.end))

    # -- the script --------------------------------------------------------------------
    def watch_script(self, script: str) -> None:
        self._relabel()
        self._update(script=script)

    def _relabel(self) -> None:
        """Key labels in the interface language; `t` says where it goes."""
        if self.owner is not None:
            target = self.owner.toggle_target
        else:
            target = commands.toggle_target(self.script, "traditional", "unknown")
        commands.localize(self, self.ui, target=strings.script_label(target, self.ui))

    # -- actions -----------------------------------------------------------------------
    def action_toggle_script(self) -> None:
        """简体 ⇄ traditional, as `t` on the main screen (it is the main screen's)."""
        if self.owner is not None:
            self.owner.action_toggle_script()  # comes back through the watch
        else:
            self.script = commands.toggle_target(self.script, "traditional", "unknown")

    def action_sort(self) -> None:
        """Sort by the next column (values first), then back to reading order."""
        at = SORT_CYCLE.index(self.state.column)
        self._update(column=SORT_CYCLE[(at + 1) % len(SORT_CYCLE)], reverse=False)

    def action_reverse(self) -> None:
        """Reverse the sort (empty cells stay last)."""
        if self.state.column is not None:
            self._update(reverse=not self.state.reverse)

    def action_filter(self) -> None:
        """Type a filter."""
        self.query_one(Input).focus()

    def action_to_table(self) -> None:
        """From the filter line down to the table."""
        self.query_one(DataTable).focus()

    def action_close(self) -> None:
        """Leave the filter line; or, from the table, close the view."""
        if self.query_one(Input).has_focus:
            self.query_one(DataTable).focus()
        else:
            self.dismiss(None)

    def action_chart(self) -> None:
        """Chart the subject of the highlighted figure (every row of it, loaded or not)."""
        index = self.highlighted_index()
        if self.rows is None or index is None:
            return
        subject = self.rows[index].subject
        if not subject:
            self.notify(strings.text("chart.no_subject", self.ui), severity="warning")
            return
        _, kind, region = parse_filter(self.state.query)
        self._chart(subject, kind, region, self.script)

    @work(thread=True, exclusive=True, group="figview-chart")
    def _chart(self, subject: str, kind: str | None, region: str | None, script: str) -> None:
        rows = self.source.all_for_chart(subject, kind, region)
        self.post_message(ChartReady(chart_data(rows, subject, script, self.ui)))

    @on(ChartReady)
    def _charted(self, message: ChartReady) -> None:
        if message.data.empty:
            text = strings.text("chart.nothing", self.ui, subject=message.data.subject)
            self.notify(text, severity="warning")
        else:
            self.app.push_screen(ChartScreen(message.data, self.ui))


class ChartScreen(Screen[None]):
    """The chart of one subject, over the figures view."""

    BINDINGS = commands.CHART

    def __init__(self, data: ChartData, ui: str = strings.DEFAULT_UI) -> None:
        super().__init__()
        self.data = data
        self.ui = ui
        commands.localize(self, self.ui)

    def compose(self) -> ComposeResult:
        yield FigureChart(self.data, self.ui, id="chart")
        yield Footer()
