"""The main screen: sidebar, article list, reader and figures; it owns the reading state."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import LoadingIndicator, ProgressBar

from swreader import strings
from swreader.core.pages import facets
from swreader.core.pages.corpus import Corpus, Page, display_path
from swreader.core.pages.facets import Filter, Groups
from swreader.core.pages.model import Article
from swreader.core.search.engine import SearchIndex
from swreader.core.search.query import Hit
from swreader.core.store.userstate import Position, StateStore
from swreader.screens import commands
from swreader.screens.commands import TRADITIONAL_FORMS, ArticleCommands
from swreader.screens.figures_actions import FiguresActions
from swreader.screens.language import LanguageActions
from swreader.screens.loading import load_library, same_pages
from swreader.screens.page import PageScreen
from swreader.screens.searching import SearchActions
from swreader.widgets.article_list import ArticleList
from swreader.widgets.figures import FiguresPanel
from swreader.widgets.footer import KeyFooter
from swreader.widgets.messages import (
    ArticleChosen,
    ArticleShown,
    CorpusLoaded,
    FigureChosen,
    FilterSelected,
    IndexReady,
    Noticed,
    PagesParsed,
    StateNotice,
)
from swreader.widgets.reader import ReaderView
from swreader.widgets.sidebar import SourceTree
from swreader.widgets.statusbar import StatusBar

#: Least seconds between two refreshes of the sidebar and list while an archive loads...
_REFRESH_EVERY = 3.0
#: ...and how many times the last refresh's duration the wait is, when that is longer.
_REFRESH_WAIT = 10
#: Least seconds between refreshes for a doubling: a warm open doubles every ~0.1 s, and
#: each refresh (sidebar and list redrawn) takes the GIL from the loader that is filling them.
_DOUBLING_GAP = 1.0


class MainScreen(SearchActions, LanguageActions, FiguresActions, Screen[None]):
    """Coordinates the widgets: they report, this screen decides."""

    BINDINGS = commands.MAIN
    COMMANDS = Screen.COMMANDS | {ArticleCommands}

    script: reactive[str] = reactive("original")
    ui: reactive[str] = reactive(strings.DEFAULT_UI)
    selection: reactive[Filter] = reactive(Filter)

    def __init__(
        self,
        paths: list[Path],
        store: StateStore,
        script: str = "original",
        ui: str = strings.DEFAULT_UI,
        idle: Callable[[], float] | None = None,
    ) -> None:
        super().__init__()
        self.paths = paths
        #: Seconds since the user's last input: the loader waits for a pause before work
        #: that keeps the GIL in long calls (none given: never waits).
        self.idle = idle
        self.store = store
        preferred = store.get_setting("preferred_traditional")
        #: The traditional form `t` goes to from 简体 (the last one the reader chose).
        self.preferred = preferred if preferred in TRADITIONAL_FORMS else "traditional"
        #: The open article's own script, which decides where `t` goes from the original.
        self.page_script = "unknown"
        #: Set when the app quits, so the loading worker stops within a batch.
        self.cancel = threading.Event()
        self._index_notices = 0
        # Set before mounting: the session's choices are stored only when the reader changes them.
        self.set_reactive(MainScreen.script, script)
        self.set_reactive(MainScreen.ui, ui)
        self.corpus = Corpus()
        self.by_id: dict[str, Article] = {}
        self.pages_by_stem: dict[str, Page] = {}
        self.index: SearchIndex | None = None
        self.hits: list[Hit] = []
        self.hit_index = 0
        self.last_query = ""
        self._last_refresh = 0.0  # when the last refresh ended, what it took, what it showed
        self._refresh_cost = 0.0
        self._shown_pages = 0
        #: A corpus was loaded once: a second one (the files changed behind the snapshot
        #: shown first) updates the list and leaves the reader and the focus alone.
        self._settled = False

    @property
    def articles(self) -> list[Article]:
        """Every article, in page order (for the palette's article finder)."""
        return self.corpus.articles

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield SourceTree(id="sidebar")
            with Vertical(id="main"):
                yield ArticleList(id="articles")
                with Horizontal(id="reading"):
                    yield ReaderView(id="reader").data_bind(MainScreen.script, MainScreen.ui)
                    yield FiguresPanel(id="figures").data_bind(MainScreen.ui)
        yield LoadingIndicator(id="loading")
        yield ProgressBar(id="progress", show_eta=True)
        yield StatusBar(id="status").data_bind(
            MainScreen.script, MainScreen.ui, MainScreen.selection
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(SourceTree).data_bind(MainScreen.script, MainScreen.ui)
        self.query_one(ArticleList).data_bind(MainScreen.script, MainScreen.ui)
        self._relabel()
        self.query_one(FiguresPanel).display = False
        self.query_one(ProgressBar).display = False
        # A write that fails later (the file locked, the disk full) is said when it happens:
        # bookmarks made after it would otherwise be lost at exit without a word.
        self._state_notices = self.store.follow_notices(
            lambda text: self.post_message(StateNotice(text))
        )
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Open the pages through the library in a thread (:func:`load_library`)."""
        load_library(self.post_message, self.paths, self.cancel, self.idle)

    @on(PagesParsed)
    def _parsed(self, message: PagesParsed) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = message.total > 0 and message.done < message.total
        bar.update(total=message.total, progress=message.done)
        if not message.pages:
            return  # pages read anew behind a snapshot on screen: the bar only
        self.corpus.pages.extend(message.pages)
        self.pages_by_stem.update((p.stem, p) for p in message.pages)
        self.by_id.update((a.id, a) for p in message.pages for a in p.articles)
        if message.groups is None:
            return  # drawn with the whole corpus, which comes next
        # The first batch at once; then when the archive has doubled and a second has passed
        # (at most log2(n) refreshes, together costing under twice the last), or after
        # max(3 s, 10 x the last refresh's time): under 1/11 of the UI thread however slow a
        # refresh gets. (A fixed 3 s let a refresh longer than that start the next at once:
        # 74 of them at 100k.)
        wait = max(_REFRESH_EVERY, _REFRESH_WAIT * self._refresh_cost)
        since = time.monotonic() - self._last_refresh
        doubled = len(self.corpus.pages) >= 2 * self._shown_pages
        if not self._shown_pages or (doubled and since >= _DOUBLING_GAP) or since >= wait:
            self._show_corpus(message.groups)

    def _show_corpus(self, groups: Groups) -> None:
        """Show the pages read so far: the sidebar's counts and the selected articles."""
        start = time.monotonic()
        # The list is there from now on, and the bar says how far the rest has come: the
        # indicator's dots covered three of its rows, redrawn 16 times a second until the
        # whole corpus came (the UI thread's time, at 100k, while the loader needed the GIL).
        self.query_one("#loading").display = False
        marks = self.store.bookmarks()
        self.query_one(SourceTree).populate(groups, len(marks))
        self._refresh_list({b.article_id for b in marks})
        self._shown_pages = len(self.corpus.pages)
        self._last_refresh = time.monotonic()
        self._refresh_cost = self._last_refresh - start

    @on(CorpusLoaded)
    def _loaded(self, message: CorpusLoaded) -> None:
        shown, self.corpus = self.corpus.pages, message.corpus
        if not same_pages(shown, self.corpus.pages):  # else both maps are complete already
            self.by_id = {a.id: a for a in self.corpus.articles}
            self.pages_by_stem = {p.stem: p for p in self.corpus.pages}
        self.query_one("#loading").display = False
        self.query_one(ProgressBar).display = False
        self._show_corpus(message.groups)  # always: the last batches may not be shown yet
        skipped = self._text("notice.skipped")
        for path, reason in self.corpus.problems:
            text = f"{display_path(path)}: {reason}"
            self.notify(text, title=skipped, severity="warning", timeout=8)
        notices = message.notices if self._settled else [*self._state_notices, *message.notices]
        for notice in notices:
            self.notify(notice, title=self._text("notice.state"), severity="warning", timeout=10)
        if self._settled:
            return  # the archive read anew behind its snapshot: the reader stays where it is
        self._settled = True
        last = self.store.last_position()
        listing = self.query_one(ArticleList)
        if last and last.article_id in self.by_id:
            self.open_article(last.article_id, (last.paragraph, last.offset))
            self.query_one(ReaderView).focus()
        else:
            # A first launch: the first article is open, not an empty pane.
            if listing.current_id is not None:
                self.open_article(listing.current_id)
            listing.focus()

    @on(Noticed)
    def _noticed(self, message: Noticed) -> None:
        self.notify(message.text, title=self._text(message.title), severity="warning", timeout=10)

    def on_unmount(self) -> None:
        self.cancel.set()
        self.store.follow_notices(None)

    @on(StateNotice)
    def _state_notice(self, message: StateNotice) -> None:
        self.notify(message.text, title=self._text("notice.state"), severity="error", timeout=15)

    @on(IndexReady)
    def _index_ready(self, message: IndexReady) -> None:
        self.index = message.index
        self._offer_index()
        # The corpus and index live as long as the app: move them out of the collector's
        # reach, so a periodic full collection never stalls a keystroke (~130 ms at 10k).
        gc.freeze()

    # -- state flowing down ------------------------------------------------------------
    def _text(self, key: str, **fields: object) -> str:
        return strings.text(key, self.ui, **fields)

    def watch_script(self, script: str) -> None:
        self.store.set_setting("script", script)
        self._relabel_keys()

    def watch_ui(self) -> None:
        self._relabel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`esc` leaves a search only while there is one (and shows only then)."""
        return bool(self.hits) if action == "leave_search" else True

    def watch_selection(self, selection: Filter) -> None:
        self._refresh_list()

    def _bookmarked(self) -> set[str]:
        """Ids of the bookmarked articles."""
        return {b.article_id for b in self.store.bookmarks()}

    def _refresh_list(self, marks: set[str] | None = None) -> None:
        store = self.store
        marks = self._bookmarked() if marks is None else marks
        shown = facets.select(self.corpus.articles, self.selection, marks)
        self.query_one(ArticleList).show(shown, store.read_ids(), marks)
        self.query_one(StatusBar).count = len(shown)

    # -- messages from the widgets -----------------------------------------------------
    @on(FilterSelected)
    def _filter(self, message: FilterSelected) -> None:
        selection = message.selection
        if selection.kind == "page":
            page = self.pages_by_stem.get(selection.value)
            if page is not None and not page.articles:
                # Nothing to list: show what the file holds instead.
                self.app.push_screen(PageScreen(page, self.ui))
                return
        self.action_leave_search()  # a new filter ends the search being walked
        self.selection = selection

    @on(ArticleChosen)
    def _chosen(self, message: ArticleChosen) -> None:
        anchor = None
        if self.selection.kind == "bookmarks":
            # Opened from the bookmarks: go to the bookmarked paragraph.
            marks = {b.article_id: b for b in self.store.bookmarks()}
            mark = marks.get(message.article_id)
            anchor = (mark.paragraph, 0) if mark else None
        self.open_article(message.article_id, anchor)
        self.query_one(ReaderView).focus()

    @on(ArticleShown)
    def _shown(self, message: ArticleShown) -> None:
        self.query_one(FiguresPanel).show(message.shown)
        self.query_one(StatusBar).figures = len(message.shown.figures)
        if message.page_script != self.page_script:
            self.page_script = message.page_script
            self._relabel_keys()

    @on(FigureChosen)
    def _figure(self, message: FigureChosen) -> None:
        self.query_one(ReaderView).goto_figure(message.index)

    # -- actions -----------------------------------------------------------------------
    def open_article(
        self,
        article_id: str,
        anchor: tuple[int, int] | None = None,
        matches: dict[int, list[tuple[int, int]]] | None = None,
    ) -> None:
        """Open an article in the reader and remember it as read."""
        article = self.by_id.get(article_id)
        if article is None:
            return
        self.save_position()
        self.query_one(ReaderView).open(article, anchor, matches)
        store = self.store
        store.mark_read(article_id)
        store.save_position(Position(article_id, *(anchor or (0, 0))))
        self.query_one(ArticleList).mark(store.read_ids(), self._bookmarked())

    def save_position(self) -> None:
        """Store the reader's position (paragraph and offset, script-independent)."""
        readers = self.query(ReaderView)
        if not readers:
            return
        reader = readers.first()
        pos = reader.position()
        if reader.article is not None and pos is not None:
            self.store.save_position(Position(reader.article.id, *pos))

    def action_toggle_sidebar(self) -> None:
        """Show or hide the sidebar."""
        sidebar = self.query_one(SourceTree)
        sidebar.display = not sidebar.display

    def action_toggle_figures(self) -> None:
        """Show or hide the figures panel."""
        panel = self.query_one(FiguresPanel)
        panel.display = not panel.display
        if panel.display:
            panel.focus()

    def action_next_figure(self) -> None:
        """Jump to the next key figure."""
        self._step_figure(1)

    def action_prev_figure(self) -> None:
        """Jump to the previous key figure."""
        self._step_figure(-1)

    def _step_figure(self, delta: int) -> None:
        index = self.query_one(ReaderView).step_figure(delta)
        if index is not None:
            self.query_one(FiguresPanel).highlighted = index

    def action_toggle_bookmark(self) -> None:
        """Bookmark the article being read (or remove the bookmark)."""
        reader = self.query_one(ReaderView)
        if reader.article is None:
            self.notify(self._text("notice.open_first"), severity="warning")
            return
        pos = reader.position() or (0, 0)
        store = self.store
        on = store.toggle_bookmark(reader.article.id, pos[0], reader.article.title)
        self.notify(self._text("notice.bookmarked" if on else "notice.unbookmarked"))
        marks = store.bookmarks()
        self.query_one(SourceTree).set_bookmark_count(len(marks))
        self.query_one(ArticleList).mark(store.read_ids(), {b.article_id for b in marks})
        if self.selection.kind == "bookmarks":
            self._refresh_list()

    def action_view_page(self) -> None:
        """Show the original text of the current article's page."""
        reader = self.query_one(ReaderView)
        page = None
        if reader.article is not None:
            page = self.pages_by_stem.get(reader.article.page)
        elif self.corpus.pages:
            page = self.corpus.pages[0]
        if page is not None:
            self.app.push_screen(PageScreen(page, self.ui))
