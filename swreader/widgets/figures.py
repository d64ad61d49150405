"""The figures panel: every key figure of the current article, with its context."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from swreader import commands
from swreader.core.pages.present import Shown
from swreader.messages import FigureChosen

#: Chinese names of the figure kinds, as shown in the panel.
KIND_NAMES = {
    "count": "数量",
    "money": "金额",
    "percent": "比例",
    "area": "面积",
    "date": "日期",
    "duration": "时长",
    "age": "年龄",
    "ratio": "倍数",
    "measure": "度量",
    "number": "数值",
}
_CONTEXT = 8


class FiguresPanel(OptionList):
    """Lists figures; choosing one posts :class:`FiguresPanel.FigureChosen`."""

    BINDINGS = commands.FIGURES

    def show(self, shown: Shown) -> None:
        """List the figures of ``shown``."""
        self.clear_options()
        options = []
        for n, (para, span) in enumerate(shown.figures):
            text = shown.paragraphs[para].text
            before = text[max(0, span.start - _CONTEXT) : span.start]
            after = text[span.end : span.end + _CONTEXT]
            prompt = Text.assemble(
                (text[span.start : span.end], "bold"),
                (f"  {KIND_NAMES.get(span.kind, span.kind)}\n", "dim"),
                (f"  …{before}", "dim"),
                (text[span.start : span.end], "underline"),
                (f"{after}…", "dim"),
            )
            options.append(Option(prompt, id=f"figure-{n}"))
        self.add_options(options)
        self.border_title = f"数字 {len(options)}"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(FigureChosen(event.option_index))
