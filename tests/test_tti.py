"""The terminal benchmark starts, and reads the screens it waits for as the reader draws them.

Nothing here drives tmux or times anything: ``benchmarks/tti.py`` is run by hand.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

TTI = Path(__file__).resolve().parents[1] / "benchmarks" / "tti.py"


def _tti() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tti", TTI)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_help_runs() -> None:
    out = subprocess.run(
        [sys.executable, str(TTI), "--help"], capture_output=True, text=True, check=True
    )
    assert "--runs" in out.stdout and "--json" in out.stdout


def _screen(sidebar: bool, status: str) -> list[str]:
    """A 120×40 screen like the reader's: sidebar (26 wide, its border ▕), list, status."""
    left = "全部文章 (15)            \u2595" if sidebar else ""
    rows = [left + " 许昌市社会工作行业协会成立" for _ in range(38)]
    return [*rows, status, " t 繁體  s 侧栏  / 搜索", ""]


def test_screen_reading() -> None:
    tti = _tti()
    shown = _screen(True, " 原文   全部  · 15 篇  数字 1")
    assert tti.status_count(shown) == 15
    assert tti.status_count(_screen(True, " 原文")) is None
    col = tti.sidebar_border(shown)
    assert col == 25  # display columns: each Chinese character takes two
    assert tti.sidebar_shown(shown, col)
    assert not tti.sidebar_shown(_screen(False, " 原文   全部  · 15 篇"), col)
    assert tti.sidebar_border(_screen(False, "")) is None
    assert not tti.box_shown(shown)
    assert tti.box_open([*shown[:5], "│ 输入以搜索 │"])
    assert tti.box_shown([*shown[:5], "│ 3 条结果 │"])


class _FakeBox:
    """A pane with the search box open: it waits for the index until ``ready_after`` keys."""

    def __init__(self, tti: ModuleType, ready_after: int) -> None:
        self.tti, self.ready_after = tti, ready_after
        self.query, self.keys, self.captured_at = "s", 0, 0.0

    def capture(self, name: str) -> list[str]:
        self.captured_at = time.monotonic()
        waiting = self.keys < self.ready_after
        count = self.tti.INDEXING + "…就绪即搜索" if waiting else "0 条结果"
        return ["─" * 30, f"│ {self.query} │", f"│ {count} │", " 原文   全部  · 15 篇", ""]

    def send(self, name: str, keys: str, *, literal: bool = False) -> None:
        self.keys += 1
        self.query = self.query + keys if literal else self.query[:-1]

    def dead(self, name: str) -> bool:
        return False


def test_keys_go_into_the_box_while_the_index_is_built() -> None:
    tti = _tti()
    box = _FakeBox(tti, ready_after=3)
    latencies: list[float] = []
    start = time.monotonic()
    ready = tti._keys_in_box(box, "cold0", latencies, deadline=start + 10)
    # ω, Backspace, ω: each seen on the screen at once; then the waiting line is gone.
    assert box.keys == 3 and box.query == "s" + tti.MARK
    assert len(latencies) == 3 and max(latencies) < 1.0
    assert ready is not None and ready - start >= 2.0  # one key a second
    # A box that never stops waiting: no ready time, and no key left untimed.
    stuck = _FakeBox(tti, ready_after=10**6)
    latencies = []
    assert tti._keys_in_box(stuck, "cold1", latencies, deadline=time.monotonic() + 1.5) is None
    assert len(latencies) == stuck.keys == 2
