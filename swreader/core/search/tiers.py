"""One query's way through the ranking tiers of :mod:`swreader.core.search.engine`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING

from swreader.core.search import matching
from swreader.core.search.matching import EXACT, Match
from swreader.core.search.pinyin import is_pinyin_query, pinyin_query
from swreader.core.search.query import Hit, Term
from swreader.core.search.tokens import term_query

if TYPE_CHECKING:
    from swreader.core.search.engine import SearchIndex

__all__ = ["DENSITY_BONUS", "LOOSE_EXAMINED", "MISSING_WEIGHT", "NEAR_TOKENS", "TITLE_BONUS", "Run"]

MISSING_WEIGHT = 0.5
TITLE_BONUS = 15.0
DENSITY_BONUS = 5.0
NEAR_TOKENS = 10
"""Terms this many characters apart or closer are "close together" in tier 1."""
LOOSE_EXAMINED = 5_000
"""Most candidate documents of the loose tier looked at (newest first)."""
#: Documents of each term read to choose the one whose articles tier 2 checks.
_PROBE = 20_000


class Run:
    """One query's search through the tiers (see the module docstring)."""

    def __init__(
        self, index: SearchIndex, terms: list[Term], limit: int | None, allowed: set[int] | None
    ) -> None:
        self.index, self.terms, self.allowed = index, terms, allowed
        self.limit = limit
        self.cache: dict[int, tuple[str, list[int], bool]] = {}
        self.found: dict[int, tuple[float, list[Match]]] = {}
        self.tiers: list[list[int]] = []
        self.tier: list[int] = []

    def _full(self) -> bool:
        """Whether the tier being searched has its share: what tier 1 left of ``limit``.

        Tiers 2 and 3 each get the whole rest, and are merged by score afterwards, so a
        pinyin title (tier 3) is not crowded out by paragraphs of tier 2.
        """
        if self.limit is None:
            return False
        first = len(self.tiers[0]) if self.tiers else 0
        return len(self.tier) >= self.limit - (0 if not self.tiers else first)

    def _start(self) -> list[int]:
        self.tier = []
        return self.tier

    def _ok(self, d: int) -> bool:
        if d in self.found:
            return False
        return self.allowed is None or self.index._locate(d)[0] in self.allowed

    def _score(self, d: int, ms: list[Match | None], best: list[float]) -> float:
        """The ranking formula for document ``d`` with these matches (``None`` = elsewhere)."""
        n = len(ms)
        here = [m for m in ms if m is not None]
        total = sum(m.score if m else MISSING_WEIGHT * b for m, b in zip(ms, best, strict=True))
        score = total / n + (TITLE_BONUS if d < len(self.index.order) else 0.0)
        if len(here) > 1:
            width, length = matching.window(here)
            score += DENSITY_BONUS * min(1.0, length / width)
        return score

    def _take(self, docs: Iterable[int], loosely: bool) -> None:
        """Score candidate documents in order, keeping those where every term matches.

        Loose candidates are a superset that rapidfuzz narrows; at most :data:`LOOSE_EXAMINED`
        of them are looked at, newest first, so that a typo nothing resembles cannot cost a
        pass over the archive. Exact candidates are never cut short.
        """
        tier = self._start()
        for n, d in enumerate(docs):
            if self._full() or (loosely and n >= LOOSE_EXAMINED):
                break
            if not self._ok(d):
                continue
            text, short = self.index._view(d, self.cache)
            ms = [matching.find(t, text, short, loosely) for t in self.terms]
            if all(ms):
                self.found[d] = (self._score(d, ms, [EXACT] * len(ms)), ms)  # type: ignore[arg-type]
                tier.append(d)
        self.tiers.append(tier)

    def same_document(self) -> None:
        """Tier 1: every term exactly in one document (close together first)."""
        queries = [term_query(t.text) for t in self.terms]
        both = " AND ".join(queries)
        rows = self.index.rows
        if len(self.terms) == 1 and len(self.terms[0].text) == 1:
            # A prefix query merges every pair starting with the character: slow for a
            # common one. The titles come first and are in memory: scan them, then the
            # paragraphs only if the titles did not fill the page.
            char, titles = self.terms[0].text, self.index.titles
            self._take(
                chain(
                    (r for r, title in enumerate(titles) if char in title),
                    rows(both, len(titles)),
                ),
                loosely=False,
            )
        elif len(queries) > 1:
            near = f"NEAR({' '.join(queries)}, {NEAR_TOKENS})"
            # Close-together documents come again in `both`: _take skips what it has.
            self._take(chain(rows(near), rows(both)), loosely=False)
        else:
            self._take(rows(both), loosely=False)

    def across_documents(self) -> None:
        """Tier 2: every term exactly in one article, spread over its documents."""
        if self.limit is not None and len(self.tiers[0]) >= self.limit:
            return
        index, terms = self.index, self.terms
        queries = [term_query(t.text) for t in terms]
        # The articles of the term with the fewest documents, checked for the others.
        lists = [list(islice(index.rows(q), _PROBE + 1)) for q in queries]
        complete = [i for i, docs in enumerate(lists) if len(docs) <= _PROBE]
        pick = min(complete, key=lambda i: len(lists[i])) if complete else 0
        docs = lists[pick] if complete else list(index.rows(queries[0]))
        seen = {index._locate(d)[0] for d in self.found}
        candidates = sorted({index._locate(d)[0] for d in docs} - seen, key=index._rank.__getitem__)
        tier = self._start()
        for a in candidates:
            if self._full():
                break
            if self.allowed is not None and a not in self.allowed:
                continue
            title, paragraphs = index._docs_of(a)
            others = [q for i, q in enumerate(queries) if i != pick]
            if all(
                (index.has(q, title, title + 1) or index.has(q, paragraphs.start, paragraphs.stop))
                for q in others
            ):
                tier += self._article(a, title, paragraphs)
        self.tiers.append(tier)

    def _article(self, a: int, title: int, paragraphs: range) -> list[int]:
        """Score the documents of article ``a`` holding the most terms; returns them."""
        per_doc = {}
        for d in [title, *paragraphs]:
            text, _ = self.index._view(d, self.cache)
            ms = [matching.exact(t, text) for t in self.terms]
            if any(ms):
                per_doc[d] = ms
        most = max(sum(m is not None for m in ms) for ms in per_doc.values())
        best = [
            max((ms[i].score for ms in per_doc.values() if ms[i]), default=0.0)
            for i in range(len(self.terms))
        ]
        taken = []
        for d, ms in per_doc.items():
            if sum(m is not None for m in ms) == most and not self._full() and self._ok(d):
                self.found[d] = (self._score(d, ms, best), [m for m in ms if m])
                taken.append(d)
        return taken

    def loosely(self) -> None:
        """Tier 3: every term in one document, some by pinyin or despite a typo."""
        if self.limit is not None and len(self.tiers[0]) >= self.limit:
            return
        index, terms = self.index, self.terms
        pinyin_terms = [t for t in terms if not t.quoted and is_pinyin_query(t.text)]
        if pinyin_terms:
            # Pinyin is only indexed for short documents: start from those of one term.
            q = pinyin_query(pinyin_terms[0].text)
            titles = len(index.order)
            docs: Iterable[int] = _pinyin_rows(index, q, titles)
        else:
            looser = [index._loose_query(t) for t in terms]
            if not any(looser):
                return  # nothing can match loosely that did not match exactly
            alternatives = [
                f"({term_query(t.text)} OR {loose})" if loose else term_query(t.text)
                for t, loose in zip(terms, looser, strict=True)
            ]
            docs = index.rows(" AND ".join(alternatives))
        self._take(docs, loosely=True)

    def hits(self) -> list[Hit]:
        """Tier 1 sorted by score, then tiers 2 and 3 merged by score; ties to the newer."""

        def key(d: int) -> tuple[float, int]:
            return -self.found[d][0], d

        first, *rest = self.tiers
        docs = sorted(first, key=key) + sorted((d for t in rest for d in t), key=key)
        if self.limit is not None:
            docs = docs[: self.limit]
        return [self._hit(d) for d in docs]

    def _hit(self, d: int) -> Hit:
        score, ms = self.found[d]
        a, p = self.index._locate(d)
        offsets = self.cache[d][1]
        best = max(ms, key=lambda m: (m.score, m.spans[0][1] - m.spans[0][0]))

        def original(span: tuple[int, int]) -> tuple[int, int]:
            s, e = span
            return (offsets[s], offsets[e - 1] + 1) if e > s else (offsets[s], offsets[s])

        start, end = original(best.spans[0])
        spans = tuple(sorted({original(s) for m in ms for s in m.spans}))
        return Hit(self.index.articles[a].id, p, start, end, score, spans)


def _pinyin_rows(index: SearchIndex, query: str, titles: int) -> Iterator[int]:
    """Short documents matching a pinyin query: titles, then subheads."""
    yield from index.rows(query, 0, titles, pinyin=True)
    yield from index.rows(query, titles, pinyin=True)
