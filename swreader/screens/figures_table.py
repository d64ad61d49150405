"""What the figures view's table shows: its columns, the filter line, the cells of a row.

Plain functions of :class:`TableState` (no widget), run in the view's workers: the filter
line read into a :class:`~swreader.core.store.figurepages.FigureQuery`, a sorted column
into the source's order, rows into the cells of a script; and the messages the workers
send the view with them.

The filter line takes words: ``社工站 类别:数量 地区:河南`` (or ``subject:社工站 kind:count
region:河南``); a word without a name is a subject. Kinds may be named in any interface
language, places and subjects in either script.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from rich.cells import cell_len
from rich.text import Text
from textual.message import Message

from swreader import strings
from swreader.core.pages.figtable import FigureRow
from swreader.core.store.figurepages import FigureQuery, FigureSource
from swreader.core.text.convert import convert
from swreader.widgets.figure_chart import format_value

__all__ = [
    "COLUMNS", "MOST", "PAGE", "SORT_CYCLE", "WIDTHS", "Cells", "PageLoaded", "ScriptOwner",
    "TablePrepared", "TableState", "cells_of", "column_widths", "counts", "figure_key", "next_page",
    "parse_filter", "query_of",
]  # fmt: skip

#: The columns, in order; their headers are ``figcol.<key>`` in the catalogue, and each is
#: the name the source sorts it by (a column of :data:`~swreader.core.pages.figtable.CSV_COLUMNS`).
COLUMNS: tuple[str, ...] = ("text", "value", "kind", "subject", "region", "date", "title")
#: `s` goes through the columns in this order (values first), then back to reading order.
SORT_CYCLE: tuple[int | None, ...] = (1, 2, 3, 4, 5, 6, 0, None)
#: Rows read at a time: several screenfuls, so that paging is rare, yet quick to read and
#: to add (at 250,000 figures: ~30 ms to count and read one in reading order, ~12 ms for
#: the UI thread to add it to the table). The next page is read as the reader nears the end.
PAGE = 200
#: Widths of the columns that would crowd out the article's title at 100 columns (cells).
WIDTHS = {"text": 16, "subject": 14, "region": 12}
#: The widest the other columns grow to fit the rows a table is filled with (cells); a
#: wider cell ends in "…". A title may take a wide terminal's width, not a whole page's.
MOST = {"value": 16, "kind": 8, "date": 10, "title": 80}

Cells = tuple[Text, Text, Text, Text, Text, Text, Text]


@dataclass(frozen=True, slots=True)
class TableState:
    """What the table shows: the filter line, the sort, the script."""

    query: str = ""
    column: int | None = None
    reverse: bool = False
    script: str = "original"

    def same_rows(self, other: TableState | None) -> bool:
        """Whether ``other`` shows the same rows in the same order (the script aside)."""
        return other is not None and replace(other, script=self.script) == self


@dataclass
class TablePrepared(Message):
    """The first rows of the table for ``state`` (or its rows so far, in a new script)."""

    state: TableState
    rows: list[FigureRow]
    cells: list[Cells]
    matched: int
    total: int
    more: bool  # whether the source may hold more: its last page read was a whole one


@dataclass
class PageLoaded(Message):
    """More rows of the table for ``state``, from row ``offset`` on."""

    state: TableState
    offset: int
    rows: list[FigureRow]
    cells: list[Cells]


class ScriptOwner(Protocol):
    """The screen whose script the view follows and whose `t` it runs (the main screen)."""

    script: str

    @property
    def toggle_target(self) -> str:
        """The script `t` switches to."""

    def action_toggle_script(self) -> None:
        """Switch the script as `t` does."""


def figure_key(row: FigureRow) -> tuple[str, int, int, int]:
    """What tells a figure from every other: its article, paragraph and place there."""
    return row.article_id, row.paragraph, row.start, row.end


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


def query_of(state: TableState) -> FigureQuery:
    """The source's filters for the filter line of ``state``."""
    return FigureQuery(*parse_filter(state.query))


def _kind(kind: str, ui: str) -> str:
    key = f"kind.{kind}"
    return strings.text(key, ui) if strings.has(key) else kind


def cells_of(row: FigureRow, script: str, ui: str) -> Cells:
    """The seven cells of ``row``, in ``script`` (the kind in the interface language)."""
    texts = [row.text, row.subject or "", row.region, row.title]
    text, subject, region, title = (Text(convert(t, script), overflow="ellipsis") for t in texts)
    value = Text(format_value(row, script), justify="right")
    return (text, value, Text(_kind(row.kind, ui)), subject, region, Text(row.date or ""), title)


def column_widths(headers: list[str], cells: list[Cells]) -> list[int]:
    """The width of each column: fixed, or what its header and ``cells`` need, up to :data:`MOST`.

    ``cells`` are those the table is filled with: its first page, or on a script toggle
    every row loaded so far. Set then, instead of the table's own measuring when it is next
    idle: a frame drawn before that (and a snapshot taken then) would show the columns at
    their headers' width, and the columns would move under the reader as later pages came.
    """
    widths = []
    for n, (key, header) in enumerate(zip(COLUMNS, headers, strict=True)):
        if key in WIDTHS:
            widths.append(WIDTHS[key])
            continue
        need = max((row[n].cell_len for row in cells), default=0)
        widths.append(min(max(need, cell_len(header)), MOST[key]))
    return widths


def next_page(
    source: FigureSource, state: TableState, ui: str, offset: int, limit: int = PAGE
) -> tuple[list[FigureRow], list[Cells]]:
    """The rows from ``offset`` on of the table for ``state``, and their cells.

    The sort is the source's (see :mod:`~swreader.core.store.figurepages`): values as
    numbers, empty cells last either way, subjects and places folded, kinds by their key.
    """
    order_by = None if state.column is None else COLUMNS[state.column]
    rows = source.page(query_of(state), order_by, state.reverse, offset, limit)
    return rows, [cells_of(row, state.script, ui) for row in rows]


def counts(source: FigureSource, state: TableState) -> tuple[int, int]:
    """How many rows match the filter line of ``state``, and how many there are."""
    query = query_of(state)
    matched = source.count(query)
    return matched, matched if query == FigureQuery() else source.count(FigureQuery())
