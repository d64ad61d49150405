"""Time to interactive in a real terminal: ``python benchmarks/tti.py DIR [--runs 3] [--json]``.

The reader is driven in tmux as a user drives it: ``swreader DIR`` in a detached 120×40 pane,
keys sent with ``send-keys``, the screen read with ``capture-pane -p`` — so interpreter start,
imports, Textual's first paint, the library and the terminal all count. Medians of ``--runs``
runs, in seconds from just before ``tmux new-session``:

1. **Warm start**: a home filled beforehand (untimed: ``swreader search``, then one launch,
   quit with `q`), copied afresh for every run, so each run is the same second launch.
   ``first_frame``: the status bar is drawn; ``list_shown``: its ``N 篇`` is above 0 and an
   archive title is on screen (polled every 10 ms); ``list_complete``: N is the archive's
   count. `/` is sent at once: ``search_open``: the box shows (``输入以搜索``/``最近搜索``);
   the query is typed: ``search_answered``: the box's ``N 条结果`` shows, and stays 0.3 s
   (a stale prefix's count does not count). The box opens while the index loads and
   searches once it comes; older versions refused (a ``索引中…`` notice), and for them
   `/` is sent again (every 0.5 s at most), never before the last one is known answered
   — the box, or one more notice — or 10 s have passed (one typed into the box would
   spoil the query: such a run has no ``search_answered``); ``slash_attempts`` counts
   them.
2. **Key latency during a cold open** (an empty home): from the first frame, `s` (show or
   hide the sidebar) every second, timed from ``send-keys`` until the sidebar is seen in its
   new state (polled every 5 ms): its right border ``▕``, in the column the first frame
   shows it, on most rows — progress bars, counts and notices cannot pass for the answer.
   Once the list is complete, `/` is tried each second until the box opens. The box opens
   while the index is still being built (it says ``索引中…``): from then on a key every
   second goes into the box, ``ω`` then Backspace, timed until the query line shows it
   (or no longer does), until the waiting line is gone: the open is over, the index ready
   (``search_ready``, to within a second). Older versions opened the box only then.

The strings come from ``swreader.strings``, the reader started with ``--ui zh-Hans`` so the
locale does not matter. The baseline is a trivial program through the same tmux calls
(``python -S`` printing ``ready``; a key flipping a word): the floor of every figure, since
each tmux call is a process and figures are late by up to a poll interval plus one call. A
private tmux server (``-L``) runs the sessions and is killed at the end; the temporary homes
are removed. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from swreader import strings

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmux_driver import FirstSeen, Lines, PaneDied, Tmux, cells, wait_for

UI = "zh-Hans"
WIDTH, HEIGHT = 120, 40
BODY = HEIGHT - 2  # above the status bar and the footer
SWREADER = Path(sys.executable).parent / "swreader"
BORDER = "\u2595"  # ▕, the sidebar's right border (vkey)
Figures = dict[str, float | int | None]


def _pattern(key: str) -> re.Pattern[str]:
    """A regex for catalogue string ``key``, its ``{n}`` a captured number."""
    return re.compile(re.escape(strings.text(key, UI, n=0)).replace("0", r"(\d+)", 1))


COUNT = _pattern("status.count")  # "N 篇", the status bar
RESULTS = _pattern("search.count")  # "N 条结果", the search box
BOX = (strings.text("search.type", UI), strings.text("search.recent", UI))  # the empty box
#: How a `/` refused before the index began, in versions that refused it (as the box's
#: own waiting line, now, begins: which shows with the box, so it counts as open).
INDEXING = strings.text("search.waiting", UI)[:3]


# -- reading the screen ------------------------------------------------------------------
def status_count(lines: Lines) -> int | None:
    """The article count of the status bar (the bottom rows), if shown."""
    found = (COUNT.search(line) for line in lines[-4:])
    return next((int(m.group(1)) for m in found if m), None)


def sidebar_border(lines: Lines) -> int | None:
    """The display column of the sidebar's right border, if most rows show it."""
    cols = [x for line in lines[:BODY] for x, ch in enumerate(cells(line)[:45]) if ch == BORDER]
    col = max(set(cols), key=cols.count, default=None)
    return col if col is not None and cols.count(col) >= BODY // 2 else None


def sidebar_shown(lines: Lines, col: int) -> bool:
    """Whether the sidebar, its border in column ``col``, is on screen."""
    return sum(cells(line)[col : col + 1] == BORDER for line in lines[:BODY]) >= BODY // 2


def box_open(lines: Lines) -> bool:
    """Whether the search box is open, still empty."""
    return any(b in line for line in lines for b in BOX)


def box_shown(lines: Lines) -> bool:
    """Whether the search box is open, empty or with results."""
    return box_open(lines) or any(RESULTS.search(line) for line in lines)


