"""The reader pane: the article's header and its paragraphs, in the chosen script."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import get_current_worker

from swreader import strings
from swreader.core.pages.facets import OWN_REPORTING
from swreader.core.pages.model import Article
from swreader.core.pages.present import Shown, present
from swreader.core.text.convert import SCRIPTS, detect_script, ready
from swreader.screens import commands
from swreader.widgets.messages import ArticleRendered, ArticleShown, ScriptPrepared
from swreader.widgets.paragraph import MEASURE, HeaderView, ParagraphView, prewrap


class ReaderView(VerticalScroll, can_focus=True):
    """Shows one article. Conversion runs in a thread worker; the result comes by message."""

    BINDINGS = commands.READER

    script: reactive[str] = reactive("original")
    ui: reactive[str] = reactive(strings.DEFAULT_UI)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.article: Article | None = None
        self.shown: Shown | None = None
        self.matches: dict[int, list[tuple[int, int]]] = {}
        self.figure_index: int | None = None
        self._prepared: dict[str, Shown] = {}
        #: The script the open article's page is written in (see :class:`ArticleShown`).
        self.page_script = "unknown"

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(strings.text("reader.empty", self.ui), id="reader-empty")

    def watch_ui(self) -> None:
        """The header's labels (记者, 来源) and the empty pane are the interface's."""
        for empty in self.query("#reader-empty").results(Static):
            empty.update(strings.text("reader.empty", self.ui))
        if self.shown is not None and self.query(HeaderView):
            self.query_one(HeaderView).lines = self._header(self.shown).lines
            self.query_one(HeaderView).refresh(layout=True)

    # -- showing -----------------------------------------------------------------------
    def open(
        self,
        article: Article,
        anchor: tuple[int, int] | None = None,
        matches: dict[int, list[tuple[int, int]]] | None = None,
    ) -> None:
        """Show ``article``, scrolled to ``anchor`` = (paragraph, original offset)."""
        self.article = article
        self.matches = matches or {}
        self.figure_index = None
        self._prepared = {}
        self._convert_article(article, self.script, anchor, self.matches, self._widths())

    def watch_script(self, old: str, new: str) -> None:
        """Show the new script, keeping the same paragraph in view.

        The worker has usually prepared every script of the open article already; then
        the switch is a cheap in-place update. Otherwise the worker converts it.
        """
        if self.article is None or old == new:
            return
        anchor = self.position()
        prepared = self._prepared.get(new)
        if prepared is not None and self.shown is not None:
            self._update_in_place(prepared, anchor)
        else:
            self._convert_article(self.article, new, anchor, self.matches, self._widths())

    def _widths(self) -> tuple[int, ...]:
        """The content widths a paragraph may get here, for the worker to wrap ahead.

        With and without the vertical scrollbar (it comes with the long article), and less
        the padding of captions and list items.
        """
        width = self.scrollable_content_region.width
        if width <= 0:
            return (MEASURE,)  # not laid out yet: assume a wide pane
        bar = self.styles.scrollbar_size_vertical
        other = width + bar if self.show_vertical_scrollbar else width - bar
        return (width, width - 2, other, other - 2)

    @work(thread=True, exclusive=True, group="reader-render")
    def _convert_article(
        self,
        article: Article,
        script: str,
        anchor: tuple[int, int] | None,
        matches: dict[int, list[tuple[int, int]]],
        widths: tuple[int, ...],
    ) -> None:
        # Runs in a thread: pure core work only, the results go back by message. Long
        # paragraphs are wrapped here too, so the UI thread's first paint finds them wrapped.
        shown = present(article, script, matches)
        prewrap(shown.paragraphs, widths)
        sample = "\n".join([article.title, *(p.text for p in article.paragraphs[:20])])
        self.post_message(ArticleRendered(shown, anchor, detect_script(sample)))
        # Then prepare the other scripts, so that a toggle needs no conversion at all:
        # those whose converter is built (building one holds the GIL for ~0.1 s, from the
        # first search of a start, say); a toggle converts the others when asked.
        worker = get_current_worker()
        for other in SCRIPTS:
            if worker.is_cancelled:
                return
            if not ready(other):
                continue
            prepared = present(article, other, matches)
            prewrap(prepared.paragraphs, widths)
            self.post_message(ScriptPrepared(prepared))

    @on(ScriptPrepared)
    def _prepared(self, message: ScriptPrepared) -> None:
        message.stop()
        if self.article is not None and message.shown.article_id == self.article.id:
            self._prepared[message.shown.script] = message.shown

    @on(ArticleRendered)
    async def _rendered(self, message: ArticleRendered) -> None:
        message.stop()
        if self.article is None or message.shown.article_id != self.article.id:
            return
        self.page_script = message.page_script
        if message.shown.script != self.script:
            return  # the user toggled again meanwhile
        if self.shown is not None and self.shown.article_id == message.shown.article_id:
            self._update_in_place(message.shown, message.anchor)
            return
        self.shown = message.shown
        with self.app.batch_update():
            await self.remove_children()
            await self.mount_all([self._header(message.shown), *self._paragraphs(message.shown)])
        self.call_after_refresh(self.scroll_to_anchor, *(message.anchor or (0, 0)), False)
        self.post_message(ArticleShown(message.shown, self.page_script))

    def _update_in_place(self, shown: Shown, anchor: tuple[int, int] | None) -> None:
        """Same article in another script: swap the text into the existing widgets."""
        self.shown = shown
        views = self.paragraph_views()
        self.query_one(HeaderView).lines = self._header(shown).lines
        for view, paragraph in zip(views, shown.paragraphs, strict=True):
            view.paragraph = paragraph
            view.refresh(layout=True)
        self.query_one(HeaderView).refresh(layout=True)
        self.refresh(layout=True)
        self.call_after_refresh(self.scroll_to_anchor, *(anchor or (0, 0)), False)
        if self.figure_index is not None:
            self.call_after_refresh(self.goto_figure, self.figure_index)
        self.post_message(ArticleShown(shown, self.page_script))

    def _header(self, shown: Shown) -> HeaderView:
        lines = []
        if shown.kicker:
            lines.append(Text(shown.kicker, style="bold reverse"))
        lines.append(Text(shown.title, style="bold"))
        if shown.subtitle:
            lines.append(Text(shown.subtitle, style="italic"))
        meta = []
        if shown.byline:
            meta.append(strings.text("reader.byline", self.ui, value=shown.byline))
        own = strings.data_label(OWN_REPORTING, self.ui, shown.script)
        meta.append(strings.text("reader.source", self.ui, value="、".join(shown.sources) or own))
        if shown.region:
            meta.append(shown.region)
        if shown.date:
            meta.append(shown.date)
        lines.append(Text(" · ".join(meta), style="dim"))
        return HeaderView(lines, id="reader-header")

    def _paragraphs(self, shown: Shown) -> list[ParagraphView]:
        return [ParagraphView(p, n) for n, p in enumerate(shown.paragraphs)]

    # -- positions ---------------------------------------------------------------------
    def paragraph_views(self) -> list[ParagraphView]:
        """The paragraph widgets, in order."""
        return list(self.query(ParagraphView))

    def position(self) -> tuple[int, int] | None:
        """(paragraph, original offset) of the first line in view, or ``None``."""
        views = self.paragraph_views()
        if not views or self.shown is None:
            return None
        top = self.scroll_y
        for view in views:
            region = view.virtual_region
            if region.y + region.height > top:
                line = max(0, int(top - region.y))
                ranges = view.line_ranges()
                start = ranges[min(line, len(ranges) - 1)][0] - view._offset()
                return view.index, view.paragraph.to_original(max(0, start))
        return views[-1].index, 0

    def scroll_to_anchor(self, paragraph: int, offset: int, animate: bool = False) -> None:
        """Scroll so that the line holding ``offset`` of ``paragraph`` is at the top."""
        views = self.paragraph_views()
        if not views:
            return
        view = views[max(0, min(paragraph, len(views) - 1))]
        if paragraph == 0 and offset == 0:
            self.scroll_home(animate=animate)
            return
        line = view.line_of(view.paragraph.to_shown(offset))
        self.scroll_to(y=view.virtual_region.y + line, animate=animate, immediate=True)

    # -- figures -----------------------------------------------------------------------
    def goto_figure(self, index: int) -> None:
        """Highlight figure ``index`` and bring it into view."""
        if self.shown is None or not self.shown.figures:
            return
        index %= len(self.shown.figures)
        self.figure_index = index
        n, span = self.shown.figures[index]
        views = self.paragraph_views()
        for view in views:
            view.set_current((span.start, span.end) if view.index == n else None)
        view = views[n]
        line = view.line_of(span.start)
        top = view.virtual_region.y + line
        if not (self.scroll_y <= top < self.scroll_y + self.scrollable_content_region.height):
            self.scroll_to(y=max(0, top - 2), animate=False, immediate=True)

    def step_figure(self, delta: int) -> int | None:
        """Go to the next (``delta=1``) or previous (``-1``) figure; return its index."""
        if self.shown is None or not self.shown.figures:
            return None
        if self.figure_index is None:
            index = 0 if delta > 0 else len(self.shown.figures) - 1
        else:
            index = self.figure_index + delta
        self.goto_figure(index)
        return self.figure_index
