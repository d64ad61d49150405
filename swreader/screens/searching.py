"""The main screen's search: the box over the current view, then walking its matches.

A part of :class:`~swreader.screens.main.MainScreen` (a mixin, so the screen stays the one
that decides): `/` opens the box, Enter lands on a match, `n`/`N` walk them in rank order,
and the status bar says ``匹配 1/33 “社工站”`` until the search is left (`esc`, a new filter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from swreader import strings
from swreader.core.pages import facets
from swreader.core.search.query import Hit
from swreader.screens.search import SearchOutcome, SearchScreen
from swreader.widgets.statusbar import StatusBar

if TYPE_CHECKING:
    from swreader.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


class SearchActions(_Base):
    """`/`, `n`, `N` and `esc` of the main screen."""

    hits: list[Hit]
    hit_index: int
    last_query: str
    #: The search box while it is open (to hand it an index that comes after it opened).
    _box: SearchScreen | None = None

    def action_search(self) -> None:
        """Open the search box over the current view (while indexing too: it waits)."""
        screen = SearchScreen(
            self.index,
            script=self.script,
            selection_ids=self._selected_ids(),
            selection_label=strings.describe(self.selection, self.ui, self.script),
            recent=self.store.recent_queries(),
            query=self.last_query,
            ui=self.ui,
        )
        self._box = screen
        self.app.push_screen(screen, self._searched)

    def _selected_ids(self) -> set[str] | None:
        """Ids of the articles under the current sidebar node (the box's "within").

        ``None`` under 全部, the whole archive: nothing to filter by. Listing its ids took
        the UI thread 0.6 s at 100k as `/` was pressed, and each search then made a set of
        them all.
        """
        if self.selection.kind == "all":
            return None
        marks = self._bookmarked()
        return {a.id for a in facets.select(self.corpus.articles, self.selection, marks)}

    def _offer_index(self) -> None:
        """Hand the index to a box opened while it loaded, with the selection read again
        (the box may have been opened on part of the archive)."""
        box = self._box
        if box is not None and box.is_attached and self.index is not None:
            box.selection_ids = self._selected_ids()
            box.index = self.index

    def _searched(self, outcome: SearchOutcome | None) -> None:
        self._box = None
        if self.index is not None:  # damage the index met while searching: said once
            for notice in self.index.notices[self._index_notices :]:
                title = self._text("notice.library")
                self.notify(notice, title=title, severity="warning", timeout=10)
            self._index_notices = len(self.index.notices)
        if outcome is None:
            return
        self.store.add_query(outcome.query)
        self.last_query = outcome.query
        self.hits, self.hit_index = outcome.hits, outcome.index
        self.refresh_bindings()  # `esc` leaves the search now
        self._open_hit()

    def _open_hit(self) -> None:
        hit = self.hits[self.hit_index]
        matches = {hit.paragraph: list(hit.spans)} if hit.paragraph >= 0 else {}
        anchor = (hit.paragraph, hit.start) if hit.paragraph >= 0 else (0, 0)
        self.open_article(hit.article_id, anchor, matches)
        self.query_one(StatusBar).match = (self.hit_index + 1, len(self.hits), self.last_query)

    def action_leave_search(self) -> None:
        """Stop walking the search matches (`esc`); `/` opens the search again."""
        if self.hits:
            self.hits, self.hit_index = [], 0
            self.query_one(StatusBar).match = None
            self.refresh_bindings()

    def action_next_match(self) -> None:
        """Go to the next search match, across articles, in rank order."""
        self._step_match(1)

    def action_prev_match(self) -> None:
        """Go to the previous search match."""
        self._step_match(-1)

    def _step_match(self, delta: int) -> None:
        if not self.hits:
            self.notify(self._text("notice.no_search"), severity="warning")
            return
        self.hit_index = (self.hit_index + delta) % len(self.hits)
        self._open_hit()
