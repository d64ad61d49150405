"""Search: instant, forgiving, complete, and landing on the exact place (like fzf).

:class:`SearchIndex` answers each keystroke from a full-text index in the library file
(:mod:`swreader.core.search.fulltext`): SQLite FTS5 over character pairs, chosen over
Tantivy and over our own postings by ``benchmarks/engines.py`` (see the README). A query is
split into terms (:func:`~swreader.core.search.query.parse_query`), each folded and stripped
of punctuation (:mod:`swreader.core.search.tokens`).

Documents are the articles' titles, then their paragraphs, numbered **newest article
first** (undated last), so the index returns them in the order ties are broken in and a
query stops as soon as it has ``limit`` hits. No cap decides which documents are seen: every
document holding the terms is reachable, and ``limit=None`` returns them all.

Ranking, per (article, paragraph), in tiers searched in turn until ``limit`` is reached:

1. every term exactly in the document: ``100 + 15`` for a title ``+ 5 × density`` (the
   terms' length over the narrowest window holding them all, for two terms or more), terms
   close together (``NEAR``) first;
2. every term exactly in the article, not in one document: per document with the most
   terms, ``mean(100 for a term here, 50 for one elsewhere) + 15`` for a title;
3. every term in the document, some loosely: pinyin (80 / 75 / 70, titles and subheads) or a
   typo (``0.8 × partial_ratio``, terms of three characters or more, never figures).

Within a tier hits are sorted by score, ties to the newer article, then document order.
"""

from __future__ import annotations

import contextlib
import sqlite3
from array import array
from bisect import bisect_right
from collections.abc import Collection, Iterator, Sequence
from itertools import islice

from swreader.core.pages.model import Article, Kind
from swreader.core.search.fulltext import FullText, FullTextError
from swreader.core.search.fuzzy import fuzzy_allowed
from swreader.core.search.query import Hit, Term, query_terms, snippet_window
from swreader.core.search.tiers import Run
from swreader.core.search.tokens import searchable_map, split_query, strip, term_query

__all__ = ["APART_FROM", "SearchIndex"]

#: Documents from which :meth:`SearchIndex.verify` reads the checksum in a process of its
#: own when asked to (~260k documents at 10k articles). Read in the reader's loading worker,
#: every row fetched lets go of the GIL and waits to have it back while the UI thread
#: draws: at 10k the read took 2.5 s in the reader, 0.2 s alone, and slowed the first
#: searches. A spawned process takes ~1 s of wall time, none of it the reader's.
APART_FROM = 100_000

TYPO_NEAR = 3
"""Tokens allowed between the two sides of a typo (one wrong, missing or extra character)."""
TWO_TYPOS_FROM = 8
"""Terms this long forgive two typos (shorter ones, one)."""


def _order(articles: Sequence[Article]) -> array[int]:
    """Article indexes, newest first; undated ones last, each group in corpus order."""
    return array(
        "I", sorted(range(len(articles)), key=lambda a: articles[a].date or "", reverse=True)
    )


def _starts(articles: Sequence[Article], order: array[int]) -> array[int]:
    """Where each article's paragraphs start in the numbering, in ``order``; the end last.

    The titles come first (documents ``0`` to ``len(order) - 1``), then each article's
    paragraphs in ``order``.
    """
    starts = array("I", [len(order)])
    for a in order:
        starts.append(starts[-1] + articles[a].paragraph_count)
    return starts


