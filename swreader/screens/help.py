"""The help screen: keys (from the bindings themselves) and how the sidebar works."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Markdown

from swreader import commands

GUIDE = """
## The sidebar

- **全部文章** — every article.
- **来源 Sources** — *本报* (the paper's own reporting, no `(据…)` line) first, then each
  outlet named in a closing `(据…)` line.
- **地区 Regions** — province, then city (municipal districts and new areas count as cities).
- **页面 Pages** — the files the articles came from.
- **书签 Bookmarks** — articles you marked with `m`.

Every node shows its article count. Select a node to filter the list.

## Scripts

`t` cycles 原文 → 简体 → 繁體 → 台灣 → 香港; the command palette (`ctrl+p`) offers each
directly. Everything converts: the reader, the list and the sidebar.

## Key figures

Figures (counts, money, percentages, areas, dates) are highlighted; `f` lists them, `]` and
`[` jump between them. Damaged text (mojibake from the source page) is marked, never hidden;
`o` shows the page's original text.
"""


def bindings_table(bindings: list[tuple[str, str]]) -> str:
    """A Markdown table of ``(key, description)`` pairs."""
    rows = "\n".join(f"| `{key}` | {description} |" for key, description in bindings)
    return "## Keys\n\n| key | action |\n|---|---|\n" + rows


class HelpScreen(ModalScreen[None]):
    """Keys and a short guide."""

    BINDINGS = commands.HELP

    def __init__(self, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        yield Markdown(bindings_table(self.bindings) + "\n" + GUIDE, id="help")
