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
from swreader.testing import open_title, settle

SIZE = (110, 34)
Step = Callable[[Pilot], Awaitable[None]]


async def _shoot(path: Path, script: str, steps: list[Step]) -> None:
    app = make_app(script=script)
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

    shots = {
        "reader-simplified.svg": ("simplified", [xuchang]),
        "reader-traditional.svg": ("traditional", [xuchang]),
        "figures-panel.svg": ("simplified", [xuchang, figures]),
        "help.svg": ("simplified", [help_screen]),
    }
    written = []
    for name, (script, steps) in shots.items():
        await _shoot(out / name, script, steps)
        written.append(out / name)
    return written


def main() -> None:
    """Entry point: write the screenshots and print their paths."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")
    with tempfile.TemporaryDirectory() as home:
        os.environ["SWREADER_HOME"] = home
        for path in asyncio.run(_main(out)):
            print(path)


if __name__ == "__main__":
    main()
