"""Every figure of an article as a row: its value, what it counts, where and when.

:func:`figure_rows` joins :attr:`Article.figures <swreader.core.pages.model.Article.figures>`
with :func:`~swreader.core.text.quantities.value_of` and
:func:`~swreader.core.pages.subjects.subject_of`; :func:`filter_rows` selects by subject, kind
or region (either script); :func:`write_csv` and :func:`to_json` write rows for spreadsheets and
pandas. The columns, in order (:data:`CSV_COLUMNS`):

===============  =========================================================================
``text``         the figure as written (``近700萬元``)
``value``        the normalised number (7000000; a percentage as 80.1; a date's year), or empty
``approximate``  ``true`` when the text hedges it (近 约 余 以上 …)
``bound``        ``at least``, ``at most``, ``about`` or empty
``unit``         ``元``, ``人``, ``个``, ``%``, ``百分点``, ``年`` … (simplified, magnitude taken out)
``kind``         count, money, percent, area, measure, date, duration, age, ratio, number
``subject``      what it counts (``社工站``, ``服务人数``), as the page writes it, or empty
``role``         ``from`` / ``to`` for the two ends of a change, or empty
``article_id``   the article's id
``title``        its headline
``region``       ``province·city`` (``河南·新乡``), or empty
``province``     short province name, or empty
``city``         short city name, or empty
``date``         the article's ISO date, or empty
``paragraph``    index of the paragraph in the article
``start``        offset of the figure in the paragraph
``end``          offset one past it
``low``          a range's low end (``0-6岁`` → 0), or empty
``high``         a range's high end (``0-6岁`` → 6), or empty
===============  =========================================================================

Numbers that are whole are written without a decimal point (``13000``, not ``13000.0``);
booleans as ``true``/``false``, which pandas reads as booleans.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from swreader.core.pages.model import Article
from swreader.core.text.fold import fold

__all__ = ["CSV_COLUMNS", "FigureRow", "figure_rows", "filter_rows", "to_json", "write_csv"]


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure of one article, with its value and subject (see the module docstring)."""

    text: str
    value: float | None
    approximate: bool
    bound: str | None
    unit: str
    kind: str
    subject: str | None
    role: str | None
    article_id: str
    title: str
    region: str
    province: str | None
    city: str | None
    date: str | None
    paragraph: int
    start: int
    end: int
    low: float | None = None
    high: float | None = None


CSV_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(FigureRow))
"""The header of :func:`write_csv`, and the keys of :func:`to_json`, in order."""


def figure_rows(article: Article) -> list[FigureRow]:
    """The figures of an article as rows, in reading order.

    Args:
        article: Any article; its body is read if it was deferred.

    Returns:
        One row per figure, dates included (their value is the year).
    """
    # Imported here, not at the top: with their tables (places, figure patterns) they take
    # ~0.1 s to import, which the reader's start paid before its first frame for a view
    # opened later, if at all.
    from swreader.core.pages.subjects import subject_of
    from swreader.core.text.quantities import value_of

    rows = []
    for figure in article.figures:
        quantity = value_of(figure.text, figure.kind)
        text = article.paragraphs[figure.paragraph].text
        subject = subject_of(text, figure.start, figure.end, figure.kind)
        rows.append(
            FigureRow(
                text=figure.text,
                value=quantity.value if quantity else None,
                approximate=quantity.approximate if quantity else False,
                bound=quantity.bound if quantity else None,
                unit=quantity.unit if quantity else "",
                kind=figure.kind,
                subject=subject.head if subject else None,
                role=subject.role if subject else None,
                article_id=article.id,
                title=article.title,
                region=article.region_label,
                province=article.province,
                city=article.city,
                date=article.date,
                paragraph=figure.paragraph,
                start=figure.start,
                end=figure.end,
                low=quantity.low if quantity else None,
                high=quantity.high if quantity else None,
            )
        )
    return rows


def _folded(text: str | None) -> str:
    return fold(text) if text else ""


def filter_rows(
    rows: Iterable[FigureRow],
    subject: str | None = None,
    kind: str | None = None,
    region: str | None = None,
) -> list[FigureRow]:
    """The rows that match every filter given.

    Args:
        rows: Rows of :func:`figure_rows`.
        subject: Part of the subject (``社工站`` finds ``乡镇社工站``); either script.
        kind: A kind, exactly (``count``).
        region: A province or city (``河南``, ``新乡``, ``臺灣``, ``河南省``); either script.

    Returns:
        The matching rows, in their order.
    """
    want_subject, want_region = _folded(subject), _folded(region)
    out = []
    for row in rows:
        if kind and row.kind != kind:
            continue
        if want_subject and want_subject not in _folded(row.subject):
            continue
        if want_region:
            places = [p for p in (_folded(row.province), _folded(row.city)) if p]
            # 河南 finds 河南; 河南省 and 河南新乡 find it too (the name at the query's start).
            if not any(want_region in p or want_region.startswith(p) for p in places):
                continue
        out.append(row)
    return out


def _plain(value: object) -> object:
    """A value as JSON has it: whole floats as ints (13000, not 13000.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_json(row: FigureRow) -> dict[str, object]:
    """A row as a JSON-ready dict, keys in :data:`CSV_COLUMNS` order; missing values are None."""
    return {name: _plain(getattr(row, name)) for name in CSV_COLUMNS}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_plain(value))


def write_csv(rows: Iterable[FigureRow], stream: TextIO, *, header: bool = True) -> int:
    """Write a header (:data:`CSV_COLUMNS`) and one line per row.

    Args:
        rows: The rows.
        stream: A text stream; open files with ``newline=""``, as :mod:`csv` asks.
        header: Whether to write the header first (not when appending to a file that has it).

    Returns:
        How many rows were written.
    """
    writer = csv.writer(stream)
    if header:
        writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in CSV_COLUMNS])
        count += 1
    return count
