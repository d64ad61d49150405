"""The article list: title, region and source; read articles dimmed.

A virtual list (Textual's line API): only the rows on screen are rendered, so showing or
re-scripting 10,000 articles costs the same as 15.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from swreader import strings
from swreader.core.pages.facets import OWN_REPORTING
from swreader.core.pages.model import Article
from swreader.core.text.convert import convert
from swreader.screens import commands
from swreader.widgets.messages import ArticleChosen

ROW = 2  # lines per article: title, then region and source


class ArticleList(ScrollView, can_focus=True):
    """Lists articles; choosing one posts :class:`ArticleList.ArticleChosen`."""

    BINDINGS = commands.ARTICLE_LIST

    COMPONENT_CLASSES = {"article-list--cursor", "article-list--meta", "article-list--read"}

    DEFAULT_CSS = """
    ArticleList { overflow-x: hidden; }
    ArticleList > .article-list--cursor { background: $block-cursor-blurred-background; }
    ArticleList:focus > .article-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    ArticleList > .article-list--meta { color: $text-muted; text-style: italic; }
    ArticleList > .article-list--read { color: $text-disabled; }
    """

    script: reactive[str] = reactive("original")
    ui: reactive[str] = reactive(strings.DEFAULT_UI)
    highlighted: reactive[int | None] = reactive(None)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._articles: list[Article] = []
        self._read: set[str] = set()
        self._bookmarked: set[str] = set()

    # -- data --------------------------------------------------------------------------
    @property
    def option_count(self) -> int:
        """How many articles are listed."""
        return len(self._articles)

    @property
    def current_id(self) -> str | None:
        """The id of the highlighted article, if any."""
        if self.highlighted is None or not self._articles:
            return None
        return self._articles[self.highlighted].id

    def show(self, articles: list[Article], read: set[str], bookmarked: set[str]) -> None:
        """Show ``articles``; keep the highlight on the same article when it is still listed."""
        current, row = self.current_id, self.highlighted
        self._articles, self._read, self._bookmarked = articles, set(read), set(bookmarked)
        self.virtual_size = Size(1, len(articles) * ROW)
        self.highlighted = self._row_of(current, row) if articles else None
        self.refresh()

    def _row_of(self, article_id: str | None, hint: int | None) -> int:
        """The row of ``article_id`` (0 if it is not listed), looked for at ``hint`` first.

        While an archive loads the list only grows at its end, so the highlighted article
        is still on its row: no need to index 100,000 ids at every refresh.
        """
        articles = self._articles
        if hint is not None and hint < len(articles) and articles[hint].id == article_id:
            return hint
        if article_id is None:
            return 0
        return next((n for n, a in enumerate(articles) if a.id == article_id), 0)

    def mark(self, read: set[str], bookmarked: set[str]) -> None:
        """Refresh read and bookmark marks."""
        self._read, self._bookmarked = set(read), set(bookmarked)
        self.refresh()

    def row_text(self, n: int) -> str:
        """The two lines of row ``n`` as plain text (in the current script)."""
        title, meta = self._lines(self._articles[n])
        return f"{title}\n{meta}"

    def _lines(self, article: Article) -> tuple[str, str]:
        script = self.script
        region = convert(article.region_label, script) if article.region_label else "—"
        if article.sources:
            source = convert("、".join(article.sources), script)
        else:
            source = strings.data_label(OWN_REPORTING, self.ui, script)
        mark = "★ " if article.id in self._bookmarked else ""
        title = mark + convert(article.title, script)
        return title, f"  {region} · {source}"

    # -- rendering ---------------------------------------------------------------------
    def watch_script(self) -> None:
        """Titles are converted as rows are drawn: just redraw."""
        self.refresh()

    def watch_ui(self) -> None:
        """The own-reporting label is the interface's: redraw."""
        self.refresh()

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        if new is not None:
            self.scroll_to_region(Region(0, new * ROW, 1, ROW), animate=False, immediate=True)
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(1, len(self._articles) * ROW)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = int(self.scroll_offset.y) + y
        row, part = divmod(line, ROW)
        if row >= len(self._articles):
            return Strip.blank(width, self.rich_style)
        article = self._articles[row]
        title, meta = self._lines(article)
        base = self.rich_style
        if part == 1:
            base += self.get_component_rich_style("article-list--meta")
        if article.id in self._read:
            base += self.get_component_rich_style("article-list--read")
        if row == self.highlighted:
            base += self.get_component_rich_style("article-list--cursor")
        text = Text(
            " " + (title if part == 0 else meta), style=base if part else base + Style(bold=True)
        )
        segments = list(text.render(self.app.console))
        strip = Strip([s for s in segments if s.text != "\n"])
        return strip.crop(0, width).adjust_cell_length(width, base).simplify()

    # -- actions -----------------------------------------------------------------------
    def _move_to(self, n: int) -> None:
        if self._articles:
            self.highlighted = max(0, min(len(self._articles) - 1, n))

    def action_cursor(self, delta: int) -> None:
        """Move the highlight by ``delta`` rows."""
        self._move_to((self.highlighted or 0) + delta)

    def action_page(self, direction: int) -> None:
        """Move the highlight by a screenful."""
        self._move_to((self.highlighted or 0) + direction * max(1, self.size.height // ROW))

    def action_first(self) -> None:
        """Jump to the first article."""
        self._move_to(0)

    def action_last(self) -> None:
        """Jump to the last article."""
        self._move_to(len(self._articles) - 1)

    def action_choose(self) -> None:
        """Open the highlighted article."""
        if self.current_id is not None:
            self.post_message(ArticleChosen(self.current_id))

    def on_click(self, event: events.Click) -> None:
        row = (int(self.scroll_offset.y) + event.y) // ROW
        if 0 <= row < len(self._articles):
            self.highlighted = row
            self.action_choose()
