"""Write SVG screenshots of the main screens into ``screenshots/``.

Run ``python -m swreader.screenshots [DIR]``. The app is driven headless with Pilot, on the
bundled seeds and a throwaway ``SWREADER_HOME``, so the user's state is never touched.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from swreader.app import make_app
from swreader.screens.testing import open_title, settle

SIZE = (110, 34)
Step = Callable[[Pilot], Awaitable[None]]


async def _shoot(path: Path, script: str, steps: list[Step], ui: str = "zh-Hans") -> None:
    app = make_app(script=script, ui=ui)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for step in steps:
            await step(pilot)
            await settle(pilot)
        path.write_text(app.export_screenshot(title="swreader"), encoding="utf-8")


async def _main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)

    async def xuchang(p: Pilot) -> None:
        await open_title(p, "许昌市社会工作行业协会成立")

    async def figures(p: Pilot) -> None:
        await p.press("f")
        await p.press("right_square_bracket", "right_square_bracket")

    async def help_screen(p: Pilot) -> None:
        await p.press("question_mark")

    async def figures_view(p: Pilot) -> None:
        await p.app.workers.wait_for_complete()  # the figures, stored by the loader
        await p.press("F")
        await settle(p)
        await p.app.workers.wait_for_complete()  # the view's rows

    async def figures_chart(p: Pilot) -> None:
        await figures_view(p)
        await p.press("slash", *"社工站", "down")
        await settle(p)
        await p.press("c")

    shots = {
        "reader-simplified.svg": ("simplified", [xuchang]),
        "reader-traditional.svg": ("traditional", [xuchang]),
        "figures-panel.svg": ("simplified", [xuchang, figures]),
        "help.svg": ("simplified", [help_screen]),
        "figures-view.svg": ("simplified", [figures_view]),
        "figures-chart.svg": ("simplified", [figures_chart]),
    }
    languages = {"reader-traditional.svg": "zh-Hant", "reader-english.svg": "en"}  # else 简体
    shots["reader-english.svg"] = ("simplified", [xuchang])
    written = []
    for name, (script, steps) in shots.items():
        await _shoot(out / name, script, steps, languages.get(name, "zh-Hans"))
        written.append(out / name)
    return written


def main() -> None:
    """Entry point: write the screenshots and print their paths."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")
    with tempfile.TemporaryDirectory() as home:
        os.environ["SWREADER_HOME"] = home
        for path in asyncio.run(_main(out)):
            print(path)
        if (browser := browser_screenshot(out)) is not None:
            print(browser)


def browser_screenshot(out: Path, chromium: str = "/usr/bin/chromium") -> Path | None:
    """Write ``browser.png``: the reader as ``swreader serve`` shows it in a web browser.

    Serves the bundled seeds on a free loopback port (with the current ``SWREADER_HOME``)
    and takes the page with headless Chromium, driven over its DevTools pipe: the page
    draws the reader only once its websocket session has started, in real time, which
    ``--screenshot`` with ``--virtual-time-budget`` does not wait for. The shot is taken
    when two captures a second apart agree. Skipped, with a line on stderr, when Chromium
    is not installed (Debian: ``apt-get install chromium``); the project never needs it.

    Args:
        out: The folder to write into.
        chromium: The browser to drive.

    Returns:
        The PNG's path, or None when it was skipped or failed.
    """
    import base64
    import json
    import select
    import socket
    import subprocess
    import time

    if not os.access(chromium, os.X_OK):
        print(f"swreader.screenshots: {chromium} not found: no browser.png", file=sys.stderr)
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = out.resolve() / "browser.png"
    path.unlink(missing_ok=True)  # an old one must not pass for this one
    serve = f"-m swreader serve --port {port} --script simplified --ui zh-Hans"
    quiet = {
        "stdin": subprocess.DEVNULL,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
    }
    server = subprocess.Popen([sys.executable, *serve.split()], **quiet)
    browser: subprocess.Popen[bytes] | None = None
    try:
        deadline = time.monotonic() + 30
        while server.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("serve did not start")
        with tempfile.TemporaryDirectory() as profile:
            flags = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
            flags += " --disable-background-networking --disable-component-update"
            flags += " --disable-sync --window-size=1280,800 --remote-debugging-pipe"
            # The DevTools pipe: Chromium reads commands on fd 3, answers on fd 4.
            to_browser, commands = os.pipe()
            answers, from_browser = os.pipe()
            os.set_inheritable(to_browser, True)
            os.set_inheritable(from_browser, True)

            def pipes() -> None:
                os.dup2(to_browser, 3)
                os.dup2(from_browser, 4)

            browser = subprocess.Popen(
                [chromium, *flags.split(), f"--user-data-dir={profile}", "about:blank"],
                **quiet,
                preexec_fn=pipes,
                close_fds=False,  # fds 3 and 4; ours are not inheritable (PEP 446)
            )
            os.close(to_browser)
            os.close(from_browser)
            ids, pending = iter(range(1, 1 << 30)), b""

            def call(method: str, session: str | None = None, **params: object) -> dict:
                """Send one DevTools command, return its result (events are dropped)."""
                nonlocal pending
                key = next(ids)
                message = {"id": key, "method": method, "params": params}
                if session:
                    message["sessionId"] = session
                os.write(commands, json.dumps(message).encode() + b"\0")
                while True:
                    while b"\0" not in pending:
                        if not select.select([answers], [], [], 30)[0]:
                            raise RuntimeError(f"chromium did not answer {method}")
                        if not (chunk := os.read(answers, 1 << 16)):
                            raise RuntimeError("chromium closed its DevTools pipe")
                        pending += chunk
                    raw, pending = pending.split(b"\0", 1)
                    answer = json.loads(raw)
                    if answer.get("id") == key:
                        if "error" in answer:
                            raise RuntimeError(f"{method}: {answer['error']}")
                        return answer["result"]

            try:
                targets = call("Target.getTargets")["targetInfos"]
                page = next(t["targetId"] for t in targets if t["type"] == "page")
                tab = call("Target.attachToTarget", targetId=page, flatten=True)["sessionId"]
                size = {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}
                call("Emulation.setDeviceMetricsOverride", tab, **size)
                call("Page.navigate", tab, url=f"http://127.0.0.1:{port}/")
                # The terminal shows once the reader's first bytes arrive; then wait until
                # it is drawn: two captures a second apart that agree.
                started = "document.body.classList.contains('-first-byte')"
                shot, deadline = b"", time.monotonic() + 60
                while time.monotonic() < deadline:
                    time.sleep(1)
                    if not call("Runtime.evaluate", tab, expression=started)["result"]["value"]:
                        continue
                    previous = shot
                    shot = base64.b64decode(call("Page.captureScreenshot", tab)["data"])
                    if shot == previous:
                        break
                else:
                    raise RuntimeError("the page did not settle in 60 s")
                call("Browser.close")
            finally:
                os.close(commands)
                os.close(answers)
            path.write_bytes(shot)
    except (OSError, RuntimeError, subprocess.SubprocessError, StopIteration) as exc:
        print(f"swreader.screenshots: no browser.png: {exc}", file=sys.stderr)
        return None
    finally:
        for process in (browser, server):
            if process is None:
                continue
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return path


if __name__ == "__main__":
    main()
