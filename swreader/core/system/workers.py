"""Worker processes that never outlive the process that started them.

Parsing pages and tokenising texts for the index run in a process pool. A parent killed
with SIGKILL never shuts its pool down, and the workers, blocked on a queue whose other end
they hold themselves, would wait forever: :func:`watch_parent`, the pools' initializer,
ends each worker as soon as its parent is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

__all__ = ["WORKER_NICENESS", "pool", "running", "watch_parent"]

_PARENT_POLL_S = 0.5  # seconds between a worker's checks that its parent is still there
#: How much nicer than their parent workers run. The reader parses and indexes beside its
#: UI: on a machine with as many workers as cores, the UI thread waited for a core behind
#: them and a key press during a cold open took up to ~0.9 s. Alone, the workers lose nothing.
WORKER_NICENESS = 10
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def watch_parent() -> None:
    """Pool initializer: end this worker as soon as the process that started it is gone.

    It also makes the worker nicer than its parent (:data:`WORKER_NICENESS`).
    """
    with contextlib.suppress(OSError, AttributeError):  # no os.nice on Windows
        os.nice(WORKER_NICENESS)
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        # The kernel's own signal on the parent's death; the poll below covers the rest.
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    threading.Thread(target=_poll_parent, args=(parent,), daemon=True).start()


def _poll_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_S)
    os._exit(1)  # orphaned: nobody will read what this worker would compute


def pool(workers: int, start: str | None = None) -> ProcessPoolExecutor:
    """A process pool of ``workers`` processes that end with this one.

    Args:
        workers: How many processes.
        start: The start method (``"spawn"``: a fresh interpreter, safe to start from a
            process whose other threads hold locks, at ~0.3 s more); default the
            platform's (``fork`` on Linux).
    """
    context = multiprocessing.get_context(start) if start else None
    if start in ("spawn", "forkserver"):
        _start_tracker()
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=watch_parent)


@contextlib.contextmanager
def running(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of :func:`pool` for a ``with`` block; leaving it drops the queued work.

    Leaving always waits for the workers to end, even on a cancel: they only finish the
    items already handed to them (at most ``workers + 1``). Not waiting left the pool's
    management thread running after us, and in CPython before gh-107219 (3.11.7 has it) a
    worker dying then made that thread call ``set_exception`` on our cancelled futures and
    raise ``InvalidStateError`` from a thread, onto the terminal.

    Args:
        workers: How many processes.
    """
    executor = pool(workers)
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _start_tracker() -> None:
    """Start multiprocessing's resource tracker (spawned pools need it) with a real stderr.

    The tracker's start hands ``sys.stderr.fileno()`` to its process. A full-screen app
    captures ``sys.stderr`` in an object whose ``fileno()`` is -1 (Textual does), and the
    start then fails with ``ValueError: bad value(s) in fds_to_keep``: the reader crashed
    on its first spawned pool. For that moment the process's own stderr stands in; what
    another thread writes to stderr then goes to the terminal's, not the app's capture.
    """
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        return
    captured, sys.stderr = sys.stderr, sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured
