"""The main screen's scripts and interface language: `t`, `T` and the palette's choices.

A part of :class:`~swreader.screens.main.MainScreen` (a mixin). `t` flips the article
between 简体 and the preferred traditional form (繁體 unless the reader chose 台灣 or
香港); from the original it goes to the script the page is not written in. `T` and the
palette choose any script; a traditional form chosen becomes the preferred one. The footer
always says where `t` goes next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from swreader import strings
from swreader.core.text.convert import SCRIPTS
from swreader.screens import commands
from swreader.screens.commands import TRADITIONAL_FORMS
from swreader.widgets.article_list import ArticleList
from swreader.widgets.sidebar import SourceTree

if TYPE_CHECKING:
    from swreader.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


class LanguageActions(_Base):
    """Scripts and the interface language of the main screen."""

    preferred: str
    page_script: str

    def _relabel(self) -> None:
        """Say everything in the interface language: key labels and pane titles."""
        self.query_one(ArticleList).border_title = self._text("list.title")
        self.query_one(SourceTree).border_title = self._text("sidebar.title")
        for node in (self.app, *self.query("ReaderView, ArticleList, SourceTree, FiguresPanel")):
            commands.localize(node, self.ui)
        self._relabel_keys()

    def _relabel_keys(self) -> None:
        """The footer shows where `t` goes next (``t 繁體`` / ``t 简体``)."""
        target = strings.script_label(self.toggle_target, self.ui)
        commands.localize(self, self.ui, target=target)

    @property
    def toggle_target(self) -> str:
        """The script `t` switches to."""
        return commands.toggle_target(self.script, self.preferred, self.page_script)

    def action_toggle_script(self) -> None:
        """简体 ⇄ the preferred traditional form; from the original, the page's other script."""
        self.script = self.toggle_target

    def action_choose_script(self) -> None:
        """Choose any of the five scripts from a list."""
        choices = commands.script_choices(self, self.ui)
        self.app.search_commands(choices, placeholder=self._text("palette.choose_script"))

    def set_script(self, script: str) -> None:
        """Choose a script directly (`T`, the command palette); a traditional form is kept
        as the one `t` goes to."""
        if script not in SCRIPTS:
            raise ValueError(f"unknown script {script!r}")
        if script in TRADITIONAL_FORMS and script != self.preferred:
            self.preferred = script
            self.store.set_setting("preferred_traditional", script)
        self.script = script
        self._relabel_keys()

    def set_ui(self, ui: str) -> None:
        """Speak interface language ``ui`` from now on, and remember it."""
        if ui not in strings.UI_LANGUAGES:
            raise ValueError(f"unknown interface language {ui!r}")
        self.store.set_setting("ui", ui)
        self.ui = ui