def press_slash(tmux: Tmux, name: str, timeout: float) -> str:
    """Send `/`; wait until the box shows (``"open"``), a notice says the index is not
    ready (``"refused"``) or ``timeout`` passes (``"unknown"``). Notices stack, so a new one
    is one more of them on screen — unless an old one went in the same frame (unknown).
    """
    seen = "\n".join(tmux.capture(name)).count(INDEXING)
    refused = False

    def answered(lines: Lines) -> bool:
        nonlocal seen, refused
        notices = "\n".join(lines).count(INDEXING)
        refused, seen = notices > seen, min(seen, notices)
        return refused or box_shown(lines)

    tmux.send(name, "/")
    _, lines = wait_for(tmux, name, answered, timeout=timeout, every=0.01)
    return "open" if box_shown(lines) else "refused" if refused else "unknown"


def open_box(tmux: Tmux, name: str, opened: FirstSeen) -> int:
    """Open the search box, `/` after `/` while the index is loading; return the attempts.

    A second `/` is never sent before the first is known answered — the box, or one more
    notice — or 10 s have passed: one reaching the box would be typed into the query. `/`
    is sent at most every 0.5 s, so that the notices (5 s each) fit on the screen.
    """
    attempts, last = 0, 0.0
    while opened.at is None and attempts < 500:
        attempts += 1
        time.sleep(max(0.0, last + 0.5 - time.monotonic()))
        last = time.monotonic()
        press_slash(tmux, name, timeout=10.0)
    return attempts


def _answered(tmux: Tmux, name: str, query: str, steady: float = 0.3) -> float | None:
    """When the box's count line first showed the count it then kept for ``steady`` s."""
    seen: tuple[str, float] | None = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = "\n".join(tmux.capture(name))
        now = tmux.captured_at
        if "/" + query in text:
            return None  # a late `/` reached the box (open_box): not the query asked
        match = RESULTS.search(text) if query in text else None
        if match and (seen is None or seen[0] != match.group(0)):
            seen = (match.group(0), now)
        elif match and seen is not None and now - seen[1] >= steady:
            return seen[1]
        time.sleep(0.01)
    return None


# -- the measurements --------------------------------------------------------------------
def _since(t0: float, t: float | None) -> float | None:
    return None if t is None else round(t - t0, 3)


def _command(home: Path, archive: Path) -> list[str]:
    # As installed: pip compiles the package's bytecode, so a start imports it. A checkout
    # run where PYTHONDONTWRITEBYTECODE is set (as on this machine) would compile every
    # module of swreader on every start instead (~0.2 s); the first launch writes it.
    return [
        "env",
        "-u",
        "PYTHONDONTWRITEBYTECODE",
        f"SWREADER_HOME={home}",
        str(SWREADER),
        "--ui",
        UI,
        str(archive),
    ]


#: The baseline program: says ``ready``, then prints a dot for every key.
TRIVIAL = (
    "import os, tty\nprint('ready', flush=True)\ntty.setcbreak(0)\n"
    "while os.read(0, 1):\n    print('.', end='', flush=True)\n"
)


def baseline(tmux: Tmux) -> Figures:
    """The floor: a trivial program's time to show ``ready``, and a key's round trip."""
    ready, keys = [], []
    for n in range(3):
        t0 = time.monotonic()
        tmux.new(name := f"base{n}", [sys.executable, "-S", "-c", TRIVIAL])
        t, _ = wait_for(tmux, name, lambda s: "ready" in s[0], timeout=10, every=0.005)
        ready.append((t or float("nan")) - t0)
        for dots in range(1, 4):
            sent = time.monotonic()
            tmux.send(name, "x", literal=True)
            t, _ = wait_for(
                tmux, name, lambda s, d=dots: s[1].count(".") == d, timeout=5, every=0.005
            )
            keys.append((t or float("nan")) - sent)
        tmux.kill(name)
    return {
        "ready_s": round(statistics.median(ready), 3),
        "key_ms": round(1000 * statistics.median(keys), 1),
    }


def prepare(archive: Path, home: Path, tmux: Tmux) -> list[str]:
    """Fill ``home`` (library, index, one launch of the reader); return the titles."""
    env = {**os.environ, "SWREADER_HOME": str(home)}
    for args in (["search", "社工"], ["export"]):
        out = subprocess.run([SWREADER, *args, str(archive)], env=env, capture_output=True)
        # Status 1 is nothing found, or a page skipped; a traceback is a failure.
        if out.returncode not in (0, 1) or b"Traceback (most recent call last)" in out.stderr:
            raise SystemExit(f"tti: swreader {args[0]} failed:\n{out.stderr.decode()}")
    lines = out.stdout.decode().splitlines()
    titles = [json.loads(line)["title"] for line in lines if line.strip()]
    if not titles:
        raise SystemExit(f"tti: no articles in {archive}:\n{out.stderr.decode()}")
    # The first launch of the reader writes its own state (settings, the position).
    tmux.new("prep", _command(home, archive), (WIDTH, HEIGHT))
    wait_for(tmux, "prep", lambda s: status_count(s) == len(titles), timeout=600, every=0.1)
    time.sleep(1.0)  # the index loaded, the converters warmed, the position stored
    tmux.send("prep", "q")
    deadline = time.monotonic() + 30
    while not tmux.dead("prep") and time.monotonic() < deadline:
        time.sleep(0.05)
    tmux.kill("prep")
    return titles


