"""Writes done in order in a thread of their own, so that the caller never waits on the disk.

The reader records a read mark and a position each time an article opens, on the UI thread.
A commit is quick on an idle disk, but while a cold open writes its library (hundreds of MB
at 100k articles) a small write can wait behind the kernel's writeback: the screen froze
for a few hundred milliseconds just as the list completed. :class:`WriteBehind` runs each
write in one thread, in the order given; :meth:`WriteBehind.settle` waits for those given
so far (a read that must see them), and :meth:`WriteBehind.close` for all of them (nothing
given is lost on a clean exit).
"""

from __future__ import annotations

import atexit
import queue
import threading
import weakref
from collections.abc import Callable

__all__ = ["WriteBehind"]


class WriteBehind:
    """One thread running the writes handed to it, in order.

    Args:
        failed: Called, in the writer's thread, with a write that raised and its error
            (the store's own writes never raise: this is for a bug, said rather than lost).
    """

    def __init__(self, failed: Callable[[BaseException], None]) -> None:
        self._queue: queue.Queue[Callable[[], object] | None] = queue.Queue()
        self._failed = failed
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self._closed = False

    def submit(self, write: Callable[[], object]) -> None:
        """Run ``write()`` after every write submitted before it; at once if closed."""
        with self._start:
            if not self._closed:
                if self._thread is None:
                    # A daemon, closed at exit: an exit without close() writes what was
                    # given, and does not wait for ever on a thread no one stops.
                    self._thread = threading.Thread(
                        target=self._run, name="state-writer", daemon=True
                    )
                    self._thread.start()
                    atexit.register(_close, weakref.ref(self))
                self._queue.put(write)
                return
        self._call(write)

    def settle(self) -> None:
        """Wait until every write submitted so far is done (from the writer: at once)."""
        if self._thread is not None and threading.current_thread() is not self._thread:
            self._queue.join()

    def close(self) -> None:
        """Finish every write submitted, then stop the thread; later writes run at once."""
        with self._start:
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._queue.put(None)
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        while True:
            write = self._queue.get()
            try:
                if write is None:
                    return
                self._call(write)
            finally:
                self._queue.task_done()

    def _call(self, write: Callable[[], object]) -> None:
        try:
            write()
        except Exception as err:  # said through the store's notices; the next writes go on
            self._failed(err)


def _close(ref: weakref.ref[WriteBehind]) -> None:
    """At exit: finish the writes of a store still open (see :meth:`WriteBehind.close`)."""
    behind = ref()
    if behind is not None:
        behind.close()
