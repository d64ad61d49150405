"""Worker pools start from inside a full-screen app, whose stderr has no file descriptor."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from swreader.core.pages.corpus import Corpus
from swreader.core.store.figurework import PARALLEL_FROM as FIGURES_FROM
from swreader.core.store.figurework import computed
from swreader.core.store.parsing import PARALLEL_FROM as PARSE_FROM
from swreader.core.store.parsing import parsing
from swreader.core.system.workers import WORKER_NICENESS, pool

from .conftest import SEEDS

SCRIPT = textwrap.dedent(
    """
    import sys

    class Captured:  # as a Textual app holds sys.stderr while it runs
        def write(self, text):
            return len(text)

        def flush(self):
            pass

        def fileno(self):
            return -1

    from swreader.core.system.workers import pool

    def main():
        sys.stderr = Captured()
        with pool(1, start="spawn") as workers:
            print(workers.submit(pow, 2, 10).result())
        print(type(sys.stderr).__name__)

    if __name__ == "__main__":
        main()
    """
)


def test_a_spawned_pool_starts_while_stderr_is_captured(tmp_path: Path) -> None:
    script = tmp_path / "captured.py"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    # The pool ran its task, and the app's capture is back in place afterwards.
    assert done.stdout.split() == ["1024", "Captured"]


def _niceness(_: int) -> int:
    return os.nice(0)


def test_workers_run_nicer_than_their_parent() -> None:
    """A cold open's workers must leave the cores to the UI when both want them."""
    with pool(2) as workers:
        found = set(workers.map(_niceness, range(4)))
    parent = os.nice(0)
    assert parent < 19, "this test needs a parent that can be made nicer"
    assert found == {min(19, parent + WORKER_NICENESS)}
    assert found.pop() > parent


class _Stop(Exception):
    """Leaves a pool's block early, as a failed or cancelled open does."""


@pytest.fixture
def thread_errors(monkeypatch: pytest.MonkeyPatch) -> list[threading.ExceptHookArgs]:
    """Exceptions raised in any thread while the test runs."""
    raised: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", raised.append)
    return raised


def _left_behind(before: set[threading.Thread]) -> list[object]:
    """The threads and worker processes a pool left running."""
    return [t for t in threading.enumerate() if t not in before] + multiprocessing.active_children()


def test_leaving_a_parse_early_leaves_no_pool_running(
    tmp_path: Path, thread_errors: list[threading.ExceptHookArgs]
) -> None:
    """A pool still shutting down after we return can raise InvalidStateError from a thread."""
    seeds = sorted(SEEDS.iterdir())
    files = []
    for n in range(PARSE_FROM * 2):
        files.append(tmp_path / f"{n:03}.txt")
        shutil.copy(seeds[n % len(seeds)], files[-1])
    before = set(threading.enumerate())
    with pytest.raises(_Stop), parsing(2, len(files)) as parse:
        results = parse(files)
        next(results)
        raise _Stop
    assert _left_behind(before) == []
    assert thread_errors == []


def test_closing_figure_work_early_leaves_no_pool_running(
    corpus: Corpus, thread_errors: list[threading.ExceptHookArgs]
) -> None:
    copies = FIGURES_FROM // sum(len(p.articles) for p in corpus.pages) + 2
    pages = corpus.pages * copies
    before = set(threading.enumerate())
    chunks = computed(pages, 2, None)
    counted, *_ = next(chunks)
    assert counted > 0
    chunks.close()
    assert _left_behind(before) == []
    assert thread_errors == []
