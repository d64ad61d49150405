"""The picture of one subject: bars of the latest value per region, a line over time.

:func:`chart_data` reduces figure rows (:class:`~swreader.core.pages.figtable.FigureRow`) to
what is drawn, in the script shown — plain data, made in a worker; :class:`FigureChart` draws
it with `textual-plotext`_. Plotext counts every character as one cell, so Chinese labels
would push its lines past the widget; :func:`fit_wide` takes the extra cells back out of the
blank runs next to them, so the axes stay where plotext put them. :func:`format_value` writes a
value as the table and the chart show it (``≈7,000,000 元``).

.. _textual-plotext: https://github.com/Textualize/textual-plotext
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from swreader import strings
from swreader.core.pages.figtable import FigureRow, filter_rows
from swreader.core.text.convert import convert

#: At most this many bars, the largest values: more would not leave room for their names.
MAX_BARS = 12
_BOUNDS = {"at least": "≥", "at most": "≤", "about": "≈"}
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the chart of one subject shows, its labels already in the script.

    Attributes:
        subject: The subject, as shown.
        unit: The unit of every value drawn (the subject's commonest), as shown.
        bars: ``(region, latest value)``, largest first, at most :data:`MAX_BARS`.
        regions: How many regions have a value (so the title can say when bars were cut).
        lines: Region → ``(ISO date, value)`` in date order, for regions with two dates.
    """

    subject: str
    unit: str
    bars: list[tuple[str, float]] = field(default_factory=list)
    regions: int = 0
    lines: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing to draw."""
        return not self.bars


def _latest(row: tuple[int, FigureRow]) -> tuple[str, bool, int]:
    """Order of recency: the article's date, then the "to" end of a change, then reading."""
    n, r = row
    return (r.date or "", r.role == "to", n)


def _place(row: FigureRow, script: str, ui: str) -> str:
    """The bar of ``row``: its city within its province, else its province.

    By city, not province: a province's bar would show whichever of its cities reported
    last (新乡's 118 社工站 standing for all of 河南), and the question is what each city
    reports. A province-wide figure keeps a bar of its own.
    """
    if not row.province:
        return strings.text("label.no_region", ui)
    place = f"{row.province} {row.city}" if row.city else row.province
    return convert(place, script)


def chart_data(rows: Iterable[FigureRow], subject: str, script: str, ui: str) -> ChartData:
    """Reduce ``rows`` to the chart of ``subject``.

    Args:
        rows: Figure rows (any filter already applied).
        subject: What to chart; rows whose subject contains it are used (either script).
        script: The script labels are shown in.
        ui: The interface language (for 未注明地区).

    Returns:
        The bars and lines; :attr:`ChartData.empty` when no row has a value.
    """
    found = [r for r in filter_rows(rows, subject=subject) if r.value is not None]
    found = [r for r in found if r.kind != "date"]
    shown_subject = convert(subject, script)
    if not found:
        return ChartData(shown_subject, "")
    unit = Counter(r.unit for r in found).most_common(1)[0][0]
    by_region: dict[str, list[tuple[int, FigureRow]]] = defaultdict(list)
    for n, row in enumerate(r for r in found if r.unit == unit):
        by_region[_place(row, script, ui)].append((n, row))
    latest = {place: max(items, key=_latest)[1].value or 0.0 for place, items in by_region.items()}
    bars = sorted(latest.items(), key=lambda item: -item[1])
    lines: dict[str, list[tuple[str, float]]] = {}
    for place, items in by_region.items():
        dated: dict[str, float] = {}
        for _, row in sorted((i for i in items if i[1].date), key=_latest):
            dated[row.date or ""] = row.value or 0.0  # the latest of a day wins
        if len(dated) >= 2:
            lines[place] = sorted(dated.items())
    return ChartData(shown_subject, convert(unit, script), bars[:MAX_BARS], len(bars), lines)


