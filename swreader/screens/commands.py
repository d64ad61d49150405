"""Every command of the UI in one place: key bindings, palette commands, the article finder.

Each binding has an id and a description, so the footer, the help screen and the command
palette all explain it in the same words — the words of the interface language, from the
catalogue in :mod:`swreader.strings` (:func:`localize` relabels live bindings). Widgets and
screens take their ``BINDINGS`` from here; :func:`system_commands` turns the main screen's
keys, the scripts and the languages into palette commands, :func:`toggle_target` says where
`t` goes, and :class:`ArticleCommands` finds any article by its title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from typing import Protocol

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.dom import DOMNode

from swreader import strings
from swreader.core.pages.model import Article
from swreader.core.text.convert import SCRIPTS, convert

TRADITIONAL_FORMS: tuple[str, ...] = ("traditional", "taiwan", "hongkong")
"""The scripts `t` may switch to from 简体: the reader's preferred one is remembered."""


def _bind(keys: str, action: str, binding_id: str, *, show: bool = True) -> Binding:
    # Described in English here; :func:`localize` relabels live bindings in the UI language.
    long = f"{binding_id}.long"
    description = strings.text(long if strings.has(long) else binding_id, "en")
    return Binding(keys, action, description, show=show, id=binding_id)


APP = [
    _bind("q", "quit", "app.quit"),
    _bind("question_mark", "help", "app.help"),
]
#: `esc` ends the search being walked; first, so the footer shows it while there is one.
LEAVE_SEARCH = _bind("escape", "leave_search", "main.leave_search")
MAIN = [
    LEAVE_SEARCH,
    _bind("t", "toggle_script", "main.script"),
    _bind("T", "choose_script", "main.choose_script"),
    _bind("s", "toggle_sidebar", "main.sidebar"),
    _bind("f", "toggle_figures", "main.figures"),
    _bind("right_square_bracket", "next_figure", "main.next_figure"),
    _bind("left_square_bracket", "prev_figure", "main.prev_figure"),
    _bind("m", "toggle_bookmark", "main.bookmark"),
    _bind("o", "view_page", "main.page"),
    _bind("slash", "search", "main.search"),
    _bind("n", "next_match", "main.next_match"),
    _bind("N", "prev_match", "main.prev_match"),
    # Last, so the footers of the existing sizes keep their keys where they were.
    _bind("F", "figures_view", "main.figures_view"),
]
READER = [
    _bind("j", "scroll_down", "reader.down", show=False),
    _bind("k", "scroll_up", "reader.up", show=False),
    _bind("space", "page_down", "reader.page_down", show=False),
    _bind("b", "page_up", "reader.page_up", show=False),
    _bind("g", "scroll_home", "reader.top", show=False),
    _bind("G", "scroll_end", "reader.bottom", show=False),
]
ARTICLE_LIST = [
    _bind("down,j", "cursor(1)", "list.down", show=False),
    _bind("up,k", "cursor(-1)", "list.up", show=False),
    _bind("pagedown", "page(1)", "list.page_down", show=False),
    _bind("pageup", "page(-1)", "list.page_up", show=False),
    _bind("home,g", "first", "list.first", show=False),
    _bind("end,G", "last", "list.last", show=False),
    _bind("enter", "choose", "list.open", show=False),
]
SIDEBAR = [
    _bind("j", "cursor_down", "sidebar.down", show=False),
    _bind("k", "cursor_up", "sidebar.up", show=False),
]
FIGURES = [
    _bind("j", "cursor_down", "figures.down", show=False),
    _bind("k", "cursor_up", "figures.up", show=False),
]
SEARCH = [
    _bind("escape", "close", "search.close"),
    _bind("down", "move(1)", "search.down", show=False),
    _bind("up", "move(-1)", "search.up", show=False),
    _bind("ctrl+t", "toggle_within", "search.within"),
]
PAGE = [_bind("escape,q,o", "dismiss", "page.close")]
#: The figures view (:class:`~swreader.screens.figures_view.FiguresScreen`); `t` is the
#: main screen's toggle, run from the view.
FIGURES_VIEW = [
    _bind("escape,q", "close", "figview.close"),
    _bind("slash", "filter", "figview.filter"),
    _bind("s", "sort", "figview.sort"),
    _bind("S", "reverse", "figview.reverse"),
    _bind("c", "chart", "figview.chart"),
    _bind("t", "toggle_script", "figview.script"),
    _bind("down", "to_table", "figview.to_table", show=False),
]
CHART = [_bind("escape,q,c", "dismiss", "chart.close")]
#: The bindings of the figures view and its chart (pushed screens, like SEARCH and PAGE).
FIGURE_SCREENS = [*FIGURES_VIEW, *CHART]
HELP = [_bind("escape,q,question_mark", "dismiss", "help.close")]
ALL = [*APP, *MAIN, *READER, *ARTICLE_LIST, *SIDEBAR, *FIGURES, *SEARCH, *PAGE, *HELP]
"""Every binding of the UI (for the tests that check each is described in each language)."""

