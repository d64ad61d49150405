"""The character-pair inverted index behind :mod:`swreader.core.search.engine`.

Texts are folded by :func:`swreader.core.text.fold.normalise`.

The index (:class:`GramIndex`) numbers *documents*: first the title of every article, then
every paragraph, article by article, so the paragraphs of one article have consecutive ids.
Every pair of adjacent characters of a document's normalised text maps to the sorted ids of
the documents that contain it (:class:`~swreader.core.search.postings.Postings`, kept in SQLite and
read on demand). Single characters are looked up on demand (see :meth:`GramIndex.posting`).

A stored index is checked against the articles it is attached to (:meth:`GramIndex.attach`),
and postings found damaged while searching are given up for a scan, with a notice.
"""

from __future__ import annotations

import contextlib
import sqlite3
from array import array
from collections.abc import Iterator, Sequence

from swreader.core.pages.model import Article
from swreader.core.search.postings import Postings, PostingsError, pair_code
from swreader.core.text.fold import OffsetMap, normalise

__all__ = ["GramIndex"]

_UNIGRAM_CACHE = 1024

_EMPTY = memoryview(array("I"))
_UNIGRAM_LIMIT = 2000
"""Most documents a one-character term is looked for in (titles come first)."""
_UNIGRAM_SCAN = 60_000
"""Documents scanned at most for a one-character term, beyond every title."""
_SAMPLE = 16
"""Folded documents whose stored text is checked against the articles on attach."""


