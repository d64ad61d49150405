"""The loading worker's last steps, once search answers (see ``MainScreen.load``)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.message import Message

from swreader.core.pages.corpus import Corpus
from swreader.core.search.engine import SearchIndex
from swreader.core.search.fulltext import FullTextError
from swreader.core.search.persist import cached_index, forget, signature
from swreader.core.search.pinyin import known_syllables
from swreader.core.store.figurestore import cached_figures
from swreader.widgets.messages import FiguresStored, IndexReady, Noticed

__all__ = ["after_index"]


def after_index(
    post: Callable[[Message], object],
    corpus: Corpus,
    index: SearchIndex,
    cancel: threading.Event,
) -> None:
    """Work left once the index answers, in the loading worker; results go out as messages.

    The pinyin table is read (~0.2 s, or the first pinyin keystroke would wait for it),
    the index's checksum checked (a damaged one is rebuilt and replaces it: ``IndexReady``
    again), and the figures stored for the figures view (in worker processes the first
    time, read back afterwards): ``FiguresStored``.

    Args:
        post: The screen's ``post_message``.
        corpus: The loaded corpus.
        index: Its search index, as loaded (not yet verified).
        cancel: Set when the app quits: stop between steps.
    """
    known_syllables()
    try:
        index.verify()
    except FullTextError as err:
        forget(index)
        post(Noticed(f"library: the search index was damaged ({err}); rebuilt"))
        post(IndexReady(cached_index(corpus)))
    if cancel.is_set():
        return
    sig = signature(corpus)
    store = cached_figures(corpus, sig, cancel=cancel, verify=False)
    if not cancel.is_set():
        post(FiguresStored(store, sig))