class SearchIndex:
    """Everything a query needs for a set of articles.

    Args:
        articles: The articles to search (ids should be unique; the first one wins).
        conn: Database to keep the full-text tables in (default: a private in-memory one).
        key: Suffix of the tables in ``conn`` (letters, digits, ``_``).
        workers: Processes tokenising the texts (default: the CPU count).
    """

    def __init__(
        self,
        articles: Sequence[Article],
        conn: sqlite3.Connection | None = None,
        key: str = "",
        workers: int | None = None,
    ) -> None:
        self._set_articles(articles)
        self.order = _order(self.articles)
        self.starts = _starts(self.articles, self.order)
        self.notices: list[str] = []
        self.full = self._build(conn, key or "mem", workers)
        #: Searchable titles, newest first: a one-character query scans them (see tiers).
        self.titles = self.full.kept
        self.crc = self.full.checksum()

    def _build(self, conn: sqlite3.Connection | None, key: str, workers: int | None) -> FullText:
        conn = conn if conn is not None else sqlite3.connect(":memory:", check_same_thread=False)
        return FullText.build(
            conn, key, self._documents, self.documents, workers, keep=len(self.order)
        )

    def _set_articles(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        self._ids: dict[str, int] = {}
        for i, article in enumerate(self.articles):
            self._ids.setdefault(article.id, i)

    def _documents(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[str, bool]]:
        """``(text, short)`` of documents ``start`` to ``stop`` (None: the last), in order."""
        docs = self._documents_from(start)
        return docs if stop is None else islice(docs, max(0, stop - start))

    def _documents_from(self, start: int) -> Iterator[tuple[str, bool]]:
        arts, titles = self.articles, len(self.order)
        for a in self.order[start:titles]:
            yield arts[a].title, True
        r = skip = 0
        if start > titles:  # from the paragraph numbered ``start``, not from the first
            r = bisect_right(self.starts, start) - 1
            skip = start - self.starts[r]
        for a in self.order[r:]:
            for p in arts[a].paragraphs[skip:]:
                yield p.text, p.kind is Kind.SUBHEAD
            skip = 0

    def __getstate__(self) -> dict[str, object]:
        # The articles are the library's own data and the tables live in the library file:
        # only the document numbering is stored.
        state = ("order", "starts", "titles", "crc")
        return {"key": self.key} | {k: getattr(self, k) for k in state}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.order, self.starts, self.titles = state["order"], state["starts"], state["titles"]
        self._stored_key, self.crc = state["key"], state["crc"]
        self.articles, self._ids, self.notices = [], {}, []
        self.full: FullText | None = None

    def attach(
        self, articles: Sequence[Article], conn: sqlite3.Connection, *, verify: bool = True
    ) -> SearchIndex:
        """Give a loaded index its articles (same order) and the library; returns self.

        Args:
            articles: The articles it was built from, in the same order.
            conn: The library holding its tables.
            verify: Check it all now (see :meth:`verify`); a caller that wants the index
                at once verifies it later, off the user's way. Only the numbering's sizes
                are checked here: the corpus's signature, under which the index was found,
                fixes the articles' dates and paragraphs, and at 100k articles comparing
                the order and every article's paragraph count took ~0.3 s before search
                could answer.

        Raises:
            ValueError: The stored numbering or tables do not fit ``articles``.
        """
        order, starts = self.order, self.starts
        if not isinstance(order, array) or not isinstance(starts, array):
            raise ValueError("stored index numbering is not arrays")
        if sorted(order) != list(range(len(articles))) or len(starts) != len(articles) + 1:
            raise ValueError("stored index is of another number of articles")
        titles = self.titles
        if not isinstance(titles, list) or len(titles) != len(articles):
            raise ValueError("stored index has another number of titles")
        if starts[0] != len(articles):
            raise ValueError("stored index is of other paragraphs")
        self._set_articles(articles)
        full = FullText(conn, str(self._stored_key))
        full.check()
        self.full = full
        if verify:
            self.verify()
        return self

    def verify(self, *, apart: bool = False) -> None:
        """Check the numbering against the articles, and the tables against their checksum.

        Args:
            apart: Read large tables (:data:`APART_FROM` documents on) in a process of
                their own (see :meth:`FullText.checksum_apart`), as the reader does while
                its UI runs; smaller ones are read here faster than a process starts.

        Raises:
            FullTextError: They differ (the library was damaged) or cannot be read.
        """
        if list(self.order) != list(_order(self.articles)):
            raise FullTextError("the index orders the articles otherwise")
        if self.starts != _starts(self.articles, self.order):
            raise FullTextError("the index is of other paragraphs")
        full, far = self.full, apart and self.documents >= APART_FROM
        if full is None or (full.checksum_apart() if far else full.checksum()) != self.crc:
            raise FullTextError("the full-text tables are not those that were built")

    @property
    def key(self) -> str:
        """Suffix of the full-text tables."""
        return self.full.key if self.full is not None else str(self.__dict__.get("_stored_key"))

    @property
    def documents(self) -> int:
        """Number of documents (titles and paragraphs)."""
        return self.starts[-1]

    # -- documents ----------------------------------------------------------------------
    def _locate(self, d: int) -> tuple[int, int]:
        """(article index, paragraph index or -1 for its title) of document ``d``."""
        titles = len(self.order)
        if d < titles:
            return self.order[d], -1
        r = bisect_right(self.starts, d) - 1
        return self.order[r], d - self.starts[r]

    def _docs_of(self, a: int) -> tuple[int, range]:
        """An article's title document and the range of its paragraph documents."""
        r = self._rank[a]
        return r, range(self.starts[r], self.starts[r + 1])

    @property
    def _rank(self) -> array[int]:
        rank = self.__dict__.get("_rank_of")
        if rank is None:
            rank = array("I", bytes(4 * len(self.order)))
            for r, a in enumerate(self.order):
                rank[a] = r
            self.__dict__["_rank_of"] = rank
        return rank

    def _view(self, d: int, cache: dict[int, tuple[str, list[int], bool]]) -> tuple[str, bool]:
        """Document ``d``'s searchable text and whether it is short (title or subhead)."""
        found = cache.get(d)
        if found is None:
            a, p = self._locate(d)
            article = self.articles[a]
            if p < 0:
                text, short = article.title, True
            else:
                text, short = article.paragraphs[p].text, article.paragraphs[p].kind is Kind.SUBHEAD
            found = cache[d] = (*searchable_map(text), short)
        return found[0], found[2]

    # -- streams of candidate documents -------------------------------------------------
    def rows(
        self, query: str, low: int = 0, high: int | None = None, *, pinyin: bool = False
    ) -> Iterator[int]:
        """Documents matching an FTS5 query, ascending, in ``[low, high)``.

        Args:
            query: On the character pairs, or with ``pinyin`` on the pinyin streams.
            low: First document.
            high: Past the last one (``None``: to the end).
            pinyin: Query the pinyin table (titles and subheads).
        """
        last = low - 1
        for _ in range(2):
            full = self.full or self._lose(None)
            found = full.pinyin_rows if pinyin else full.rows
            try:
                for d in found(query, last + 1, high):
                    last = d
                    yield d
                return
            except sqlite3.OperationalError as err:
                if str(err).startswith("fts5:"):
                    return  # a query FTS5 cannot parse matches nothing (not damage)
                self._lose(err)
            except sqlite3.Error as err:
                self._lose(err)

    def has(self, query: str, low: int, high: int) -> bool:
        """Whether a document in ``[low, high)`` matches the FTS5 ``query``."""
        return next(self.rows(query, low, high), None) is not None

    def _lose(self, err: Exception | None) -> FullText:
        """Replace tables that went away or broke under us by a private in-memory copy.

        Another process may have replaced the library, or it was damaged while we read it:
        searching goes on, after a rebuild in memory (seconds for a big archive), and the
        next start rebuilds the library's copy.
        """
        if err is not None:
            self.notices.append(
                f"library: the search index is unreadable ({err}); searching a copy in memory"
            )
            if self.full is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn = self.full.conn
                    conn.execute("DELETE FROM indexes WHERE tables = ?", (self.full.key,))
                    conn.commit()
        self.full = self._build(None, "mem", None)
        return self.full

    def _loose_query(self, term: Term) -> str:
        """FTS5 query for documents that may hold ``term`` despite typos (or ``""``).

        A candidate must hold what a typo leaves intact. Up to seven characters, one typo
        is forgiven: the parts on either side of some character, close together. From
        :data:`TWO_TYPOS_FROM` characters on, two: cut into four pieces, two typos leave at
        least two of them intact, near each other. Either way rapidfuzz has the last word.
        """
        t = term.text
        if not fuzzy_allowed(term):
            return ""
        if len(t) < TWO_TYPOS_FROM:
            # A one-character side would be a prefix query, slow for a common character:
            # the other side alone finds a superset, which rapidfuzz narrows.
            sides = [[p for p in (t[:i], t[i + 1 :]) if len(p) >= 2] for i in range(len(t))]
            parts = [
                split_query(*(x if len(x) == 2 else (x[0], "")), TYPO_NEAR) for x in sides if x
            ]
        else:
            cuts = [len(t) * k // 4 for k in range(5)]
            pieces = [term_query(t[cuts[k] : cuts[k + 1]]) for k in range(4)]
            parts = [
                f"NEAR({pieces[i]} {pieces[j]}, {len(t)})"
                for i in range(4)
                for j in range(i + 1, 4)
            ]
        return " OR ".join(dict.fromkeys(parts))

    # -- a whole query ------------------------------------------------------------------
    def search(
        self, query: str, *, limit: int | None = 50, within: Collection[str] | None = None
    ) -> list[Hit]:
        """Find ``query`` in the indexed articles.

        Args:
            query: Terms separated by spaces (see :func:`parse_query`).
            limit: Most hits returned; ``None`` for every hit.
            within: Only search these article ids.

        Returns:
            Hits, best first, at most one per (article, paragraph).
        """
        terms = [Term(strip(t.text), t.quoted) for t in query_terms(query)]
        terms = list({t.text: t for t in terms if t.text}.values())
        if not terms or (limit is not None and limit <= 0):
            return []
        allowed: set[int] | None = None
        if within is not None:
            allowed = {self._ids[i] for i in within if i in self._ids}
            if not allowed:
                return []
        run = Run(self, terms, limit, allowed)
        run.same_document()
        if len(terms) > 1:
            run.across_documents()
        run.loosely()
        return run.hits()

    # -- showing a hit ------------------------------------------------------------------
    def article(self, article_id: str) -> Article:
        """The indexed article with this id.

        Raises:
            KeyError: If no indexed article has that id.
        """
        return self.articles[self._ids[article_id]]

    def text_of(self, hit: Hit) -> str:
        """The original text a hit points into: the title or one paragraph."""
        article = self.article(hit.article_id)
        return article.title if hit.paragraph < 0 else article.paragraphs[hit.paragraph].text

    def snippet(self, hit: Hit, width: int = 40) -> tuple[str, int, int]:
        """An excerpt of the hit's paragraph (original text) around the match.

        Args:
            hit: A hit from :meth:`search`.
            width: Most characters of the paragraph to show (``…`` marks are extra).

        Returns:
            ``(snippet, start, end)`` with ``snippet[start:end]`` the (possibly cut) match.
        """
        text = self.text_of(hit)
        a, b = snippet_window(text, hit.start, hit.end, width)
        head = "…" if a > 0 else ""
        tail = "…" if b < len(text) else ""
        body = text[a:b].replace("\n", " ")
        start = len(head) + min(max(hit.start, a), b) - a
        end = len(head) + min(max(hit.end, a), b) - a
        return head + body + tail, start, end