#: Keys the help screen lists beyond the bindings (Textual's own), with catalogue keys.
EXTRA_HELP = [("tab / shift+tab", "help.panes"), ("ctrl+p", "help.palette")]


def toggle_target(script: str, preferred: str, page_script: str) -> str:
    """Where `t` goes from ``script``: 简体 ⇄ the preferred traditional form.

    From the original text it goes to the other script than the page's own
    (``page_script``, as :func:`~swreader.core.text.convert.detect_script` tells it).
    """
    if script == "simplified":
        return preferred
    if script in TRADITIONAL_FORMS:
        return "simplified"
    return "simplified" if page_script == "traditional" else preferred


def label(binding: Binding, ui: str, **fields: object) -> str:
    """The footer's label of ``binding`` in ``ui`` (Textual's own bindings as they are)."""
    if binding.id and strings.has(binding.id):
        return strings.text(binding.id, ui, **fields)
    if binding.action in {"command_palette", "app.command_palette"}:
        return strings.text("app.palette", ui)
    return binding.description


def long_label(binding: Binding, ui: str, **fields: object) -> str:
    """What ``binding`` does, for the help screen and the palette (may be longer)."""
    key = f"{binding.id}.long"
    return strings.text(key, ui) if strings.has(key) else label(binding, ui, **fields)


def localize(node: DOMNode, ui: str, **fields: object) -> None:
    """Relabel the live bindings of ``node`` in ``ui``, then let the footer redraw.

    Textual reads a binding's description when it draws the footer, and bindings are
    frozen; so each is swapped for a copy with the label in ``ui``. ``fields`` fill the
    labels' fields (``target`` for `t`).
    """
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [replace(b, description=label(b, ui, **fields)) for b in bindings]
    node.refresh_bindings()


class Reading(Protocol):
    """What the palette needs of the screen it runs on (the main screen)."""

    script: str
    ui: str

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

    def set_ui(self, ui: str) -> None:
        """Speak interface language ``ui``."""
        ...

    def run_action(self, action: str) -> object:
        """Run one of the screen's actions."""
        ...


def help_rows(key_display: Callable[[Binding], str], ui: str) -> list[tuple[str, str]]:
    """``(keys, description)`` for the help screen, in the order the user meets them."""
    main = [b for b in MAIN if b is not LEAVE_SEARCH] + [LEAVE_SEARCH]  # after `n`/`N`
    rows = [(key_display(b), long_label(b, ui)) for b in [*APP, *main, *READER]]
    return rows + [(keys, strings.text(key, ui)) for keys, key in EXTRA_HELP]


def system_commands(
    screen: Reading, key_display: Callable[[Binding], str], ui: str
) -> Iterator[SystemCommand]:
    """The main screen's keys, the scripts and the interface languages as palette commands."""
    for binding in MAIN:
        description = long_label(binding, ui)
        yield SystemCommand(
            description,
            strings.text("palette.key", ui, description=description, key=key_display(binding)),
            partial(screen.run_action, binding.action),
        )
    for script in SCRIPTS:
        name = strings.script_label(script, ui)
        yield SystemCommand(
            strings.text("palette.script", ui, label=name),
            strings.text("palette.script.help", ui, label=name),
            partial(screen.set_script, script),
        )
    for language in strings.UI_LANGUAGES:
        name = strings.text(f"ui.{language}", ui)
        yield SystemCommand(
            strings.text("palette.ui", ui, name=name),
            strings.text("palette.ui.help", ui, name=name),
            partial(screen.set_ui, language),
        )


def textual_commands(commands: Iterable[SystemCommand], ui: str) -> Iterator[SystemCommand]:
    """Textual's own palette commands (theme, quit, keys…), relabelled in ``ui``."""
    for command in commands:
        key = f"textual.{command.title}"
        if strings.has(key):
            command = command._replace(
                title=strings.text(key, ui), help=strings.text(f"{key}.help", ui)
            )
        yield command


def script_choices(screen: Reading, ui: str) -> list[tuple[str, Callable[[], object], str]]:
    """The five scripts, for the `T` chooser: (name, choose it, what it does)."""
    return [
        (
            strings.script_label(script, ui),
            partial(screen.set_script, script),
            strings.text("palette.script.help", ui, label=strings.script_label(script, ui)),
        )
        for script in SCRIPTS
    ]


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
                    help=strings.text("palette.open", screen.ui),
                )

    async def discover(self) -> Hits:
        screen = self._reading
        for article, title in _titles(screen, screen.articles[:20]):
            hint = strings.text("palette.open.short", screen.ui)
            yield Hit(1.0, title, partial(screen.open_article, article.id), help=hint)
