"""``swreader serve``: the reader through textual-serve, on loopback, in a real server."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from swreader.cli import cli
from swreader.serve import app_command, is_loopback, listen_url

STARTUP_SECONDS = 30.0
SESSION_SECONDS = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server (SIGTERM: a graceful stop), kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A ``swreader serve`` on a free loopback port, stopped after the test.

    Its output (textual-serve copies a session's stderr to its stdout) goes to
    ``serve.log`` in ``tmp_path``.
    """
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "swreader", "serve", "--port", str(port), "--ui", "en"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "SWREADER_HOME": str(tmp_path / "home")},
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _accepts(port):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"server did not start: {(tmp_path / 'serve.log').read_text()}")
            time.sleep(0.1)
        yield port, process
    finally:
        _stop(process)
        log.close()


def _readers(home: Path, server: int) -> list[int]:
    """The ids of live processes, other than the server, whose environment names ``home``
    as SWREADER_HOME: the readers of its sessions (Linux: read from /proc)."""
    marker = f"SWREADER_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == server:
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def test_defaults_listen_on_loopback_port_8000() -> None:
    serve = cli.commands["serve"]
    defaults = {p.name: p.default for p in serve.params}
    assert defaults["host"] == "127.0.0.1"
    assert defaults["port"] == 8000
    assert defaults["ui"] is None
    ui = next(p for p in serve.params if p.name == "ui")
    assert isinstance(ui.type, click.Choice)
    assert list(ui.type.choices) == ["zh-Hans", "zh-Hant", "en"]


def test_ui_option_on_the_reader_too() -> None:
    read = cli.commands["read"]
    assert "ui" in {p.name for p in read.params}
    result = CliRunner().invoke(cli, ["--ui", "fr"])
    assert result.exit_code == 2
    assert "zh-Hans" in result.stderr


def test_command_runs_this_python_on_absolute_quoted_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    command = app_command(
        [Path("my pages"), Path("/abs/a'b.txt"), Path("-odd")], script="taiwan", ui="zh-Hant"
    )
    args = shlex.split(command)
    assert args[:4] == [sys.executable, "-m", "swreader", "read"]
    assert args[4:9] == ["--script", "taiwan", "--ui", "zh-Hant", "--"]
    assert args[9:] == [str(tmp_path / "my pages"), "/abs/a'b.txt", str(tmp_path / "-odd")]
    assert shlex.split(app_command([])) == [sys.executable, "-m", "swreader", "read"]


def test_loopback_hosts() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.5", "example.org"]))
    assert listen_url("::1", 8000) == "http://[::1]:8000"


def test_exposed_host_warns_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """--host 0.0.0.0 warns in one line (nothing is bound: the server is a stub)."""
    from textual_serve.server import Server

    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(
        Server, "serve", lambda self, debug=False: calls.append((self.host, self.port))
    )
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls == [("0.0.0.0", 8123)]
    warnings = [line for line in result.stderr.splitlines() if "exposed to the network" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("swreader: warning: listening on 0.0.0.0")
    assert result.stdout == ""


def test_busy_port_fails_in_one_line() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1].startswith(
        f"swreader: cannot listen on http://127.0.0.1:{port}: "
    )
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_loopback_gives_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual_serve.server import Server

    monkeypatch.setattr(Server, "serve", lambda self, debug=False: None)
    result = CliRunner().invoke(cli, ["serve", "--port", "8123"])
    assert result.exit_code == 0
    assert "warning" not in result.stderr


def test_page_is_textual_serve(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, _ = server
    url = f"http://127.0.0.1:{port}/"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "text/html"
        page = response.read().decode("utf-8")
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
    assert "swreader" in page  # the title, not the command line
    assert sys.executable not in page


def _visible(screen: bytes) -> str:
    """The text a terminal stream draws, without its escape sequences."""
    return re.sub(
        rb"\x1b(\[[0-9;?$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|.)", b"", screen
    ).decode("utf-8", "replace")


def test_websocket_session_runs_the_reader(
    server: tuple[int, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    """A browser session starts a reader process that draws the seeds in the asked
    interface language; stopping the server leaves no reader behind."""
    aiohttp = pytest.importorskip("aiohttp")
    if not Path("/proc/self/environ").exists():
        pytest.skip("needs /proc to find the session's reader process")
    port, process = server
    home = tmp_path / "home"
    readers: list[int] = []
    # A seed title (the pages are loaded) and the sidebar's root in English (--ui en).
    expected = ("社会工作", "All articles")

    async def session() -> bytes:
        screen = b""
        async with (
            aiohttp.ClientSession() as client,
            client.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30") as ws,
        ):
            deadline = time.monotonic() + SESSION_SECONDS
            while not all(text in _visible(screen) for text in expected):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    message = await ws.receive(timeout=left)
                except TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    screen += message.data
                elif message.type != aiohttp.WSMsgType.TEXT:
                    break  # closed: the reader ended
            readers.extend(_readers(home, process.pid))
        return screen

    screen = asyncio.run(asyncio.wait_for(session(), SESSION_SECONDS + 15))
    visible = _visible(screen)
    if not all(text in visible for text in expected):
        log = (tmp_path / "serve.log").read_text(errors="replace")
        if "unexpected keyword argument 'ui'" in log:
            pytest.fail("the reader can't start: make_app() does not take ui= yet")
        pytest.fail(f"the session drew {visible[-1000:]!r}; server log:\n{log[-3000:]}")
    assert readers, "no reader process for the session"
    _stop(process)
    deadline = time.monotonic() + 10
    while _readers(home, process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _readers(home, process.pid), "a reader outlived the server"
