"""Every command of the UI in one place: key bindings, palette commands, the article finder.

Each binding has an id and a description, so the footer, the help screen and the command
palette all explain it in the same words. Widgets and screens take their ``BINDINGS`` from
here; :func:`system_commands` turns the main screen's keys (and the scripts) into palette
commands, and :class:`ArticleCommands` finds any article by its title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Protocol

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider

from swreader.core.pages.model import Article
from swreader.core.text.convert import LABELS, SCRIPTS, convert

APP = [
    Binding("q", "quit", "Quit", id="app.quit"),
    Binding("question_mark", "help", "Help", id="app.help"),
]
MAIN = [
    Binding("t", "cycle_script", "Script", id="main.script"),
    Binding("s", "toggle_sidebar", "Sidebar", id="main.sidebar"),
    Binding("f", "toggle_figures", "Figures", id="main.figures"),
    Binding("right_square_bracket", "next_figure", "Next figure", id="main.next_figure"),
    Binding("left_square_bracket", "prev_figure", "Prev figure", id="main.prev_figure"),
    Binding("m", "toggle_bookmark", "Bookmark", id="main.bookmark"),
    Binding("o", "view_page", "Page text", id="main.page"),
    Binding("slash", "search", "Search", id="main.search"),
    Binding("n", "next_match", "Next match", id="main.next_match"),
    Binding("N", "prev_match", "Prev match", id="main.prev_match"),
]
READER = [
    Binding("j", "scroll_down", "Down", show=False, id="reader.down"),
    Binding("k", "scroll_up", "Up", show=False, id="reader.up"),
    Binding("space", "page_down", "Page down", show=False, id="reader.page_down"),
    Binding("b", "page_up", "Page up", show=False, id="reader.page_up"),
    Binding("g", "scroll_home", "Top", show=False, id="reader.top"),
    Binding("G", "scroll_end", "Bottom", show=False, id="reader.bottom"),
]
ARTICLE_LIST = [
    Binding("down,j", "cursor(1)", "Down", show=False, id="list.down"),
    Binding("up,k", "cursor(-1)", "Up", show=False, id="list.up"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
    Binding("home,g", "first", "First", show=False, id="list.first"),
    Binding("end,G", "last", "Last", show=False, id="list.last"),
    Binding("enter", "choose", "Open", show=False, id="list.open"),
]
SIDEBAR = [
    Binding("j", "cursor_down", "Down", show=False, id="sidebar.down"),
    Binding("k", "cursor_up", "Up", show=False, id="sidebar.up"),
]
FIGURES = [
    Binding("j", "cursor_down", "Down", show=False, id="figures.down"),
    Binding("k", "cursor_up", "Up", show=False, id="figures.up"),
]
SEARCH = [
    Binding("escape", "close", "Close", id="search.close"),
    Binding("down", "move(1)", "Next result", show=False, id="search.down"),
    Binding("up", "move(-1)", "Previous result", show=False, id="search.up"),
    Binding("ctrl+t", "toggle_within", "Within selection", id="search.within"),
]
PAGE = [Binding("escape,q,o", "dismiss", "Close", id="page.close")]
HELP = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

#: Keys the help screen lists beyond the bindings (Textual's own).
EXTRA_HELP = [("tab / shift+tab", "Next / previous pane"), ("ctrl+p", "Command palette")]


class Reading(Protocol):
    """What the palette needs of the screen it runs on (the main screen)."""

    script: str

    @property
    def articles(self) -> Sequence[Article]:
        """The articles, in list order."""
        ...

    def open_article(self, article_id: str) -> None:
        """Open an article in the reader."""
        ...

    def set_script(self, script: str) -> None:
        """Show the text in ``script``."""
        ...

    def run_action(self, action: str) -> object:
        """Run one of the screen's actions."""
        ...


def help_rows(key_display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """``(keys, description)`` for the help screen, in the order the user meets them."""
    rows = [(key_display(b), b.description) for b in [*APP, *MAIN, *READER]]
    return rows + EXTRA_HELP


def system_commands(
    screen: Reading, key_display: Callable[[Binding], str]
) -> Iterator[SystemCommand]:
    """The main screen's keys and the scripts as palette commands."""
    for binding in MAIN:
        yield SystemCommand(
            binding.description,
            f"{binding.description} (key: {key_display(binding)})",
            partial(screen.run_action, binding.action),
        )
    for script in SCRIPTS:
        yield SystemCommand(
            f"Script: {LABELS[script]} ({script})",
            f"Show the text in {script} script",
            partial(screen.set_script, script),
        )


def _titles(screen: Reading, articles: Iterable[Article]) -> Iterator[tuple[Article, str]]:
    for article in articles:
        yield article, convert(article.title, screen.script)


class ArticleCommands(Provider):
    """``ctrl+p``, then type part of a title: open that article."""

    @property
    def _reading(self) -> Reading:
        return self.screen  # type: ignore[return-value]

    async def search(self, query: str) -> Hits:
        screen = self._reading
        matcher = self.matcher(query)
        for article, title in _titles(screen, screen.articles):
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(screen.open_article, article.id),
                    help="Open this article",
                )

    async def discover(self) -> Hits:
        screen = self._reading
        for article, title in _titles(screen, screen.articles[:20]):
            yield Hit(1.0, title, partial(screen.open_article, article.id), help="Open")
