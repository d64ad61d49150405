"""Driving the app headless with Pilot: shared by the tests, the screenshots and the bench.

Kept in the package (not in ``tests/``) so that ``python -m swreader.screenshots`` and the
benchmarks use the very same steps as the tests instead of copies of them.
"""

from __future__ import annotations

from textual.pilot import Pilot

from swreader.widgets.article_list import ArticleList
from swreader.widgets.reader import ReaderView

__all__ = ["open_title", "settle"]


async def settle(pilot: Pilot) -> None:
    """Wait until workers (loading, converting) are done and the screen has refreshed."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_title(pilot: Pilot, fragment: str) -> ReaderView:
    """Open the article whose title contains ``fragment`` through the article list.

    Raises:
        StopIteration: No listed article has ``fragment`` in its title.
    """
    articles = pilot.app.screen.query_one(ArticleList)
    ids = [a.id for a in articles._articles]
    target = next(a.id for a in articles._articles if fragment in a.title)
    articles.focus()
    articles.highlighted = ids.index(target)
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen.query_one(ReaderView)
