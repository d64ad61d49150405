"""What the main screen's loading worker does (``MainScreen.load``); it reports by messages.

The pages come batch by batch, then the whole corpus, the search index, and the work left
once search answers. Nothing here touches a widget: each result is a message to the screen.
"""

from __future__ import annotations

import gc
import operator
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from textual.message import Message

from swreader.core.pages.corpus import Corpus, Page
from swreader.core.pages.facets import Tally
from swreader.core.search.engine import SearchIndex
from swreader.core.search.fulltext import FullTextError
from swreader.core.search.persist import cached_index, forget, signature, stored_index
from swreader.core.search.pinyin import known_syllables
from swreader.core.store.figurestore import cached_figures
from swreader.core.store.pagecache import Progress, keep_snapshot, open_corpus
from swreader.core.text.convert import warm_up
from swreader.widgets.messages import (
    CorpusLoaded,
    FiguresStored,
    IndexReady,
    Noticed,
    PagesParsed,
)

__all__ = [
    "QUIET_FROM",
    "QUIET_S",
    "YIELD",
    "after_index",
    "load_library",
    "same_pages",
    "shown_early",
]

#: Seconds the loading worker pauses after each batch, so the UI thread can paint.
YIELD = 0.005
#: Seconds between the bar's moves while a snapshot's parts are read: each move repaints
#: the screen, and at 100k its 20 parts come within ~2 s (the UI thread's GIL, taken from
#: the loader before search could answer).
BAR_EVERY_S = 0.5
#: Articles from which the work left once search answers waits :data:`QUIET_S` first.
QUIET_FROM = 2_000
#: Seconds to leave the reader to the user once search answers: the first query typed
#: then, and its results drawn, do not share the two cores with the index's checksum
#: (a spawned process at 10k) and the figures read back. Small archives need no wait.
QUIET_S = 1.0
#: Seconds without a key press or a click after which work that keeps the GIL for long
#: stretches may start: OpenCC building a converter (0.2–0.3 s in one call) froze the
#: screen under a user typing their first search.
IDLE_S = 1.5


def same_pages(these: list[Page], those: list[Page]) -> bool:
    """True when both hold the same pages: not so only if the library was unusable."""
    return len(these) == len(those) and all(map(operator.is_, these, those))


def load_library(
    post: Callable[[Message], object],
    paths: list[Path],
    cancel: threading.Event,
    idle: Callable[[], float] | None = None,
) -> None:
    """Open ``paths`` through the library; in the loading worker, results as messages.

    New pages arrive batch by batch (``PagesParsed``: a big archive fills the list as it is
    read), then the whole corpus (``CorpusLoaded``) and the search index (``IndexReady``).
    The sidebar's counts are made here, batch by batch, so the UI thread only draws them.
    Last, :func:`after_index` runs.

    A warm start shows the last snapshot of these folders and answers searches in it
    before the files are walked and checked (:func:`shown_early`); if they changed, the
    corpus read anew replaces it (``CorpusLoaded`` and ``IndexReady`` again), and the
    pages read meanwhile only move the progress bar.

    Args:
        post: The screen's ``post_message``.
        paths: The files and folders to open.
        cancel: Set when the app quits: stop within a batch.
        idle: Seconds since the user's last key press or click (see :func:`after_index`);
            ``None``: no user to wait for.
    """
    tally = Tally()
    counted: list[Page] = []
    early: list[tuple[Corpus, SearchIndex | None]] = []
    held: list[Page] = []  # a snapshot's later parts, handed over in one go
    bar_moved = 0.0  # when the bar last moved for a snapshot's part

    def progress(p: Progress) -> None:
        nonlocal bar_moved
        if early:  # the snapshot is on screen: the pages read anew replace it at the end
            post(PagesParsed(p.done, p.total, [], None))
            return
        first = not counted
        counted.extend(p.pages)
        if p.stored and not first:
            # The first part is drawn at once; the rest of a snapshot comes within seconds,
            # and drawing each part (the list and sidebar, twice as large each time) took
            # the GIL from this thread: at 100k the stored index answered ~1 s later. They
            # are counted for the sidebar only once the index is posted (0.4 s at 100k).
            held.extend(p.pages)
            now = time.monotonic()
            if now - bar_moved >= BAR_EVERY_S:
                bar_moved = now
                post(PagesParsed(p.done, p.total, [], None))
        else:
            tally.add_pages(p.pages)
            post(PagesParsed(p.done, p.total, p.pages, tally.snapshot()))
        # The pages live as long as the app: freeze them now, not only once the index is
        # ready, or each full collection walks the archive holding the GIL (up to 0.9 s at
        # 100k: the longest stalls of a load).
        gc.freeze()
        # Let the UI thread paint between batches: unpickling holds the GIL.
        time.sleep(YIELD)

    def trusted(corpus: Corpus) -> None:
        late = held[:]
        held.clear()
        if late:  # the screen has every page before the index comes (its selection)
            post(PagesParsed(len(counted), len(counted), late, None))
        early.append((corpus, shown_early(post, corpus, tally, cancel, late)))

    # The snapshot of a changed archive is written once search answers (see after_index).
    corpus, notices = open_corpus(paths, progress, cancel=cancel, snapshot=False, trusted=trusted)
    if cancel.is_set():
        return  # quitting: no index for a partial corpus
    if early and early[0][0] is corpus:  # the files are those of the snapshot shown
        index = early[0][1]
        for notice in notices:
            post(Noticed(notice))
        if index is None:  # none was stored for it: built now (a cold index)
            index = _built(post, corpus)
        after_index(post, corpus, index, cancel, quiet=False, idle=idle)
        return
    shown = same_pages(counted, corpus.pages) and not early
    groups = (
        tally.add_pages(held).snapshot() if shown else Tally().add_pages(corpus.pages).snapshot()
    )
    # A stored index is loaded first (0.1 s at 10k, 0.8 s at 100k), then the whole corpus
    # shown: drawing it while the index loads made both wait for the GIL (at 100k search
    # answered 7 s after the list was complete). A missing one is built after.
    # Unverified: search answers now; the checksum is read below, off the user's way.
    index = _stored(post, corpus) if shown else None
    post(CorpusLoaded(corpus, notices, groups))
    if index is None:
        index = _built(post, corpus)
    after_index(post, corpus, index, cancel, quiet=not early, idle=idle)