def warm_run(
    tmux: Tmux, name: str, home: Path, archive: Path, titles: list[str], query: str
) -> Figures:
    """One warm start: list shown, list complete, search open and answered."""
    prefixes = {t.strip()[:6] for t in titles if len(t.strip()) >= 2}

    def listed(lines: Lines) -> bool:
        body = "\n".join(lines[:BODY])
        return bool(status_count(lines)) and any(p in body for p in prefixes)

    t0 = time.monotonic()
    tmux.new(name, _command(home, archive), (WIDTH, HEIGHT))
    complete = FirstSeen(lambda s: status_count(s) == len(titles))
    opened = FirstSeen(box_shown)
    painted = FirstSeen(lambda s: status_count(s) is not None)  # the first frame
    tmux.watchers = [painted, complete, opened]
    shown, _ = wait_for(tmux, name, listed, timeout=120, every=0.01)
    attempts = open_box(tmux, name, opened) if shown is not None else 0
    answered = None
    if opened.at is not None:
        tmux.send(name, query, literal=True)
        answered = _answered(tmux, name, query)
    if shown is not None and complete.at is None:  # still loading, or hidden by the box
        tmux.send(name, "Escape")
        wait_for(tmux, name, lambda s: complete.at is not None, timeout=120, every=0.01)
    tmux.kill(name)
    return {
        "first_frame_s": _since(t0, painted.at),
        "list_shown_s": _since(t0, shown),
        "list_complete_s": _since(t0, complete.at),
        "search_open_s": _since(t0, opened.at),
        "search_answered_s": _since(t0, answered),
        "slash_attempts": attempts,
    }


def cold_run(
    tmux: Tmux, name: str, home: Path, archive: Path, total: int, timeout: float
) -> Figures:
    """One cold open: `s` every second, its latency each time, until the search box opens."""
    t0 = time.monotonic()
    tmux.new(name, _command(home, archive), (WIDTH, HEIGHT))
    complete, opened = FirstSeen(lambda s: status_count(s) == total), FirstSeen(box_shown)
    tmux.watchers = [complete, opened]
    up = wait_for(tmux, name, lambda s: sidebar_border(s) is not None, timeout=60, every=0.01)
    first, col = up[0], sidebar_border(up[1])
    if first is None or col is None:
        raise PaneDied("the reader never showed its sidebar:\n" + "\n".join(up[1]))
    latencies: list[float] = []
    next_key = first + 1.0
    while opened.at is None and time.monotonic() - t0 < timeout:
        idle = next_key - time.monotonic()  # polled every 0.1 s: when the list completes
        wait_for(tmux, name, lambda s: opened.at is not None, timeout=idle, every=0.1)
        next_key += 1.0
        if complete.at is not None and opened.at is None:  # does `/` open the box yet?
            press_slash(tmux, name, timeout=0.5)  # a late box: seen, `s` goes into it
        if opened.at is not None:
            break
        before = sidebar_shown(tmux.capture(name), col)
        sent = time.monotonic()
        tmux.send(name, "s")
        flipped = wait_for(
            tmux,
            name,
            lambda s, b=before: sidebar_shown(s, col) != b or opened.at is not None,
            timeout=60,
            every=0.005,
        )
        if opened.at is None:  # else the key went to the box, which opened late
            latencies.append((flipped[0] or time.monotonic()) - sent)
    ready = _keys_in_box(tmux, name, latencies, t0 + timeout) if opened.at is not None else None
    tmux.kill(name)
    return {
        "first_frame_s": _since(t0, first),
        "list_complete_s": _since(t0, complete.at),
        "search_open_s": _since(t0, opened.at),
        "search_ready_s": _since(t0, ready),
        "keys": len(latencies),
        "key_median_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "key_max_ms": round(1000 * max(latencies), 1) if latencies else None,
    }


#: Typed into the box while the index is built: found in no archive, nor on the screen.
MARK = "\u03c9"  # ω


