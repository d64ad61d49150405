"""The original text of a page, exactly as decoded: always viewable, even when unparsed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from swreader.core.corpus import Page


class PageScreen(ModalScreen[None]):
    """Shows a page's decoded text read-only."""

    BINDINGS = [Binding("escape,q,o", "dismiss", "Close", id="page.close")]

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page

    def compose(self) -> ComposeResult:
        page = self.page
        info = f"{page.path} · {page.encoding or '?'}"
        if page.error:
            info += f" · {page.error}"
        yield Static(info, id="page-info")
        yield TextArea(page.text or "", read_only=True, soft_wrap=True, id="page-text")
