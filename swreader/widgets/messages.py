"""Every message the UI posts: small dataclasses, so what a widget reports is plain to see.

Widgets and workers report with these; :class:`~swreader.screens.main.MainScreen` decides
what follows (as in toolong's ``messages.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.message import Message

from swreader.core.pages.corpus import Corpus, Page
from swreader.core.pages.facets import Filter, Groups
from swreader.core.pages.present import Shown
from swreader.core.search.engine import SearchIndex
from swreader.core.search.query import Hit
from swreader.core.store.figurestore import FigureStore


@dataclass
class ArticleChosen(Message):
    """The user chose an article in the list."""

    article_id: str


@dataclass
class FilterSelected(Message):
    """The user chose a sidebar node."""

    selection: Filter


@dataclass
class FigureChosen(Message):
    """The user chose a key figure in the figures panel (its index in the article)."""

    index: int


@dataclass
class ArticleShown(Message):
    """The reader shows an article (in a new script, or a new article).

    ``page_script`` is the script the page itself is written in (``simplified``,
    ``traditional`` or ``unknown``), which decides where `t` goes from the original.
    """

    shown: Shown
    page_script: str = "unknown"


@dataclass
class ArticleRendered(Message):
    """The reader's worker prepared the article in the current script."""

    shown: Shown
    anchor: tuple[int, int] | None
    page_script: str = "unknown"


@dataclass
class ScriptPrepared(Message):
    """The reader's worker prepared the article in another script, for a quick toggle."""

    shown: Shown


@dataclass
class PagesParsed(Message):
    """A batch of pages was read (posted by the loading worker).

    ``groups`` counts every page read so far, this batch included: the worker counts, so
    the UI thread only has to draw the sidebar. Without ``groups`` the screen only takes
    the pages in (if any: else the bar only), and they are drawn with the whole corpus,
    which comes next; counting for a message that is not drawn cost the loader
    milliseconds a part, for nothing.
    """

    done: int
    total: int
    pages: list[Page]
    groups: Groups | None


@dataclass
class CorpusLoaded(Message):
    """Every page is read (posted by the loading worker); ``groups`` counts all of them."""

    corpus: Corpus
    notices: list[str]
    groups: Groups


@dataclass
class IndexReady(Message):
    """The search index is built or loaded (posted by the loading worker)."""

    index: SearchIndex


@dataclass
class FiguresStored(Message):
    """Every figure of the corpus is in the library, for the figures view (loading worker)."""

    store: FigureStore
    signature: str


@dataclass
class FiguresLost(Message):
    """The stored figures failed a view (it goes on from the articles): say so, stop using them."""

    text: str


@dataclass
class PageTextLoaded(Message):
    """The original text of a page was fetched; ``None`` when it can't be had."""

    text: str | None
    notices: list[str] = field(default_factory=list)


@dataclass
class Noticed(Message):
    """Something the user should know happened in a worker (a cache rebuilt, say).

    ``title`` is a key of the catalogue (:mod:`swreader.strings`), said in the UI language.
    """

    text: str
    title: str = "notice.library"


@dataclass
class SearchResults(Message):
    """Hits for a query, from the search worker, each with its line in the results.

    The lines are made in the worker: each reads its snippet from the library (a query
    per hit, which a slow or locked disk would make a frozen keystroke) and converts it.
    Adding them to the list is left to the screen, and is most of its handler's time.
    """

    query: str
    within: bool
    hits: list[Hit]
    prompts: list[Text]


@dataclass
class StateNotice(Message):
    """The state store hit trouble mid-session (posted from whichever thread hit it)."""

    text: str
