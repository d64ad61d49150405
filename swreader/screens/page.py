"""The original text of a page, exactly as decoded: always viewable, even when unparsed."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from swreader import strings
from swreader.core.pages.corpus import Page
from swreader.core.store.pagecache import page_text
from swreader.screens import commands
from swreader.widgets.messages import PageTextLoaded


class PageScreen(ModalScreen[None]):
    """Shows a page's decoded text read-only (loaded in a worker: it may be large)."""

    BINDINGS = commands.PAGE

    def __init__(self, page: Page, ui: str = strings.DEFAULT_UI) -> None:
        super().__init__()
        self.page = page
        self.ui = ui

    def compose(self) -> ComposeResult:
        page = self.page
        info = f"{page.short_path} · {page.encoding or '?'}"
        if page.error:
            info += f" · {page.error}"
        yield Static(info, id="page-info")
        yield TextArea("…", read_only=True, soft_wrap=True, id="page-text")

    def on_mount(self) -> None:
        commands.localize(self, self.ui)
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        """Fetch the text from the library (or the file) in a thread."""
        notices: list[str] = []
        self.post_message(PageTextLoaded(page_text(self.page, notices), notices))

    @on(PageTextLoaded)
    def _loaded(self, message: PageTextLoaded) -> None:
        for notice in message.notices:
            title = strings.text("notice.library", self.ui)
            self.notify(notice, title=title, severity="warning", timeout=10)
        text = message.text if message.text is not None else strings.text("page.gone", self.ui)
        self.query_one(TextArea).load_text(text)
