"""The status bar: current script, current filter, counts, and the search being walked."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from swreader import strings
from swreader.core.pages.facets import Filter


class StatusBar(Static):
    """Always shows the script and the filter, so the user knows what they are looking at.

    ``match`` is ``(n, of, query)`` while search matches are being walked; it stays until
    the search is left.
    """

    script: reactive[str] = reactive("original")
    ui: reactive[str] = reactive(strings.DEFAULT_UI)
    selection: reactive[Filter] = reactive(Filter)
    count: reactive[int] = reactive(0)
    figures: reactive[int | None] = reactive(None)
    match: reactive[tuple[int, int, str] | None] = reactive(None)

    def render(self) -> Text:
        ui = self.ui
        parts = [
            (f" {strings.script_label(self.script, ui)} ", "reverse bold"),
            f"  {strings.describe(self.selection, ui, self.script)}",
            (f"  · {strings.text('status.count', ui, n=self.count)}", "dim"),
        ]
        if self.match is not None:
            n, of, query = self.match
            parts.append((f"  {strings.text('status.match', ui, i=n, n=of, query=query)}", "bold"))
        if self.figures is not None:
            parts.append((f"  {strings.text('status.figures', ui, n=self.figures)}", "dim"))
        return Text.assemble(*parts)
