"""The Textual app: a thin shell that wires the core to the screens."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from swreader import serve as web
from swreader import strings
from swreader.core.pages.corpus import bundled_seeds
from swreader.core.store.userstate import StateStore
from swreader.core.text.convert import SCRIPTS
from swreader.screens import commands
from swreader.screens.main import MainScreen

#: The events that count as the user at work (a mouse merely moving does not).
_USE = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


class SwreaderApp(App[int]):
    """Reads social-work news pages: browse, convert scripts, search, scan figures."""

    CSS_PATH = "swreader.tcss"
    TITLE = "swreader"
    BINDINGS = commands.APP

    def __init__(
        self, paths: list[Path], *, script: str | None, store: StateStore, ui: str | None = None
    ) -> None:
        super().__init__()
        #: ``time.monotonic()`` of the user's last key press, click or scroll.
        self.last_input = time.monotonic()
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
        ui = self.initial_ui or chosen
        return MainScreen(self.paths, self.store, script, ui, idle=self.idle_s)

    async def on_event(self, event: events.Event) -> None:
        # Every key press, click and scroll passes here first (before it is forwarded).
        if isinstance(event, _USE) and not event.is_forwarded:
            self.last_input = time.monotonic()
        await super().on_event(event)

    def idle_s(self) -> float:
        """Seconds since the user last pressed a key, clicked or scrolled (any thread).

        Headless (tests, screenshots, benchmarks driven by Pilot) there is no one to leave
        the keys alone for: always idle, so no work waits on a pause that never comes.
        """
        return float("inf") if self.is_headless else time.monotonic() - self.last_input

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
    # Written behind: the reader records a read mark and a position on every open, and a
    # commit on the UI thread could wait on a disk busy with a cold open's library.
    store = StateStore(state, behind=True)
    return SwreaderApp(paths, script=script, store=store, ui=ui)


def serve_app(
    paths: Sequence[Path],
    *,
    host: str = web.DEFAULT_HOST,
    port: int = web.DEFAULT_PORT,
    script: str | None = None,
    ui: str | None = None,
    public_url: str | None = None,
    say: Callable[[str], None] | None = None,
) -> int:
    """Serve the reader until interrupted (Ctrl+C or SIGTERM).

    Args:
        paths: Page files or folders for every session; empty for the bundled seeds.
        host: The address to listen on.
        port: The TCP port to listen on.
        script: Force this script in every session.
        ui: The interface language of every session.
        public_url: The address browsers reach the server at, when it is not
            ``http://HOST:PORT`` (behind a proxy, or listening on 0.0.0.0).
        say: Writes one line for the user; default: print it on stderr.

    Returns:
        The exit status: 0 after a clean stop, 1 when the server could not listen.
    """
    # Imported here: the server's aiohttp stack is for this command only.
    from rich.console import Console
    from textual_serve.server import Server

    def _stderr(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    say = say or _stderr

    home = os.environ.get("SWREADER_HOME")
    if home:
        # Sessions inherit the environment; an absolute home stays the same directory.
        os.environ["SWREADER_HOME"] = os.path.abspath(home)
    url = (public_url or web.listen_url(host, port)).rstrip("/") + "/"

    class _Server(Server):
        async def on_startup(self, app: object) -> None:
            # Instead of textual-serve's banner on stdout (which names the whole command).
            say(f"swreader: serving the reader on {url} (Ctrl+C to stop)")

    server = _Server(
        web.app_command(paths, script=script, ui=ui),
        host=host,
        port=port,
        title=web.TITLE,
        public_url=public_url.rstrip("/") if public_url else web.listen_url(host, port),
    )
    server.console = Console(stderr=True)  # its log lines too: stdout stays clean
    if not web.is_loopback(host):
        say(
            f"swreader: warning: listening on {host}: the reader and its files are "
            "exposed to the network, without a password"
        )
    try:
        server.serve()
    except OSError as exc:
        say(f"swreader: cannot listen on {web.listen_url(host, port)}: {exc.strerror or exc}")
        return 1
    return 0
