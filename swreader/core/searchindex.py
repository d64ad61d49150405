"""Text normalisation and the n-gram inverted index behind :mod:`swreader.core.search`.

Normalisation (:func:`normalise`) folds each character on its own: NFKC (full-width forms
to ASCII), :func:`~swreader.core.convert.to_simplified`, lower case; whitespace is dropped so
that ``3000元`` finds ``3000 元``. Folding per character keeps an exact map back to the
original offsets and makes a query and the text it should find fold the same way whatever
their context. Whole-paragraph ``t2s`` gives the same result on every seed paragraph (a test
checks it) but costs ~2 µs per character, thirty times the per-character table.

The index (:class:`GramIndex`) numbers *documents*: first the title of every article, then
every paragraph, article by article, so the paragraphs of one article have consecutive ids.
Every pair of adjacent characters of a document's normalised text maps to the sorted ids of
the documents that contain it (:class:`~swreader.core.postings.Postings`, kept in SQLite and
read on demand). Single characters are looked up on demand (see :meth:`GramIndex.posting`).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from swreader.core.convert import to_simplified
from swreader.core.model import Article
from swreader.core.postings import Postings, pair_code

__all__ = ["GramIndex", "OffsetMap", "fold_char", "normalise"]

_FOLD: dict[int, str] = {}
"""``str.translate`` table: characters whose folded form differs from themselves."""
_SEEN: set[str] = set()
_CHANGED: set[str] = set()
"""The characters that are keys of :data:`_FOLD`."""
_ODD: set[str] = set()
"""Characters that do not fold to exactly one character (whitespace, ``㎡`` …)."""
_ODD_NOT_SPACE: set[str] = set()
"""The characters of :data:`_ODD` that are not whitespace (``㎡`` → ``m2``)."""
_WORD_RE = re.compile(r"\S+")
_UNIGRAM_CACHE = 1024

_EMPTY = memoryview(array("I"))
_UNIGRAM_LIMIT = 2000
"""Most documents a one-character term is looked for in (titles come first)."""
_UNIGRAM_SCAN = 60_000
"""Documents scanned at most for a one-character term, beyond every title."""


def fold_char(char: str) -> str:
    """Fold one character for matching (NFKC, simplified, lower case; whitespace → ``""``)."""
    if char.isspace():
        return ""
    folded = unicodedata.normalize("NFKC", char)
    folded = "".join(to_simplified(c) for c in folded).lower()
    return "".join(c for c in folded if not c.isspace())


def _learn(text: str) -> None:
    """Add the characters of ``text`` not yet folded to the tables."""
    if _SEEN.issuperset(text):
        return
    new = set(text) - _SEEN
    for char in new:
        folded = fold_char(char)
        if folded != char:
            _FOLD[ord(char)] = folded
            _CHANGED.add(char)
        if len(folded) != 1:
            _ODD.add(char)
            if folded:
                _ODD_NOT_SPACE.add(char)
    _SEEN.update(new)


class OffsetMap:
    """Where each character of a folded text came from, stored as breakpoints.

    ``folded[k]`` came from ``text[k + delta]``, with ``delta`` constant between breakpoints,
    so a paragraph with three spaces costs four entries instead of one per character.
    """

    __slots__ = ("_deltas", "_starts")

    def __init__(self) -> None:
        self._starts = array("I")
        self._deltas = array("i")

    def _add(self, start: int, delta: int) -> None:
        if not self._deltas or self._deltas[-1] != delta:
            self._starts.append(start)
            self._deltas.append(delta)

    def __getitem__(self, k: int) -> int:
        """Index in the original text of folded character ``k``."""
        return k + self._deltas[bisect_right(self._starts, k) - 1]

    def nbytes(self) -> int:
        """Bytes held by the breakpoints."""
        return 8 * len(self._starts) + 64


def normalise(text: str) -> tuple[str, OffsetMap | None]:
    """Fold ``text`` for matching and map the result back to ``text``.

    Args:
        text: Any text.

    Returns:
        ``(folded, offsets)``. ``offsets[k]`` is the index in ``text`` of the character that
        produced ``folded[k]``; ``offsets`` is ``None`` when the two line up one to one.
    """
    _learn(text)
    folded = text if _CHANGED.isdisjoint(text) else text.translate(_FOLD)
    if len(folded) == len(text) and _ODD.isdisjoint(text):
        return folded, None
    offsets = OffsetMap()
    if _ODD_NOT_SPACE.isdisjoint(text):  # only whitespace dropped: one breakpoint per run
        k = 0
        for run in _WORD_RE.finditer(text):
            offsets._add(k, run.start() - k)
            k += run.end() - run.start()
        if k == len(folded):
            return folded, offsets
        offsets = OffsetMap()
    k = 0
    for i, char in enumerate(text):
        for _ in _FOLD.get(ord(char), char) if char in _ODD else char:
            offsets._add(k, i - k)
            k += 1
    return folded, offsets


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

    def __getstate__(self) -> dict[str, object]:
        # Only the normalised texts that differ from the originals are stored (as one string,
        # so that pickling caches no UTF-8 copy in the live ones); the others are the
        # articles' own strings again after attach(). The postings stay in their table.
        state = {
            k: v for k, v in self.__dict__.items() if k not in ("_unigrams", "postings", "texts")
        }
        changed = [self.texts[d] for d in self._folded]
        state["_folded_text"] = "".join(changed)
        state["_folded_lengths"] = array("I", map(len, changed))
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._unigrams = {}
        self._lost = False
        self.texts = []

    def attach(self, articles: Sequence[Article], postings: Postings) -> None:
        """Restore a loaded index: the texts from ``articles`` and the stored ``postings``."""
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