def shown_early(
    post: Callable[[Message], object],
    corpus: Corpus,
    tally: Tally,
    cancel: threading.Event,
    untallied: Iterable[Page],
) -> SearchIndex | None:
    """Show the snapshot's ``corpus`` and its stored index, before the files are checked.

    The index comes first: a search box opened while loading answers before the whole
    list is drawn again (the screen has every page already, batch by batch: its selection
    is the whole archive's). The sidebar's counts come with the corpus: ``tally`` has
    counted all its pages but ``untallied``, counted here. Then, in a large archive,
    :data:`QUIET_S` is left to the user before the walk that checks the files starts.

    Returns:
        The stored index, or ``None`` if there is none for these pages (it is built once
        the files are checked).
    """
    index = _stored(post, corpus)
    post(CorpusLoaded(corpus, [], tally.add_pages(untallied).snapshot()))
    _quiet(corpus, cancel)
    return index


def _stored(post: Callable[[Message], object], corpus: Corpus) -> SearchIndex | None:
    """The stored index of ``corpus``, posted if there is one (see :func:`_posted`)."""
    notices: list[str] = []
    return _posted(post, stored_index(corpus, notices, verify=False), notices)


def _built(post: Callable[[Message], object], corpus: Corpus) -> SearchIndex:
    """The index of ``corpus``, stored or built now, posted (see :func:`_posted`)."""
    notices: list[str] = []
    index = cached_index(corpus, notices, verify=False)
    _posted(post, index, notices)
    return index


def _posted(
    post: Callable[[Message], object], index: SearchIndex | None, notices: list[str]
) -> SearchIndex | None:
    """Post ``index`` (``IndexReady``), then the notices about the library.

    Unverified: search answers now, and :func:`after_index` reads the checksum off the
    user's way.
    """
    if index is not None:
        post(IndexReady(index))
    for notice in notices:
        post(Noticed(notice))
    return index


def _quiet(corpus: Corpus, cancel: threading.Event) -> bool:
    """Wait :data:`QUIET_S` in a large archive; ``True`` if the app quit meanwhile."""
    return sum(len(p.articles) for p in corpus.pages) >= QUIET_FROM and cancel.wait(QUIET_S)


def _paused(idle: Callable[[], float] | None, cancel: threading.Event) -> Callable[[], bool]:
    """A wait until the user has left the keys alone for :data:`IDLE_S`; ``False``: quitting.

    With no ``idle`` (no user: tests, scripts), it does not wait.
    """

    def wait() -> bool:
        while not cancel.is_set():
            still = float("inf") if idle is None else idle()
            if still >= IDLE_S:
                return True
            cancel.wait(IDLE_S - still)
        return False

    return wait


def after_index(
    post: Callable[[Message], object],
    corpus: Corpus,
    index: SearchIndex,
    cancel: threading.Event,
    *,
    quiet: bool = True,
    idle: Callable[[], float] | None = None,
) -> None:
    """Work left once the index answers, in the loading worker; results go out as messages.

    After :data:`QUIET_S` in a large archive (the first query, typed into a box opened
    while loading, has the cores to itself): the index's checksum checked (a damaged one
    is rebuilt and replaces it: ``IndexReady`` again); the pages' snapshot written if the
    archive changed (so the next start reads it in one go); the figures stored for the
    figures view (in worker processes the first time, read back afterwards):
    ``FiguresStored``. Last, once the user pauses, the pinyin syllables read (pypinyin's
    tables loaded, ~0.15 s, or the first pinyin keystroke loads them) and the script
    converters built, so the first toggle is quick (titles are converted as rows are
    drawn, not here).

    Args:
        post: The screen's ``post_message``.
        corpus: The loaded corpus.
        index: Its search index, as loaded (not yet verified).
        cancel: Set when the app quits: stop between steps.
        quiet: Wait first (``False``: the wait came already, before the files were walked).
        idle: Seconds since the user's last key press or click: the syllables and each
            converter wait for :data:`IDLE_S` of them, since each keeps the GIL in one call.
    """
    if quiet and _quiet(corpus, cancel):
        return  # quitting
    try:
        index.verify(apart=True)
    except FullTextError as err:
        forget(index)
        post(Noticed(f"library: the search index was damaged ({err}); rebuilt"))
        post(IndexReady(cached_index(corpus)))
    if cancel.is_set():
        return
    for notice in keep_snapshot(corpus):
        post(Noticed(notice))
    sig = signature(corpus)
    store = cached_figures(corpus, sig, cancel=cancel, verify=False)
    if cancel.is_set():
        return
    post(FiguresStored(store, sig))
    paused = _paused(idle, cancel)
    if paused():
        known_syllables()
    warm_up(pause=YIELD, when=paused)
