"""A program in a tmux pane, driven as a user would: keys in, the screen read back.

:class:`Tmux` runs a private tmux server (``tmux -L``, no config file, no status line, panes
kept when their program exits so that its last screen can be read); :func:`wait_for` polls a
pane until a condition holds. Used by ``tti.py``; every call is one ``tmux`` process.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

Lines = list[str]


class PaneDied(RuntimeError):
    """The program in a pane exited (its last screen is the message)."""


class Tmux:
    """A private tmux server: no status line, panes kept (to be read) when they exit."""

    def __init__(self) -> None:
        self.socket = f"swreader-tti-{os.getpid()}"
        #: Called with every screen captured and when, to notice a state between polls.
        self.watchers: list[Callable[[Lines, float], None]] = []
        #: When the last screen was captured (``time.monotonic``).
        self.captured_at = 0.0
        self.run("new-session", "-d", "-s", "keep", "-x", "20", "-y", "5", "sleep 100000")
        self.path = self.run("display-message", "-p", "#{socket_path}").strip()
        for option in (("status", "off"), ("remain-on-exit", "on"), ("history-limit", "0")):
            self.run("set-option", "-g", *option)

    def run(self, *args: str) -> str:
        """Run one tmux command on this server; return its stdout."""
        command = ["tmux", "-u", "-f", "/dev/null", "-L", self.socket, *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def new(self, name: str, command: list[str], size: tuple[int, int] = (120, 40)) -> None:
        """Start ``command`` in a new detached session ``name`` of ``size`` (columns, rows)."""
        x, y = str(size[0]), str(size[1])
        self.run("new-session", "-d", "-s", name, "-x", x, "-y", y, shlex.join(command))

    def capture(self, name: str) -> Lines:
        """The pane's screen, one string per row."""
        lines = self.run("capture-pane", "-p", "-t", name).split("\n")
        self.captured_at = now = time.monotonic()
        for watch in self.watchers:
            watch(lines, now)
        return lines

    def send(self, name: str, keys: str, *, literal: bool = False) -> None:
        """Send ``keys``: a key name, or text with ``literal``."""
        self.run("send-keys", "-t", name, *(["-l"] if literal else []), keys)

    def dead(self, name: str) -> bool:
        """Whether the program in session ``name`` has exited."""
        return self.run("display-message", "-p", "-t", name, "#{pane_dead}").strip() == "1"

    def kill(self, name: str) -> None:
        """End session ``name``; wait (up to 10 s) until its program is gone."""
        pid = int(self.run("display-message", "-p", "-t", name, "#{pane_pid}").strip() or 0)
        self.run("kill-session", "-t", name)
        deadline = time.monotonic() + 10
        while pid and time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.02)

    def close(self) -> None:
        """Kill the server and every session on it."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        Path(self.path).unlink(missing_ok=True)


def wait_for(
    tmux: Tmux, name: str, done: Callable[[Lines], bool], *, timeout: float, every: float
) -> tuple[float | None, Lines]:
    """Poll the pane until ``done``; return when (``time.monotonic``) and the screen.

    Raises:
        PaneDied: The program exited first.
    """
    deadline = time.monotonic() + timeout
    lines: Lines = []
    checked = time.monotonic()
    while time.monotonic() < deadline:
        lines = tmux.capture(name)
        now = tmux.captured_at
        if done(lines):
            return now, lines
        if now - checked > 0.5:
            checked = now
            if tmux.dead(name):
                raise PaneDied("\n".join(lines))
        time.sleep(max(0.0, every - (time.monotonic() - now)))
    return None, lines


def cells(line: str) -> str:
    """``line`` with one character per display column (a wide one followed by NUL)."""
    return "".join(ch + "\0" * (unicodedata.east_asian_width(ch) in "WF") for ch in line)


class FirstSeen:
    """Notes when a screen captured by any poll first met ``done`` (one of the watchers)."""

    def __init__(self, done: Callable[[Lines], bool]) -> None:
        self.done = done
        self.at: float | None = None

    def __call__(self, lines: Lines, now: float) -> None:
        if self.at is None and self.done(lines):
            self.at = now
