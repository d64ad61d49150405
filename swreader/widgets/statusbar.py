"""The status bar: current script, current filter, counts, and notices."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from swreader.core.text.convert import LABELS


class StatusBar(Static):
    """Always shows the script and the filter, so the user knows what they are looking at."""

    script: reactive[str] = reactive("original")
    selection: reactive[str] = reactive("全部")
    count: reactive[int] = reactive(0)
    extra: reactive[str] = reactive("")

    def render(self) -> Text:
        return Text.assemble(
            (f" {LABELS.get(self.script, self.script)} ", "reverse bold"),
            f"  {self.selection}",
            (f"  · {self.count} 篇", "dim"),
            (f"  {self.extra}" if self.extra else "", "dim"),
        )
