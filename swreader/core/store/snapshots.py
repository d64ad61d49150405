"""Reading and keeping the snapshots of whole opens for the page cache (:mod:`.pagecache`).

The rows are :mod:`~swreader.core.store.heads`'s (it owns the ``heads`` table); this module
is the page cache's side of them: a snapshot of exactly the files found, one trusted before
the files are walked, and one kept after an open. A damaged snapshot is dropped with one
notice, and the pages are then read one by one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from swreader.core.pages.corpus import Corpus, Page
from swreader.core.store import heads
from swreader.core.store.stored import Bodies
from swreader.core.system.blobs import DamagedBlob

__all__ = ["Progress", "Snapshots"]


@dataclass(frozen=True, slots=True)
class Progress:
    """How far an open has got: ``done`` of ``total`` files, ``pages`` the batch just read.

    ``stored`` marks a part of a snapshot read back whole: nothing is parsed, and the rest
    follows within seconds.
    """

    done: int
    total: int
    pages: list[Page]
    stored: bool = False


class Snapshots:
    """The page cache's snapshots: read whole, trusted first, kept.

    Args:
        conn: The library.
        bodies: Gives the header pages read back their bodies on first use.
        notices: Where a damaged snapshot is said (the page cache's notices).
    """

    def __init__(self, conn: sqlite3.Connection, bodies: Bodies, notices: list[str]) -> None:
        self.conn, self.bodies, self.notices = conn, bodies, notices

    def exact(
        self,
        taken: heads.Taken,
        files: list[Path],
        progress: Callable[[Progress], None] | None,
        cancel: threading.Event | None,
    ) -> Corpus | None:
        """The corpus of the snapshot of exactly ``taken``'s files, or ``None``.

        ``None`` too if it is of other files (or the same, changed), or turns out damaged
        (dropped, with a notice).
        """
        found = self._find(taken.roots)
        if found is None or found.keys != taken.keys:
            return None
        return self._corpus(files, found, taken, progress, cancel)

    def trusted(
        self,
        roots: list[Path],
        progress: Callable[[Progress], None] | None,
        cancel: threading.Event | None,
        trusted: Callable[[Corpus], None],
    ) -> Corpus | None:
        """The roots' last snapshot, shown and handed to ``trusted`` before any file is read.

        The reader shows it and searches it at once: at 100k the walk that checks the files
        (0.7 s alone, twice that beside the UI) would otherwise come first. The files are
        checked after (see :meth:`PageCache.open`); if they changed, the corpus read anew
        replaces this one. The bodies come from the pages table, as the pages were when
        the snapshot was taken; one stored anew since is read as such (see :class:`Bodies`).
        """
        key = heads.roots_key(roots)
        found = self._find(key)
        if found is None:
            return None
        taken = heads.Taken(key, found.keys)
        corpus = self._corpus(found.paths, found, taken, progress, cancel)
        if corpus is not None and (cancel is None or not cancel.is_set()):
            trusted(corpus)
        return corpus

    def keep(self, corpus: Corpus) -> bool:
        """Store ``corpus`` as its roots' snapshot, if stale; whether one was written."""
        taken = heads.stale(corpus.taken)
        if taken is None:
            return False
        heads.write(self.conn, taken, corpus.pages)
        return True

    def _find(self, roots: str) -> heads.Snapshot | None:
        """The stored snapshot of ``roots`` (see :func:`heads.find`); a damaged one is dropped."""
        try:
            return heads.find(self.conn, roots)
        except (DamagedBlob, ValueError, TypeError) as err:
            self._lost(roots, err)
            return None

    def _lost(self, roots: str, err: Exception) -> None:
        self.notices.append(f"library: the pages' snapshot was damaged ({err}); read anew")
        heads.forget(self.conn, roots)

    def _corpus(
        self,
        files: Sequence[str | Path],
        found: heads.Snapshot,
        taken: heads.Taken,
        progress: Callable[[Progress], None] | None,
        cancel: threading.Event | None,
    ) -> Corpus | None:
        """The corpus of a snapshot, shown part by part as :meth:`PageCache.open` shows pages.

        Nothing is parsed, and nothing is missing (the snapshot was taken after an open
        that dropped the files gone). ``None`` if a part turns out damaged: the pages are
        then read one by one (and shown again; the whole corpus returned is what counts).
        """
        pages: list[Page] = []
        try:
            for batch in found.parts:
                for page, file in zip(batch, files[len(pages) :], strict=False):
                    # Made part by part: 38,000 paths at 100k took ~0.4 s before the first.
                    page.path = Path(file)
                    self.bodies.defer(page)
                pages += batch
                if progress:
                    progress(Progress(len(pages), len(files), batch, stored=True))
                if cancel is not None and cancel.is_set():
                    return Corpus(pages)
        except DamagedBlob as err:
            self._lost(taken.roots, err)
            return None
        current = heads.Taken(taken.roots, taken.keys, current=True)
        return Corpus(pages, taken=current, signature=found.signature)