def _fit_line(line: Text, width: int) -> Text:
    """``line`` without the blanks its wide characters pushed past ``width``."""
    plain = line.plain
    excess = cell_len(plain) - max(width, len(plain))
    if excess <= 0:
        return line
    words = [(m.start(), m.end()) for m in _WORD.finditer(plain)]
    # The blanks before each word and after the last; between words one always stays.
    starts = [0, *(end for _, end in words)]
    ends = [*(start for start, _ in words), len(plain)]
    runs = [
        list(range(s if s == 0 or e == len(plain) else s + 1, e))
        for s, e in zip(starts, ends, strict=True)
    ]
    drop: set[int] = set()
    for n, (start, end) in enumerate(words):
        wide = cell_len(plain[start:end]) - (end - start)
        # The blanks right after the word, then before it, then farther on, then farther back.
        for run in (n + 1, n, *range(n + 2, len(runs)), *range(n - 1, -1, -1)):
            while wide and runs[run] and len(drop) < excess:
                drop.add(runs[run].pop())
                wide -= 1
    kept, begin = [], 0
    for index in sorted(drop):
        kept.append(line[begin:index])
        begin = index + 1
    return Text("").join([*kept, line[begin:]])


def fit_wide(text: Text, width: int) -> Text:
    """Each line of plotext's ``text`` within ``width`` cells, though it holds Chinese.

    Args:
        text: The plot as plotext built it (one character per cell assumed).
        width: The widget's width.

    Returns:
        The same plot, lines cropped (never wrapped) to ``width``.
    """
    lines = [_fit_line(line, width) for line in text.split("\n", allow_blank=True)]
    fitted = Text("\n").join(lines)
    fitted.no_wrap, fitted.overflow = True, "crop"
    return fitted


class WidePlot(PlotextPlot):
    """A plotext plot whose Chinese labels keep the axes in place."""

    def render(self) -> Text:
        """The plot, fitted to the widget (see :func:`fit_wide`)."""
        built = super().render()
        return fit_wide(built if isinstance(built, Text) else Text(str(built)), self.size.width)


def format_number(value: float, grouped: bool = True) -> str:
    """``13,000``, ``80.1``; a year (``grouped=False``) as ``2023``."""
    if float(value).is_integer():
        return f"{value:,.0f}" if grouped else f"{value:.0f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def format_value(row: FigureRow, script: str = "original") -> str:
    """The value as the table shows it: ``≈7,000,000 元``, ``≥300 个``, ``0–6 岁``, ``80.1%``."""
    if row.value is None:
        return ""
    mark = _BOUNDS.get(row.bound or "", "≈" if row.approximate else "")
    grouped = row.kind != "date"  # a year is 2023, not 2,023
    number = format_number(row.value, grouped)
    if row.low is not None and row.high is not None and row.low != row.high:
        number = f"{format_number(row.low, grouped)}–{format_number(row.high, grouped)}"
    unit = convert(row.unit, script)
    return f"{mark}{number}{'' if unit in ('%', '') else ' '}{unit}"


class FigureChart(Vertical):
    """Bars of the latest value per region, and a line over time where dates allow."""

    def __init__(self, data: ChartData, ui: str = strings.DEFAULT_UI, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.data = data
        self.ui = ui

    def compose(self) -> ComposeResult:
        data = self.data
        title = strings.text("chart.title", self.ui, subject=data.subject, unit=data.unit or "—")
        yield Static(title, id="chart-title")
        bars = WidePlot(id="chart-bars")
        self._draw_bars(bars)
        yield bars
        if data.lines:
            line = WidePlot(id="chart-line")
            self._draw_lines(line)
            yield line
        else:
            yield Static(strings.text("chart.no_dates", self.ui), id="chart-no-dates")

    def _draw_bars(self, plot: PlotextPlot) -> None:
        data, plt = self.data, plot.plt
        names = [name for name, _ in data.bars]
        values = [int(v) if float(v).is_integer() else v for _, v in data.bars]  # 118, not 118.0
        plt.bar(names, values, width=0.4)
        plt.title(strings.text("chart.bars", self.ui, shown=len(data.bars), n=data.regions))
        # Values over each bar's name would need room plotext does not give: name + value.
        plt.xticks(range(1, len(names) + 1), [f"{n} {format_number(v)}" for n, v in data.bars])

    def _draw_lines(self, plot: PlotextPlot) -> None:
        plt = plot.plt
        days: set[str] = set()
        for place, points in self.data.lines.items():
            xs = [date.fromisoformat(day[:10]).toordinal() for day, _ in points]
            plt.plot(xs, [value for _, value in points], label=place, marker="braille")
            days.update(day[:10] for day, _ in points)
        ticks = sorted(days)
        plt.xticks([date.fromisoformat(d).toordinal() for d in ticks], ticks)
        plt.title(strings.text("chart.line", self.ui))