class GramIndex:
    """Normalised documents (titles and paragraphs) and their character-pair postings.

    Args:
        articles: The articles to index.
        conn: Database to store the postings in (default: a private in-memory one).
        key: Name of the postings in ``conn``.

    Attributes:
        titles: Number of articles; documents ``0 .. titles-1`` are their titles.
        texts: Normalised text of every document.
        offsets: Offset map of every document (see :func:`normalise`).
        article_of: Article index of every document.
        paragraph_of: Paragraph index of every document (``-1`` for a title).
        first_paragraph: Document id of each article's first paragraph, plus a sentinel.
        postings: The character-pair postings.
        notices: Lines about trouble with the stored postings met while searching.
    """

    def __init__(
        self, articles: Sequence[Article], conn: sqlite3.Connection | None = None, key: str = ""
    ) -> None:
        self.titles = len(articles)
        self.texts: list[str] = []
        self.offsets: list[OffsetMap | None] = []
        self.article_of = array("I")
        self.paragraph_of = array("i")
        self.first_paragraph = array("I")
        self._folded = array("I")  # documents whose normalised text differs from the original
        for a, article in enumerate(articles):
            self._add(article.title, a, -1)
        for a, article in enumerate(articles):
            self.first_paragraph.append(len(self.texts))
            for p, paragraph in enumerate(article.paragraphs):
                self._add(paragraph.text, a, p)
        self.first_paragraph.append(len(self.texts))
        self.postings = Postings.build(self.texts, conn, key)
        self._unigrams: dict[str, memoryview] = {}
        self._lost = False
        self.notices: list[str] = []

    def __getstate__(self) -> dict[str, object]:
        # Only the normalised texts that differ from the originals are stored (as one string,
        # so that pickling caches no UTF-8 copy in the live ones); the others are the
        # articles' own strings again after attach(). The postings stay in their table.
        skip = ("_unigrams", "postings", "texts", "notices")
        state = {k: v for k, v in self.__dict__.items() if k not in skip}
        changed = [self.texts[d] for d in self._folded]
        state["_folded_text"] = "".join(changed)
        state["_folded_lengths"] = array("I", map(len, changed))
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._unigrams = {}
        self._lost = False
        self.texts = []
        self.notices = []

    def attach(self, articles: Sequence[Article], postings: Postings) -> None:
        """Restore a loaded index: the texts from ``articles`` and the stored ``postings``.

        Raises:
            ValueError: The index does not fit ``articles`` (or its postings).
        """
        first = self.first_paragraph
        if self.titles != len(articles) or len(first) != len(articles) + 1:
            raise ValueError("stored index is of another number of articles")
        if any(first[a + 1] - first[a] != len(x.paragraphs) for a, x in enumerate(articles)):
            raise ValueError("stored index is of other paragraphs")
        documents = first[-1] if first[0] == self.titles else -1
        sizes = {len(self.article_of), len(self.paragraph_of), len(self.offsets), documents}
        if sizes != {documents} or postings.documents not in (None, documents):
            raise ValueError("stored index does not fit its documents")
        if any(d >= documents for d in self._folded[-1:]):
            raise ValueError("stored index folds documents it does not have")
        texts = [a.title for a in articles]
        for article in articles:
            texts += [p.text for p in article.paragraphs]
        joined: str = self.__dict__.pop("_folded_text", "")
        lengths: array[int] = self.__dict__.pop("_folded_lengths", array("I"))
        k = 0
        for d, n in zip(self._folded, lengths, strict=True):
            texts[d] = joined[k : k + n]
            k += n
        self.texts = texts
        self.postings = postings
        # The stored folded texts must still be the articles' own, folded (a sample: cheap).
        step = max(1, len(self._folded) // _SAMPLE)
        for d in self._folded[::step]:
            article, p = articles[self.article_of[d]], self.paragraph_of[d]
            if normalise(article.paragraphs[p].text if p >= 0 else article.title)[0] != texts[d]:
                raise ValueError("stored index holds other texts than the articles")

    def _add(self, text: str, article: int, paragraph: int) -> None:
        folded, offsets = normalise(text)
        if folded is not text and folded != text:
            self._folded.append(len(self.texts))
        else:
            folded = text
        self.texts.append(folded)
        self.offsets.append(offsets)
        self.article_of.append(article)
        self.paragraph_of.append(paragraph)

    def docs_of(self, article: int) -> Iterator[int]:
        """Document ids of an article: its title, then its paragraphs."""
        yield article
        yield from range(self.first_paragraph[article], self.first_paragraph[article + 1])

    def doc_count(self, articles: Sequence[int] | set[int]) -> int:
        """Number of documents in ``articles``."""
        first = self.first_paragraph
        return sum(first[a + 1] - first[a] + 1 for a in articles)

    def posting(self, gram: str) -> memoryview:
        """Documents containing ``gram`` (one or two normalised characters), ascending.

        Character pairs come from the postings. Single characters (a one-character term, the
        first keystroke) are found by a scan of every text, ~0.1 µs per document, and the
        last :data:`_UNIGRAM_CACHE` of them are kept: indexing every character up front
        would add ~40 % to the build time and the postings for little use.
        """
        if len(gram) == 1:
            return self._unigram(gram)
        if len(gram) != 2:
            return _EMPTY
        if not self._lost:
            try:
                return self.postings.lookup(pair_code(gram))
            except sqlite3.Error:
                # The stored postings went away under us (another process pruned them after
                # an hour, or the library was replaced): scanning is slow but still right.
                self._lost = True
            except PostingsError as err:
                self._lost = True
                self.notices.append(
                    f"library: the search index is damaged ({err}); searching without it"
                    " until it is rebuilt, on the next start"
                )
                # Best effort: if the library is locked now, the next start finds the
                # damage again and says so again; the scan is right meanwhile.
                with contextlib.suppress(sqlite3.Error):
                    self.postings.discard()
        return self._scan(gram)

    def posting_size(self, gram: str) -> int:
        """``len(self.posting(gram))``, without reading a pair's documents."""
        if len(gram) == 2:
            return self.postings.size(pair_code(gram))
        return len(self.posting(gram))

    def _scan(self, gram: str) -> memoryview:
        return memoryview(array("I", (d for d, t in enumerate(self.texts) if gram in t)))

    def _unigram(self, char: str) -> memoryview:
        found = self._unigrams.get(char)
        if found is None:
            # The first keystroke: scan, titles first, and stop once there are plenty of
            # documents (a one-character query cannot rank thousands of them usefully).
            docs = array("I")
            for d, t in enumerate(self.texts):
                if char in t:
                    docs.append(d)
                    if len(docs) >= _UNIGRAM_LIMIT:
                        break
                elif d >= _UNIGRAM_SCAN and d >= self.titles:
                    break  # a rare character (or a Latin letter): titles and a sample will do
            found = memoryview(docs)
            if len(self._unigrams) >= _UNIGRAM_CACHE:
                self._unigrams.clear()
            self._unigrams[char] = found
        return found

    @property
    def grams(self) -> int:
        """Number of distinct character pairs indexed."""
        return self.postings.pairs

    def to_original(self, doc: int, start: int, end: int) -> tuple[int, int]:
        """Map a span of a document's normalised text back to its original text."""
        offsets = self.offsets[doc]
        if offsets is None or start >= end:
            return start, end
        return offsets[start], offsets[end - 1] + 1

    def memory(self) -> int:
        """Approximate bytes held by the index's own texts, offset maps and postings.

        Normalised texts equal to their originals are the articles' own strings; only the
        others (traditional script, full-width forms, spaces) are counted.
        """
        total = sum(len(self.texts[d]) * 2 + 60 for d in self._folded)
        total += sum(o.nbytes() for o in self.offsets if o is not None)
        return total + self.postings.memory()
