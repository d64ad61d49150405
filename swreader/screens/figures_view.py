"""The figures view (`F`): every figure of the selection in a table to sort, filter and chart.

Rows come from a callable (``load_rows``) run in a worker: figures parsed on demand or stored
at indexing alike. Filtering, sorting and converting run in a worker too; the UI thread only
fills the table. Enter dismisses the view with a :class:`FigureRowChosen` (the main screen
opens the article there); `c` charts the highlighted row's subject (``widgets.figure_chart``).

The filter line takes words: ``社工站 类别:数量 地区:河南`` (or ``subject:社工站 kind:count
region:河南``); a word without a name is a subject. Kinds may be named in any interface
language, places and subjects in either script.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.coordinate import Coordinate
from textual.dom import DOMNode
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from swreader import strings
from swreader.core.pages.figtable import FigureRow, filter_rows
from swreader.core.text.convert import convert
from swreader.screens import commands
from swreader.widgets.figure_chart import ChartData, FigureChart, chart_data, format_value

#: The columns, in order; their headers are ``figcol.<key>`` in the catalogue.
COLUMNS: tuple[str, ...] = ("text", "value", "kind", "subject", "region", "date", "title")
#: `s` goes through the columns in this order (values first), then back to reading order.
SORT_CYCLE: tuple[int | None, ...] = (1, 2, 3, 4, 5, 6, 0, None)
#: At most this many rows in the table (the first, as sorted): a DataTable fills at about
#: 1 ms a row, so the filter narrows a large archive rather than the table holding it all.
LIMIT = 500
#: Widths of the columns that would crowd out the article's title at 100 columns (cells).
WIDTHS = {"text": 16, "subject": 14, "region": 12}

Cells = tuple[Text, Text, Text, Text, Text, Text, Text]


@dataclass
class FigureRowChosen(Message):
    """The reader chose a figure in the figures view: open its article there, highlighted."""

    article_id: str
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TableState:
    """What the table shows: the filter line, the sort, the script."""

    query: str = ""
    column: int | None = None
    reverse: bool = False
    script: str = "original"


@dataclass
class TablePrepared(Message):
    """The table for ``state`` (indices into the rows); the loading worker sends the rows too."""

    state: TableState
    order: list[int]
    cells: list[Cells]
    matched: int
    rows: list[FigureRow] | None = None


@dataclass
class ChartReady(Message):
    """The chart of a subject is reduced to what is drawn."""

    data: ChartData


class ScriptOwner(Protocol):
    """The screen whose script the view follows and whose `t` it runs (the main screen)."""

    script: str

    @property
    def toggle_target(self) -> str:
        """The script `t` switches to."""

    def action_toggle_script(self) -> None:
        """Switch the script as `t` does."""


def _names(key: str) -> set[str]:
    return {strings.text(key, ui).lower() for ui in strings.UI_LANGUAGES}


_FIELDS = {field: _names(f"figcol.{field}") for field in ("subject", "kind", "region")}
_KINDS = [key.removeprefix("kind.") for key in strings.CATALOGUE if key.startswith("kind.")]
_KIND_NAMES = {name: k for k in _KINDS for name in {k, *_names(f"kind.{k}")}}


def parse_filter(text: str) -> tuple[str | None, str | None, str | None]:
    """``(subject, kind, region)`` from the filter line (the last of each wins).

    >>> parse_filter("社工站 类别:数量 region：河南")
    ('社工站', 'count', '河南')
    """
    found: dict[str, str] = {}
    for word in text.replace("：", ":").split():
        name, colon, value = word.partition(":")
        if not colon:
            found["subject"] = word
            continue
        field = next((f for f, names in _FIELDS.items() if name.lower() in names), None)
        if field and value:
            found[field] = value
    kind = found.get("kind")
    kind = _KIND_NAMES.get(kind.lower(), kind) if kind else None
    return found.get("subject"), kind, found.get("region")


def _kind(kind: str, ui: str) -> str:
    key = f"kind.{kind}"
    return strings.text(key, ui) if strings.has(key) else kind


def cells_of(row: FigureRow, script: str, ui: str) -> Cells:
    """The seven cells of ``row``, in ``script`` (the kind in the interface language)."""
    texts = [row.text, row.subject or "", row.region, row.title]
    text, subject, region, title = (Text(convert(t, script), overflow="ellipsis") for t in texts)
    value = Text(format_value(row, script), justify="right")
    return (text, value, Text(_kind(row.kind, ui)), subject, region, Text(row.date or ""), title)


def _sort_value(row: FigureRow, column: int, ui: str) -> object:
    """What column ``column`` sorts ``row`` by (``None``: empty, last either way)."""
    if column == 2:
        return _kind(row.kind, ui)
    raw = (row.text, row.value, None, row.subject, row.region, row.date, row.title)[column]
    return None if raw == "" else raw


def prepare(
    rows: list[FigureRow], state: TableState, ui: str
) -> tuple[list[int], list[Cells], int]:
    """Filter and sort ``rows`` for ``state``, and convert the first :data:`LIMIT` of them.

    Values sort as numbers, the rest as written; empty cells sort last either way.

    Returns:
        The indices of the rows shown, in order; their cells; how many rows matched.
    """
    subject, kind, region = parse_filter(state.query)
    chosen = {id(r) for r in filter_rows(rows, subject=subject, kind=kind, region=region)}
    order = [n for n, row in enumerate(rows) if id(row) in chosen]
    if state.column is not None:
        keys = {n: _sort_value(rows[n], state.column, ui) for n in order}
        present = [n for n in order if keys[n] is not None]
        present.sort(key=keys.__getitem__, reverse=state.reverse)  # type: ignore[arg-type]
        order = present + [n for n in order if keys[n] is None]
    shown = order[:LIMIT]
    return shown, [cells_of(rows[n], state.script, ui) for n in shown], len(order)


class FiguresScreen(Screen["FigureRowChosen | None"]):
    """Every figure of the selection; Enter dismisses with the chosen one."""

    BINDINGS = commands.FIGURES_VIEW
    AUTO_FOCUS = "#figview-table"

    script: reactive[str] = reactive("original")

    def __init__(
        self,
        load_rows: Callable[[], list[FigureRow]],
        *,
        script: str = "original",
        ui: str = strings.DEFAULT_UI,
        scope: str = "",
        owner: ScriptOwner | None = None,
    ) -> None:
        """Set up the view; the rows are read when it is mounted.

        Args:
            load_rows: Reads the rows; run in a worker thread, never on the UI thread.
            script: The script to show the cells in (the owner's, when there is one).
            ui: The interface language.
            scope: What the rows are of, as the status bar names it (``全部``).
            owner: The screen whose script the view follows and whose `t` it runs.
        """
        super().__init__()
        self.load_rows = load_rows
        self.ui = ui
        self.scope = scope
        self.owner = owner
        self.set_reactive(FiguresScreen.script, owner.script if owner else script)
        self.rows: list[FigureRow] | None = None
        self.state = TableState(script=self.script)
        #: Indices into :attr:`rows` of the rows in the table, in its order.
        self.order: list[int] = []
        self.matched = 0
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
        self.load(self.state)

    @work(thread=True, exclusive=True, group="figview-load")
    def load(self, state: TableState) -> None:
        """Read the rows (from the articles, or the figure store) and prepare the table."""
        rows = self.load_rows()
        self.post_message(TablePrepared(state, *prepare(rows, state, self.ui), rows))

    # -- the table ---------------------------------------------------------------------
    def _update(self, **changes: object) -> None:
        """Show the table for the state with ``changes`` (prepared in a worker)."""
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        if self.rows is not None:
            self._prepare(self.rows, self.state)

    @work(thread=True, exclusive=True, group="figview-table")
    def _prepare(self, rows: list[FigureRow], state: TableState) -> None:
        prepared = prepare(rows, state, self.ui)
        if not get_current_worker().is_cancelled:
            self.post_message(TablePrepared(state, *prepared))

    @on(TablePrepared)
    def _prepared(self, message: TablePrepared) -> None:
        if message.rows is not None:
            self.rows = message.rows
        if message.state != self.state:  # the reader typed on, or sorted again
            if message.rows is not None:
                self._update()
            return
        table = self.query_one(DataTable)
        current = self.highlighted_index()
        self.order, self.matched = message.order, message.matched
        table.clear(columns=True)
        for n, key in enumerate(COLUMNS):
            label = strings.text(f"figcol.{key}", self.ui)
            if n == self.state.column:
                label += " ▼" if self.state.reverse else " ▲"
            table.add_column(label, width=WIDTHS.get(key), key=key)
        for n, cells in zip(message.order, message.cells, strict=True):
            table.add_row(*cells, key=str(n))
        if current is not None and current in self.order:
            table.move_cursor(row=self.order.index(current), scroll=True)
        self._show_info()

    def _show_info(self) -> None:
        total = len(self.rows or [])
        info = [strings.text("figview.count", self.ui, shown=self.matched, n=total)]
        if self.matched > len(self.order):
            info.append(strings.text("figview.limited", self.ui, limit=len(self.order)))
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
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        return int(key.value) if key.value is not None else None

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
        if self.rows is None or event.row_key.value is None:
            return
        row = self.rows[int(event.row_key.value)]
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
        """Chart the subject of the highlighted figure."""
        index = self.highlighted_index()
        if self.rows is None or index is None:
            return
        subject = self.rows[index].subject
        if not subject:
            self.notify(strings.text("chart.no_subject", self.ui), severity="warning")
            return
        _, kind, region = parse_filter(self.state.query)
        self._chart(self.rows, subject, kind, region, self.script)

    @work(thread=True, exclusive=True, group="figview-chart")
    def _chart(
        self, rows: list[FigureRow], subject: str, kind: str | None, region: str | None, script: str
    ) -> None:
        rows = filter_rows(rows, kind=kind, region=region)
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
