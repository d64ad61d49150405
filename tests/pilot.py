"""Pilot helpers shared by the UI tests (the driving steps live in :mod:`swreader.screens.testing`)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from swreader.app import SwreaderApp
from swreader.screens.main import MainScreen
from swreader.screens.search import SearchScreen
from swreader.screens.testing import open_title as _open_title
from swreader.screens.testing import settle
from swreader.widgets.paragraph import ParagraphView
from swreader.widgets.reader import ReaderView
from swreader.widgets.sidebar import SourceTree

__all__ = [
    "assert_in_view",
    "footer_label",
    "open_title",
    "own_reporting_node",
    "screen",
    "search",
    "settle",
    "without_locale",
]


def without_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset the locale variables, so the interface speaks its default (简体)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def footer_label(app: SwreaderApp, key: str) -> str:
    """What the footer says for ``key`` (e.g. ``"t"`` → ``"繁體"``)."""
    return next(k.description for k in app.screen.query(FooterKey) if k.key == key)


def assert_in_view(reader: ReaderView, view: ParagraphView, offset: int) -> None:
    """The line showing character ``offset`` of ``view`` is on screen."""
    top = view.virtual_region.y + view.line_of(offset)
    assert reader.scroll_y <= top < reader.scroll_y + reader.scrollable_content_region.height


def own_reporting_node(tree: SourceTree):  # type: ignore[no-untyped-def]
    """The sidebar node of the paper's own reporting (来源 › 本报)."""
    return next(
        n
        for n in tree.root.children[1].children
        if n.data and n.data.selection and n.data.selection.value == "本报"
    )


def screen(app: SwreaderApp) -> MainScreen:
    """The app's main screen."""
    main = app.screen
    assert isinstance(main, MainScreen)
    return main


async def open_title(pilot: Pilot, fragment: str) -> ReaderView:
    """Open the article whose title contains ``fragment``, and check the reader shows it."""
    reader = await _open_title(pilot, fragment)
    assert reader.article is not None and fragment in reader.article.title
    return reader


async def search(pilot: Pilot, query: str) -> SearchScreen:
    """Open the search box with ``/``, type ``query`` key by key, wait for the results."""
    await pilot.press("slash")
    box = pilot.app.screen
    assert isinstance(box, SearchScreen)
    await pilot.press(*query)
    await settle(pilot)
    return box
