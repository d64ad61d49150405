"""Worker pools start from inside a full-screen app, whose stderr has no file descriptor."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from swreader.core.system.workers import WORKER_NICENESS, pool

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
