"""``swreader figures``: every key figure of the pages, one row per figure.

A click command, registered on the ``swreader`` group by :mod:`swreader.cli` (lazily: this
module is imported only when the command runs or its help is shown). Like the other commands it
imports only click and the standard library at its top; the core is imported when the command
runs. The rows and their columns are those of :mod:`swreader.core.pages.figtable`; they are
computed once per set of pages and kept in the library
(:func:`~swreader.core.store.figurestore.cached_figures`), so a second run only reads them.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from swreader.core.pages.figtable import FigureRow

#: ``swreader.core.text.figures.KINDS``, copied so that building the command loads no core
#: (tests/test_figures_cli.py keeps the two equal).
KINDS: tuple[str, ...] = (
    *("count", "money", "percent", "area", "measure"),
    *("date", "duration", "age", "ratio", "number"),
)
_BOUND_SIGNS = {"at least": "≥", "at most": "≤", "about": "≈"}


def _width(text: str) -> int:
    """Terminal cells of ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, cells: int) -> str:
    """``text`` cut or padded to ``cells`` terminal cells."""
    out, used = [], 0
    for char in text:
        width = _width(char)
        if used + width > cells:
            break
        out.append(char)
        used += width
    return "".join(out) + " " * (cells - used)


def _number(x: float, kind: str) -> str:
    """``7,000,000``, ``86.52``; a year without a separator."""
    if kind == "date":
        return str(int(x))
    return f"{int(x):,}" if x.is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def _value(row: FigureRow) -> str:
    """The value as a reader wants it: ``≈7,000,000 元``, ``80.1%``, ``0–6 岁``."""
    if row.value is None:
        return "-"
    shown = _number(row.value, row.kind)
    if row.low is not None and row.high is not None:
        shown = f"{shown}–{_number(row.high, row.kind)}"
    sign = _BOUND_SIGNS.get(row.bound or "", "~" if row.approximate else "")
    unit = row.unit if row.unit == "%" else f" {row.unit}" if row.unit else ""
    return f"{sign}{shown}{unit}"


def table_line(row: FigureRow) -> str:
    """One row as a line of the human-readable table.

    Args:
        row: A row of :func:`~swreader.core.pages.figtable.figure_rows`.

    Returns:
        Region, date, subject (with ``→`` for a change's end), figure, value, kind and title,
        in columns.
    """
    subject = (row.subject or "-") + {"from": " (从)", "to": " (至)"}.get(row.role or "", "")
    return "  ".join(
        (
            _pad(row.region or "-", 16),
            _pad(row.date or "-", 10),
            _pad(subject, 24),
            _pad(row.text, 16),
            _pad(_value(row), 18),
            _pad(row.kind, 8),
            row.title,
        )
    ).rstrip()


#: Rows read from the library at a time, so that a large archive streams out in bounded memory.
PAGE = 5000


def _run(
    paths: tuple[Path, ...],
    subject: str | None,
    kind: str | None,
    region: str | None,
    as_csv: bool,
    as_json: bool,
) -> int:
    """Write the figures of ``paths``; return the exit status (1 when a file was skipped)."""
    from swreader.cli import _say, _unicode_stdout
    from swreader.core.pages.corpus import bundled_seeds, display_path
    from swreader.core.pages.figtable import to_json, write_csv
    from swreader.core.search.persist import signature
    from swreader.core.store.figurestore import DamagedFigures, cached_figures
    from swreader.core.store.pagecache import open_corpus

    corpus, notices = open_corpus(list(paths) or [bundled_seeds()])
    sig = signature(corpus)
    said: list[bool] = []

    def progress(done: int, total: int) -> None:
        if not said and sys.stderr.isatty():  # ~30 s at 10,000 articles: say why, once
            said.append(True)
            _say(f"swreader: finding the figures of {total} articles (kept for the next run)")

    # Computed once per set of pages and kept in the library: a second run only reads them.
    store = cached_figures(corpus, sig, notices, progress=progress)
    for notice in notices:
        _say(f"swreader: {notice}")
    out = sys.stdout
    ascii_only = not _unicode_stdout()
    if as_csv:
        write_csv([], out)  # the header, even when nothing matches
    offset = 0
    while True:
        try:
            rows = store.rows(
                sig, subject=subject, kind=kind, region=region, limit=PAGE, offset=offset
            )
        except DamagedFigures as err:  # met past the check (text that is not UTF-8)
            store.forget(sig)
            _say(f"swreader: library: the stored figures are damaged ({err}); run again")
            return 1
        if not rows:
            break
        offset += len(rows)
        if as_csv:
            write_csv(rows, out, header=False)
        elif as_json:
            for row in rows:
                out.write(json.dumps(to_json(row), ensure_ascii=ascii_only) + "\n")
        else:
            for row in rows:
                out.write(table_line(row) + "\n")
    for path, reason in corpus.problems:
        _say(f"swreader: {display_path(path)}: {reason}")
    return 1 if corpus.problems else 0


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--subject", help="Only figures whose subject contains this (either script).")
@click.option("--kind", type=click.Choice(KINDS), help="Only figures of this kind.")
@click.option("--region", help="Only articles of this province or city (either script).")
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV with a header row.")
@click.option("--json", "as_json", is_flag=True, help="Write JSON Lines, one object per figure.")
def figures(
    paths: tuple[Path, ...],
    subject: str | None,
    kind: str | None,
    region: str | None,
    as_csv: bool,
    as_json: bool,
) -> None:
    """List the key figures of PATH... with their value and what they count.

    One row per figure: the figure as written, its value (magnitudes applied, 近700万元 is
    7000000), whether it is approximate, its unit, kind and subject (what it counts: 社工站,
    服务人数), the article's region and date, its id and title, and the paragraph and offsets
    of the figure. With no PATH, the bundled seed pages are used.

    \b
    --csv writes a header row, then one row per figure (opens in
    spreadsheets, pandas.read_csv and Python's csv module);
    --json writes one JSON object per figure, with the same keys.

    Exit status: 0, or 1 when a file could not be read (it is reported on stderr).
    """
    if as_csv and as_json:
        raise click.UsageError("--csv and --json cannot be used together.")
    from swreader.cli import _writes_output

    _writes_output(_run)(paths, subject, kind, region, as_csv, as_json)
