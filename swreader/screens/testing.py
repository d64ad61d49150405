"""Driving the app headless with Pilot: shared by the tests, the screenshots and the bench.

Kept in the package (not in ``tests/``) so that ``python -m swreader.screenshots`` and the
benchmarks use the very same steps as the tests instead of copies of them.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.worker import WorkerState

from swreader.widgets.article_list import ArticleList
from swreader.widgets.reader import ReaderView

__all__ = ["open_title", "settle"]


async def settle(pilot: Pilot, *, rounds: int = 3, most: int = 30) -> None:
    """Wait until workers (loading, converting) are done and the screen has refreshed.

    A worker's message can start another worker (the figures view reads its first rows
    once the store is there): at least ``rounds`` rounds, then on until two rounds in a
    row end with no worker left, at most ``most``.
    """
    quiet = 0
    for n in range(most):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if n + 1 >= rounds and quiet >= 2:
            return


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
