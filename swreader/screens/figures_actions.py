"""The main screen's figures view: `F` opens it, a figure chosen there opens its article.

A part of :class:`~swreader.screens.main.MainScreen` (a mixin, so the screen stays the one
that decides). The view reads its rows a page at a time from a source
(:mod:`~swreader.core.store.figurepages`): the figure store once the loading worker has
filled it, else the selected articles' figures computed in the view's worker
(:func:`selection_rows`). The view follows the screen's script, and its `t` is the screen's
own toggle.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.message_pump import MessagePump

from swreader import strings
from swreader.core.pages import facets
from swreader.core.pages.facets import Filter
from swreader.core.pages.figtable import FigureRow, figure_rows
from swreader.core.pages.model import Article
from swreader.core.store.figurepages import FigureSource, MemorySource, StoreSource
from swreader.core.store.figurestore import DamagedFigures, FigureStore
from swreader.widgets.messages import FiguresLost, FiguresStored, Noticed
from swreader.widgets.reader import ReaderView

if TYPE_CHECKING:
    from swreader.screens.figures_view import FigureRowChosen
    from swreader.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


def selection_rows(
    articles: Sequence[Article], selection: Filter, bookmarks: Collection[str] = ()
) -> list[FigureRow]:
    """Every figure of the articles under ``selection``, in reading order.

    Runs in the view's worker: the bodies of deferred articles are read here.
    """
    return [
        row
        for article in facets.select(articles, selection, bookmarks)
        for row in figure_rows(article)
    ]


def _unreadable(err: Exception) -> str:
    return f"library: the stored figures cannot be read ({err})"


def _warm(screen: MessagePump, store: FigureStore, sig: str) -> None:
    """Read one row of the set ``sig``, so that its articles' columns are kept for the view."""
    try:
        store.rows(sig, limit=1)
    except (DamagedFigures, KeyError, sqlite3.Error) as err:  # the view would meet it too
        screen.post_message(Noticed(_unreadable(err)))


def _lost(screen: MessagePump, store: FigureStore, sig: str, err: Exception, damaged: bool) -> None:
    """The view's source met ``err`` reading the store (in the view's worker)."""
    if damaged:  # forgotten, so the next start stores the figures anew
        try:
            store.forget(sig)
        except sqlite3.Error as again:
            err = again
    screen.post_message(FiguresLost(_unreadable(err)))


def _closed(screen: MessagePump, chosen: FigureRowChosen | None) -> None:
    """The view was closed; a figure chosen there comes back to ``screen`` as its message."""
    if chosen is not None:
        screen.post_message(chosen)


class FiguresActions(_Base):
    """`F` of the main screen, and the article opened at the figure chosen in the view."""

    #: The figures stored in the library, once the loading worker has them.
    figure_store: tuple[FigureStore, str] | None = None

    # By name, not @on: a mixin is no MessagePump, so its decorated handlers are not seen.
    def on_figures_stored(self, message: FiguresStored) -> None:
        """Keep the store the loading worker filled, for the next `F`; read its articles now."""
        self.figure_store = (message.store, message.signature)
        # The first read of a set builds its articles' columns (~80 ms at 10,000 articles):
        # done now, in the background, rather than when the first `F` waits for it.
        warm = partial(_warm, self, message.store, message.signature)
        self.run_worker(warm, thread=True, group="figures-warm")

    def on_figures_lost(self, message: FiguresLost) -> None:
        """The stored figures failed: say so; views compute them from the articles."""
        self.figure_store = None
        self.notify(message.text, title=self._text("notice.library"), severity="warning")

    def action_figures_view(self) -> None:
        """Every figure of the selected articles, to sort, filter and chart."""
        # Imported here: the view and its chart (plotext) cost ~0.15 s of every start.
        from swreader.screens.figures_view import FiguresScreen

        selection = self.selection
        marks = self._bookmarked() if selection.kind == "bookmarks" else set()
        computed = MemorySource(partial(selection_rows, self.corpus.articles, selection, marks))
        source: FigureSource = computed
        if self.figure_store is not None:
            # Stored at indexing: read a page at a time, not computed (~90 µs a figure).
            store, sig = self.figure_store
            every = selection.kind == "all"
            ids = (
                None
                if every
                else [a.id for a in facets.select(self.corpus.articles, selection, marks)]
            )
            lost = partial(_lost, self, store, sig)
            source = StoreSource(store, sig, ids, fallback=computed, on_loss=lost)
        # else still being stored: computed from the articles, in the view's first worker
        scope = strings.describe(selection, self.ui, self.script)
        screen = FiguresScreen(source, script=self.script, ui=self.ui, scope=scope, owner=self)
        self.app.push_screen(screen, partial(_closed, self))

    def on_figure_row_chosen(self, message: FigureRowChosen) -> None:
        """Open the article at the figure, the figure highlighted as a match."""
        message.stop()
        span = (message.start, message.end)
        self.open_article(
            message.article_id, (message.paragraph, message.start), {message.paragraph: [span]}
        )
        for reader in self.query(ReaderView):
            reader.focus()
