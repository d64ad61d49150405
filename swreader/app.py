"""The Textual app: a thin shell that wires the core to the screens."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from swreader import strings
from swreader.core.pages.corpus import bundled_seeds
from swreader.core.store.userstate import StateStore
from swreader.core.text.convert import SCRIPTS
from swreader.screens import commands
from swreader.screens.main import MainScreen


class SwreaderApp(App[int]):
    """Reads social-work news pages: browse, convert scripts, search, scan figures."""

    CSS_PATH = "swreader.tcss"
    TITLE = "swreader"
    BINDINGS = commands.APP

    def __init__(
        self, paths: list[Path], *, script: str | None, store: StateStore, ui: str | None = None
    ) -> None:
        super().__init__()
        self.paths = paths
        self.initial_script = script
        self.initial_ui = ui
        self.store = store

    def get_default_screen(self) -> Screen:
        stored = self.store.get_setting("script")
        script = self.initial_script or (stored if stored in SCRIPTS else "original")
        chosen = self.store.get_setting("ui")
        if chosen not in strings.UI_LANGUAGES:
            chosen = strings.ui_from_locale()
        return MainScreen(self.paths, self.store, script, self.initial_ui or chosen)

    @property
    def ui(self) -> str:
        """The interface language (the main screen's)."""
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        return main.ui if main is not None else self.initial_ui or strings.DEFAULT_UI

    def on_mount(self) -> None:
        theme = self.store.get_setting("theme")
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _remember_theme(self, theme: object) -> None:
        self.store.set_setting("theme", self.theme)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from commands.textual_commands(super().get_system_commands(screen), self.ui)
        if isinstance(screen, MainScreen):
            # Every key of the main screen is also a command, so the palette explains them.
            yield from commands.system_commands(screen, self.get_key_display, self.ui)

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the interface language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            placeholder = strings.text("palette.placeholder", self.ui)
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def action_help(self) -> None:
        """Show keys and a short guide."""
        # Imported here: its Markdown widget pulls in markdown-it (~80 ms), which the
        # first frame should not wait for; the first `?` pays it once.
        from swreader.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            rows = commands.help_rows(self.get_key_display, self.ui)
            self.push_screen(HelpScreen(rows, self.ui))

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
    ui: str | None = None,
) -> SwreaderApp:
    """Build the app from plain values; used by the CLI and by the tests.

    Args:
        paths: Page files or folders; the bundled seeds when empty.
        script: Force a script for this session instead of the stored one.
        state: The state database; default ``SWREADER_HOME``/user data dir.
        ui: Force the interface language for this session (``zh-Hans``, ``zh-Hant``,
            ``en``) instead of the one chosen in the palette or, failing that, the locale's.

    Returns:
        The app, ready to ``run()`` or ``run_test()``.

    Raises:
        ValueError: ``ui`` is not one of the interface languages.
    """
    if ui is not None and ui not in strings.UI_LANGUAGES:
        raise ValueError(f"unknown interface language {ui!r}; one of {strings.UI_LANGUAGES}")
    paths = list(paths or [bundled_seeds()])
    return SwreaderApp(paths, script=script, store=StateStore(state), ui=ui)
