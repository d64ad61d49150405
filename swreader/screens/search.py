"""The search box: fzf-like, results as you type, Enter lands on the matching paragraph."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from swreader import strings
from swreader.core.search.engine import SearchIndex
from swreader.core.search.query import Hit
from swreader.core.text.convert import convert, convert_spans
from swreader.screens import commands
from swreader.widgets.messages import SearchResults

_LIMIT = 200


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """What the user chose: the ranked hits, which one, and the query."""

    query: str
    hits: list[Hit]
    index: int


class SearchScreen(ModalScreen[SearchOutcome | None]):
    """A search box over the current view.

    It opens at once, even while the library loads: until the main screen hands it the
    index (:attr:`index` set), the box says it is indexing and keeps what is typed, which
    is searched the moment the index comes.
    """

    BINDINGS = commands.SEARCH

    #: The search index, ``None`` until the main screen has one (then set from there).
    index: reactive[SearchIndex | None] = reactive(None, init=False)

    def __init__(
        self,
        index: SearchIndex | None,
        *,
        script: str,
        selection_ids: Collection[str] | None,
        selection_label: str,
        recent: list[str],
        query: str = "",
        ui: str = strings.DEFAULT_UI,
    ) -> None:
        super().__init__()
        self.ui = ui
        self.set_reactive(SearchScreen.index, index)
        self.script = script
        #: The articles "within" keeps; ``None``: every one (the selection is the archive).
        self.selection_ids = None if selection_ids is None else set(selection_ids)
        self.selection_label = selection_label
        self.recent = recent
        self.initial = query
        self.hits: list[Hit] = []
        self.showing_recent = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            placeholder = strings.text("search.placeholder", self.ui)
            yield Input(self.initial, placeholder=placeholder, id="search-input")
            within = strings.text("search.within_label", self.ui, label=self.selection_label)
            yield Checkbox(within, id="search-within")
            yield Static("", id="search-count")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        commands.localize(self, self.ui)
        self.query_one(Input).focus()
        self._update()

    # -- searching ---------------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    @on(Checkbox.Changed, "#search-within")
    def _changed(self) -> None:
        self._update()

    def watch_index(self) -> None:
        """The index has come: search what was typed while it loaded."""
        # It can come before the box is composed (``on_mount`` searches then) or as the
        # box is taken down: with no query line there is nothing to search.
        if self.query("#search-input"):
            self._update()

    def _update(self) -> None:
        query = self.query_one(Input).value
        within = self.query_one(Checkbox).value
        if not query.strip():
            self._show_recent()
        elif self.index is None:
            self.query_one("#search-count", Static).update(self._text("search.waiting"))
        else:
            self.run_search(self.index, query, within)

    def _text(self, key: str) -> str:
        return strings.text(key, self.ui)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, index: SearchIndex, query: str, within: bool) -> None:
        """Match in a thread; a newer keystroke cancels this one (exclusive)."""
        allowed = self.selection_ids if within else None
        hits = index.search(query, limit=_LIMIT, within=allowed)
        worker = get_current_worker()
        prompts = []
        for hit in hits:
            if worker.is_cancelled:
                return  # the user typed on: these lines would never be shown
            prompts.append(self._prompt(index, hit))
        self.post_message(SearchResults(query, within, hits, prompts))

    @on(SearchResults)
    def _results(self, message: SearchResults) -> None:
        current = self.query_one(Input).value
        if message.query != current or message.within != self.query_one(Checkbox).value:
            return  # stale: the user typed on
        self.hits = message.hits
        self.showing_recent = False
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(
            [Option(prompt, id=f"hit-{n}") for n, prompt in enumerate(message.prompts)]
        )
        if message.hits:
            results.highlighted = 0
        count = strings.text("search.count", self.ui, n=len(message.hits))
        self.query_one("#search-count", Static).update(count)

    def _prompt(self, index: SearchIndex, hit: Hit) -> Text:
        """A hit's line in the results (in the search worker: it reads the snippet)."""
        article = index.article(hit.article_id)
        region = article.region_label
        snippet, start, end = index.snippet(hit, width=36)
        shown, spans = convert_spans(
            snippet, [(0, start), (start, end), (end, len(snippet))], self.script
        )
        text = Text(convert(article.title, self.script), style="bold")
        if region:
            text.append(f"  {convert(region, self.script)}", style="dim")
        text.append("\n  ")
        line = Text(shown.replace("\n", " "))
        line.stylize("reverse bold", *spans[1])
        return text + line

    def _show_recent(self) -> None:
        self.hits = []
        self.showing_recent = True
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options([Option(Text(q), id=f"recent-{n}") for n, q in enumerate(self.recent)])
        label = self._text("search.recent" if self.recent else "search.type")
        if self.index is None:
            label = f"{label} · {self._text('search.waiting')}"
        self.query_one("#search-count", Static).update(label)

    # -- choosing ----------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        """Move the highlight in the results while typing."""
        results = self.query_one(OptionList)
        if results.option_count:
            current = results.highlighted if results.highlighted is not None else -1
            results.highlighted = max(0, min(results.option_count - 1, current + delta))

    def action_toggle_within(self) -> None:
        """Search only the articles under the current sidebar node (or all)."""
        box = self.query_one(Checkbox)
        box.value = not box.value

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        results = self.query_one(OptionList)
        if results.highlighted is not None:
            self._choose(results.highlighted)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, n: int) -> None:
        if self.showing_recent:
            if 0 <= n < len(self.recent):
                self.query_one(Input).value = self.recent[n]
            return
        if 0 <= n < len(self.hits):
            self.dismiss(SearchOutcome(self.query_one(Input).value, self.hits, n))

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
