"""The real reader in a pseudo-terminal: what Pilot does not see (Textual's own driver, its
capture of stderr) must not end it.

Pilot runs the app headless, without the capture of ``sys.stderr`` a real run holds; a
spawned process started then (the search index's checksum, read apart for a large
archive) crashed the real reader while every Pilot test passed. Here the installed
command line runs on the seeds in a terminal of its own, with the checksum read apart as
for 100k articles, and must still be there, and quit cleanly, once it is all loaded.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import textwrap
import time
from pathlib import Path

from swreader.core.pages.corpus import bundled_seeds

SCRIPT = textwrap.dedent(
    """
    import sys

    from swreader.core.search import engine

    engine.APART_FROM = 0  # every index read apart, as a 100k one is
    from swreader.cli import main

    if __name__ == "__main__":  # as the installed command's script: spawned ones import it
        sys.argv = ["swreader", "--ui", "zh-Hans", sys.argv[1]]
        main()
    """
)


def _read(fd: int, seconds: float) -> bytes:
    """What the terminal shows within ``seconds`` (until it closes)."""
    out = b""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other end closed: the process is gone
            break
        if not chunk:
            break
        out += chunk
    return out


def _exit_status(pid: int, seconds: float) -> int | None:
    """The exit code of ``pid`` once it ends within ``seconds`` (reaped), else ``None``."""
    deadline = time.monotonic() + seconds
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


def test_the_real_reader_survives_its_start_and_quits(tmp_path: Path) -> None:
    script = tmp_path / "reader.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "SWREADER_HOME": str(tmp_path / "home"), "TERM": "xterm-256color"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the reader, in the terminal
        os.execve(sys.executable, [sys.executable, str(script), str(bundled_seeds())], env)
    code: int | None = None
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        # Loaded, indexed, the checksum read apart, the figures stored: a few seconds.
        shown = _read(fd, 12.0)
        code = _exit_status(pid, 0.1)
        assert code is None, shown.decode("utf-8", "replace")[-2000:]  # still running
        os.write(fd, b"q")
        rest = _read(fd, 10.0)
        code = _exit_status(pid, 10.0)
    finally:
        if code is None:  # not reaped: a reader that hangs is ended, not left behind
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    text = (shown + rest).decode("utf-8", "replace")
    assert "15" in text  # the status line's article count was drawn
    assert "Traceback" not in text and "Error" not in text, text[-2000:]
    assert code == 0, text[-2000:]
