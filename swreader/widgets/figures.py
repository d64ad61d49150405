"""The figures panel: every key figure of the current article, with its context."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from swreader import strings
from swreader.core.pages.present import Shown
from swreader.screens import commands
from swreader.widgets.messages import FigureChosen

_CONTEXT = 8


class FiguresPanel(OptionList):
    """Lists figures; choosing one posts :class:`FiguresPanel.FigureChosen`."""

    BINDINGS = commands.FIGURES

    ui: reactive[str] = reactive(strings.DEFAULT_UI)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: Shown | None = None

    def watch_ui(self) -> None:
        """Kind names and the title are the interface's: list again."""
        if self._shown is not None:
            highlighted = self.highlighted
            self.show(self._shown)
            self.highlighted = highlighted

    def _kind(self, kind: str) -> str:
        key = f"kind.{kind}"
        return strings.text(key, self.ui) if strings.has(key) else kind

    def show(self, shown: Shown) -> None:
        """List the figures of ``shown``."""
        self._shown = shown
        self.clear_options()
        options = []
        for n, (para, span) in enumerate(shown.figures):
            text = shown.paragraphs[para].text
            before = text[max(0, span.start - _CONTEXT) : span.start]
            after = text[span.end : span.end + _CONTEXT]
            prompt = Text.assemble(
                (text[span.start : span.end], "bold"),
                (f"  {self._kind(span.kind)}\n", "dim"),
                (f"  …{before}", "dim"),
                (text[span.start : span.end], "underline"),
                (f"{after}…", "dim"),
            )
            options.append(Option(prompt, id=f"figure-{n}"))
        self.add_options(options)
        self.border_title = strings.text("figures.title", self.ui, n=len(options))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(FigureChosen(event.option_index))
