"""The main screen's figures view: `F` opens it, a figure chosen there opens its article.

A part of :class:`~swreader.screens.main.MainScreen` (a mixin, so the screen stays the one
that decides). The view gets its rows from a callable run in a worker: today
:func:`selection_rows` over the selected articles' figures; the figure store can take its
place without the view changing. The view follows the screen's script, and its `t` is the
screen's own toggle.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.message_pump import MessagePump

from swreader import strings
from swreader.core.pages import facets
from swreader.core.pages.facets import Filter
from swreader.core.pages.figtable import FigureRow, figure_rows
from swreader.core.pages.model import Article
from swreader.core.store.figurestore import FigureStore
from swreader.screens.figures_view import FigureRowChosen, FiguresScreen
from swreader.widgets.messages import FiguresStored
from swreader.widgets.reader import ReaderView

if TYPE_CHECKING:
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


def stored_rows(store: FigureStore, sig: str, ids: Collection[str] | None) -> list[FigureRow]:
    """The stored figures of the articles ``ids`` (``None``: all), in reading order."""
    return store.rows(sig, article_ids=ids)


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
        """Keep the store the loading worker filled, for the next `F`."""
        self.figure_store = (message.store, message.signature)

    def action_figures_view(self) -> None:
        """Every figure of the selected articles, to sort, filter and chart."""
        selection = self.selection
        marks = self._bookmarked() if selection.kind == "bookmarks" else set()
        if self.figure_store is not None:
            # Stored at indexing: read, not computed (~90 µs a figure).
            store, sig = self.figure_store
            every = selection.kind == "all"
            ids = (
                None
                if every
                else [a.id for a in facets.select(self.corpus.articles, selection, marks)]
            )
            load = partial(stored_rows, store, sig, ids)
        else:  # still being stored: computed from the articles, in the view's worker
            load = partial(selection_rows, self.corpus.articles, selection, marks)
        scope = strings.describe(selection, self.ui, self.script)
        screen = FiguresScreen(load, script=self.script, ui=self.ui, scope=scope, owner=self)
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
