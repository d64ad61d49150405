"""Snapshots of the main screens at fixed sizes (pytest-textual-snapshot)."""

from __future__ import annotations

from textual.pilot import Pilot

from swreader.app import make_app

from .test_app import open_title, settle


async def _open_xuchang(pilot: Pilot) -> None:
    await settle(pilot)
    await open_title(pilot, "许昌市社会工作行业协会成立")


def test_reader_simplified_80x24(snap_compare) -> None:
    assert snap_compare(
        make_app(script="simplified"), terminal_size=(80, 24), run_before=_open_xuchang
    )


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