def _keys_in_box(tmux: Tmux, name: str, latencies: list[float], deadline: float) -> float | None:
    """Keys into the open box, one a second, while it waits for the index; when it is ready.

    ``ω`` and Backspace in turn, each timed until the screen shows one ``ω`` more or less.
    Returns when the box's waiting line was first seen gone (None: not before ``deadline``).
    """
    typed = False
    next_key = time.monotonic()
    while time.monotonic() < deadline:
        lines = tmux.capture(name)
        if not any(INDEXING in line for line in lines):
            return tmux.captured_at
        if time.monotonic() < next_key:
            time.sleep(0.05)
            continue
        next_key += 1.0
        before = "\n".join(lines).count(MARK)
        want = before - 1 if typed else before + 1
        sent = time.monotonic()
        if typed:
            tmux.send(name, "BSpace")
        else:
            tmux.send(name, MARK, literal=True)
        typed = not typed
        seen, _ = wait_for(
            tmux, name, lambda s, w=want: "\n".join(s).count(MARK) == w, timeout=60, every=0.005
        )
        latencies.append((seen or time.monotonic()) - sent)
    return None


def _medians(runs: list[Figures]) -> Figures:
    """The median of each figure over the runs (None where no run has it)."""
    out: Figures = {}
    for key in runs[0]:
        values = [r[key] for r in runs if r[key] is not None]
        out[key] = round(statistics.median(values), 3) if values else None  # type: ignore[arg-type]
    return out


def prepared(archive: Path, template: Path, tmux: Tmux) -> list[str]:
    """The titles of a home filled for ``archive``: ``template`` as it is, or filled now.

    A filled home is kept with its titles (``titles.json``), so that measuring a change
    again on a large archive does not first rebuild its index (~5 min at 100k articles).
    Only a home this script filled is reused; delete it when the library format changes.
    """
    saved = template / "titles.json"
    if saved.is_file():
        record = json.loads(saved.read_text(encoding="utf-8"))
        if record.get("archive") == str(archive):
            return list(record["titles"])
        raise SystemExit(f"tti: {template} was filled for {record.get('archive')}")
    titles = prepare(archive, template, tmux)
    record = {"archive": str(archive), "titles": titles}
    saved.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return titles


def measure(
    archive: Path,
    runs: int,
    query: str,
    cold_timeout: float,
    template: Path | None = None,
    cold_runs: bool = True,
) -> dict[str, object]:
    """Both measurements on ``archive``, with the baseline; the figures as a dict.

    Args:
        archive: The folder of pages.
        runs: Runs of each measurement.
        query: What the warm start searches for.
        cold_timeout: Seconds per cold open.
        template: A home to fill once and keep (:func:`prepared`); default a temporary one.
        cold_runs: Whether to measure cold opens too.
    """
    tmux, scratch = Tmux(), Path(tempfile.mkdtemp(prefix="swreader-tti-"))
    try:
        floor = baseline(tmux)
        template = template or scratch / "template"
        titles = prepared(archive, template, tmux)
        warm, cold = [], []
        for n in range(runs):
            home = scratch / f"warm{n}"
            shutil.copytree(template, home)
            warm.append(warm_run(tmux, f"warm{n}", home, archive, titles, query))
        for n in range(runs if cold_runs else 0):
            (home := scratch / f"cold{n}").mkdir()
            cold.append(cold_run(tmux, f"cold{n}", home, archive, len(titles), cold_timeout))
    finally:
        tmux.watchers = []
        tmux.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "archive": str(archive),
        "articles": len(titles),
        "runs": runs,
        "baseline": floor,
        "warm": _medians(warm),
        "cold": _medians(cold) if cold else None,
        "cold_key_max_ms": max((r["key_max_ms"] or 0) for r in cold) if cold else None,
        "warm_runs": warm,
        "cold_runs": cold,
    }


def main(argv: list[str] | None = None) -> int:
    """Run both measurements; print the figures (``--json``: one JSON object)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("archive", type=Path, help="a folder of pages (the seeds too)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--query", default="社工", help="what the warm start searches for")
    parser.add_argument("--cold-timeout", type=float, default=900, help="seconds per cold open")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--home", type=Path, help="a warm home to fill once and keep for later runs"
    )
    parser.add_argument("--warm-only", action="store_true", help="skip the cold opens")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        parser.error("tmux is needed (apt-get install -y tmux)")
    try:
        figures = measure(
            args.archive.resolve(),
            max(1, args.runs),
            args.query,
            args.cold_timeout,
            args.home.resolve() if args.home else None,
            not args.warm_only,
        )
    except PaneDied as exc:
        print(f"tti: the reader exited; its last screen:\n{exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    print(f"{figures['archive']}: {figures['articles']} articles, medians of {args.runs} runs")
    for part in ("baseline", "warm", "cold"):
        values = figures[part]
        if isinstance(values, dict):
            print(f"  {part:9}", ", ".join(f"{k} {v}" for k, v in values.items()))
    if figures["cold_key_max_ms"] is not None:
        print(f"  longest key latency of every cold open: {figures['cold_key_max_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
