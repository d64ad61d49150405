"""Snapshots of the main screens at fixed sizes (pytest-textual-snapshot), in each UI language."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from swreader.app import make_app
from swreader.widgets.sidebar import SourceTree

from .pilot import open_title, own_reporting_node, search, settle, without_locale
from .test_figures_view import wired_app  # the main screen with `F` wired


@pytest.fixture(autouse=True)
def _simplified_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    """No locale: unless a test says otherwise, the interface speaks 简体."""
    without_locale(monkeypatch)


async def _open_xuchang(pilot: Pilot) -> None:
    await settle(pilot)
    await open_title(pilot, "许昌市社会工作行业协会成立")


def test_reader_simplified_80x24(snap_compare) -> None:
    assert snap_compare(
        make_app(script="simplified", ui="zh-Hans"),
        terminal_size=(80, 24),
        run_before=_open_xuchang,
    )


def test_reader_traditional_ui_80x24(snap_compare) -> None:
    """A reader in Taiwan: the interface in 繁體, the article in 繁體."""
    assert snap_compare(
        make_app(script="traditional", ui="zh-Hant"),
        terminal_size=(80, 24),
        run_before=_open_xuchang,
    )


def test_reader_english_ui_80x24(snap_compare) -> None:
    """The interface in English; the article still in its script (简体)."""
    assert snap_compare(
        make_app(script="simplified", ui="en"), terminal_size=(80, 24), run_before=_open_xuchang
    )


def test_first_launch_80x24(snap_compare) -> None:
    """No saved position: the first article is open, not an empty pane."""
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=settle)


def test_reader_traditional_with_figures_100x30(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open_xuchang(pilot)
        await pilot.press("f", "right_square_bracket")
        await settle(pilot)

    assert snap_compare(
        make_app(script="traditional"), terminal_size=(100, 30), run_before=run_before
    )


def test_help_80x24(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_help_english_80x24(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(ui="en"), terminal_size=(80, 24), run_before=run_before)


def test_search_box_with_results_100x30(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await search(pilot, "社工站")

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)


def test_search_match_in_the_status_bar_100x30(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await search(pilot, "社工站")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)


def test_sidebar_filtered_to_own_reporting_100x30(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        tree = pilot.app.screen.query_one(SourceTree)
        tree.select_node(own_reporting_node(tree))
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)


def test_page_text_screen_80x24(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open_xuchang(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_tiny_terminal_40x12(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(40, 12), run_before=_open_xuchang)


async def _open_figures(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("F")
    await settle(pilot)


def test_figures_view_100x30(snap_compare) -> None:
    """`F`: every figure of the selection, in 简体."""
    assert snap_compare(
        wired_app(script="simplified"), terminal_size=(100, 30), run_before=_open_figures
    )


def test_figure_chart_100x30(snap_compare) -> None:
    """`c` on a 社工站 row: bars of the latest count per province, in 繁體."""

    async def run_before(pilot: Pilot) -> None:
        await _open_figures(pilot)
        pilot.app.screen.query_one(Input).value = "社工站"
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(
        wired_app(script="traditional"), terminal_size=(100, 30), run_before=run_before
    )
