"""The article list: title, region and source; read articles dimmed."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from swreader.core.convert import convert
from swreader.core.facets import OWN_REPORTING
from swreader.core.model import Article


class ArticleList(OptionList):
    """Lists articles; choosing one posts :class:`ArticleList.ArticleChosen`."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g", "first", "First", show=False, id="list.first"),
        Binding("G", "last", "Last", show=False, id="list.last"),
    ]

    script: reactive[str] = reactive("original")

    class ArticleChosen(Message):
        """The user chose an article to read."""

        def __init__(self, article_id: str) -> None:
            self.article_id = article_id
            super().__init__()

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._articles: list[Article] = []
        self._read: set[str] = set()
        self._bookmarked: set[str] = set()

    def _prompt(self, article: Article) -> Text:
        region = "·".join(x for x in (article.province, article.city) if x) or "—"
        source = "、".join(article.sources) if article.sources else OWN_REPORTING
        mark = "★ " if article.id in self._bookmarked else ""
        title = Text(mark + convert(article.title, self.script))
        meta = Text(f"  {convert(region, self.script)} · {convert(source, self.script)}")
        meta.stylize("dim italic")
        prompt = Text.assemble(title, "\n", meta)
        if article.id in self._read:
            prompt.stylize("dim")
        return prompt

    def show(self, articles: list[Article], read: set[str], bookmarked: set[str]) -> None:
        """Show ``articles``; keep the highlight on the same article when it is still listed."""
        current = self.current_id
        self._articles, self._read, self._bookmarked = articles, set(read), set(bookmarked)
        self._rebuild(current)

    def _rebuild(self, keep: str | None) -> None:
        self.clear_options()
        self.add_options([Option(self._prompt(a), id=a.id) for a in self._articles])
        ids = [a.id for a in self._articles]
        if keep in ids:
            self.highlighted = ids.index(keep)
        elif ids:
            self.highlighted = 0

    @property
    def current_id(self) -> str | None:
        """The id of the highlighted article, if any."""
        if self.highlighted is None or not self._articles:
            return None
        return self._articles[self.highlighted].id

    def mark(self, read: set[str], bookmarked: set[str]) -> None:
        """Refresh read and bookmark marks without changing the list."""
        self._read, self._bookmarked = set(read), set(bookmarked)
        self._rebuild(self.current_id)

    def watch_script(self) -> None:
        """Show the titles in the new script."""
        if self._articles:
            self._rebuild(self.current_id)

    def action_first(self) -> None:
        """Jump to the first article."""
        if self._articles:
            self.highlighted = 0

    def action_last(self) -> None:
        """Jump to the last article."""
        if self._articles:
            self.highlighted = len(self._articles) - 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ArticleChosen(event.option.id))
