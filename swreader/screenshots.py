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
from swreader.widgets.article_list import ArticleList

SIZE = (110, 34)
Step = Callable[[Pilot], Awaitable[None]]


async def _settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _open(pilot: Pilot, fragment: str) -> None:
    articles = pilot.app.screen.query_one(ArticleList)
    ids = [a.id for a in articles._articles]
    articles.focus()
    articles.highlighted = ids.index(next(a.id for a in articles._articles if fragment in a.title))
    await pilot.press("enter")
    await _settle(pilot)


async def _shoot(path: Path, script: str, steps: list[Step]) -> None:
    app = make_app(script=script)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        for step in steps:
            await step(pilot)
            await _settle(pilot)
        path.write_text(app.export_screenshot(title="swreader"), encoding="utf-8")


async def _main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)

    async def xuchang(p: Pilot) -> None:
        await _open(p, "许昌市社会工作行业协会成立")

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
