"""The Textual app: a thin shell that wires the core to the screens."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from swreader import commands
from swreader.core.pages.corpus import bundled_seeds
from swreader.core.store.userstate import StateStore
from swreader.core.text.convert import SCRIPTS
from swreader.screens.help import HelpScreen
from swreader.screens.main import MainScreen


class SwreaderApp(App[int]):
    """Reads social-work news pages: browse, convert scripts, search, scan figures."""

    CSS_PATH = "swreader.tcss"
    TITLE = "swreader"
    BINDINGS = commands.APP

    def __init__(self, paths: list[Path], *, script: str | None, store: StateStore) -> None:
        super().__init__()
        self.paths = paths
        self.initial_script = script
        self.store = store

    def get_default_screen(self) -> Screen:
        stored = self.store.get_setting("script")
        script = self.initial_script or (stored if stored in SCRIPTS else "original")
        return MainScreen(self.paths, self.store, script)

    def on_mount(self) -> None:
        theme = self.store.get_setting("theme")
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _remember_theme(self, theme: object) -> None:
        self.store.set_setting("theme", self.theme)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            # Every key of the main screen is also a command, so the palette explains them.
            yield from commands.system_commands(screen, self.get_key_display)

    def action_help(self) -> None:
        """Show keys and a short guide."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(commands.help_rows(self.get_key_display)))

    async def action_quit(self) -> None:
        """Remember where the reader was, then quit."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.cancel.set()  # the loading worker stops within a batch
                screen.save_position()
        self.exit(0)

    def on_unmount(self) -> None:
        self.store.close()


def make_app(
    paths: list[Path] | None = None,
    *,
    script: str | None = None,
    state: Path | None = None,
) -> SwreaderApp:
    """Build the app from plain values; used by the CLI and by the tests.

    Args:
        paths: Page files or folders; the bundled seeds when empty.
        script: Force a script for this session instead of the stored one.
        state: The state database; default ``SWREADER_HOME``/user data dir.

    Returns:
        The app, ready to ``run()`` or ``run_test()``.
    """
    return SwreaderApp(list(paths or [bundled_seeds()]), script=script, store=StateStore(state))
