"""``swreader serve``: the same reader in a web browser, through textual-serve.

textual-serve runs one reader process per browser session, as a shell command, and relays
its screen over a websocket. The command is ``python -m swreader read ...`` with the
interpreter that runs the server, the pages as absolute, quoted paths (so that a session
opens the same files wherever the server was started) and ``SWREADER_HOME`` passed through
the environment, so every session shares the server's library and state.

This module only composes that command and the addresses (stdlib only, so the CLI can
import it at once); the server itself is run by :func:`swreader.app.serve_app`, in the UI
layer with the rest of what drives the reader.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

#: Where the server listens unless told otherwise: this machine only.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: The page title browsers show for a session.
TITLE = "swreader"


def app_command(
    paths: Sequence[Path],
    *,
    script: str | None = None,
    ui: str | None = None,
    python: str | None = None,
) -> str:
    """The shell command that runs one reader session for textual-serve.

    Args:
        paths: Page files or folders; relative ones are made absolute. None for the
            bundled seeds.
        script: Force this script in every session (None: the stored one).
        ui: The interface language for every session (None: the reader's default).
        python: The interpreter; default the one running this code.

    Returns:
        A command line for ``/bin/sh``, every argument quoted.
    """
    args = [python or sys.executable, "-m", "swreader", "read"]
    if script is not None:
        args += ["--script", script]
    if ui is not None:
        args += ["--ui", ui]
    if paths:
        # "--" keeps a page named like an option a page; absolute paths keep it the same
        # page whatever directory a session starts in.
        args += ["--", *(os.path.abspath(os.fsdecode(path)) for path in paths)]
    return shlex.join(args)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only.

    Args:
        host: An address or host name as given to ``--host``.

    Returns:
        True for ``localhost`` and loopback addresses (127.0.0.0/8, ``::1``).
    """
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def listen_url(host: str, port: int) -> str:
    """The ``http://`` address of a server listening on ``host``:``port``.

    Args:
        host: An address or host name.
        port: The TCP port.

    Returns:
        The URL, with an IPv6 address in brackets.
    """
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"
