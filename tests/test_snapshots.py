"""Snapshots of the main screens at fixed sizes (pytest-textual-snapshot)."""

from __future__ import annotations

from textual.pilot import Pilot

from swreader.app import make_app
from swreader.widgets.article_list import ArticleList


async def _ready(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _open_xuchang(pilot: Pilot) -> None:
    await _ready(pilot)
    articles = pilot.app.screen.query_one(ArticleList)
    ids = [a.id for a in articles._articles]
    articles.highlighted = ids.index(next(a.id for a in articles._articles if "许昌" in a.title))
    articles.focus()
    await pilot.press("enter")
    await _ready(pilot)


def test_reader_simplified_80x24(snap_compare) -> None:
    assert snap_compare(
        make_app(script="simplified"), terminal_size=(80, 24), run_before=_open_xuchang
    )


def test_reader_traditional_with_figures_100x30(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open_xuchang(pilot)
        await pilot.press("f", "right_square_bracket")
        await _ready(pilot)

    assert snap_compare(
        make_app(script="traditional"), terminal_size=(100, 30), run_before=run_before
    )


def test_help_80x24(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _ready(pilot)
        await pilot.press("question_mark")
        await _ready(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
