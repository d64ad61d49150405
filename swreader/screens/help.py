"""The help screen: keys (from the bindings themselves) and a short guide, in the UI language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Markdown

from swreader import strings
from swreader.screens import commands


def bindings_table(bindings: list[tuple[str, str]], ui: str = strings.DEFAULT_UI) -> str:
    """A Markdown table of ``(key, description)`` pairs, headed in ``ui``."""
    rows = "\n".join(f"| `{key}` | {description} |" for key, description in bindings)
    heading, key, action = (strings.text(k, ui) for k in ("help.keys", "help.key", "help.action"))
    return f"## {heading}\n\n| {key} | {action} |\n|---|---|\n" + rows


class HelpScreen(ModalScreen[None]):
    """Keys and a short guide."""

    BINDINGS = commands.HELP

    def __init__(self, bindings: list[tuple[str, str]], ui: str = strings.DEFAULT_UI) -> None:
        super().__init__()
        self.bindings = bindings
        self.ui = ui

    def compose(self) -> ComposeResult:
        guide = strings.text("help.guide", self.ui)
        yield Markdown(bindings_table(self.bindings, self.ui) + "\n" + guide, id="help")

    def on_mount(self) -> None:
        commands.localize(self, self.ui)
