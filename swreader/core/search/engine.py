"""Search: instant, forgiving, and landing on the exact place (like fzf).

:class:`SearchIndex` is built once per corpus and answers each keystroke. A query is split
into terms (:func:`parse_query`); every term must match somewhere in an article, in one of
these ways (best first):

* exactly, after folding both sides (traditional ↔ simplified, full-width, case, spaces:
  ``臨滄`` finds ``临沧``, ``3000元`` finds ``3000 元``);
* fuzzily, for terms of four characters or more (a typo or a missing character), scored
  with :func:`rapidfuzz.fuzz.partial_ratio_alignment`;
* as pinyin, for ASCII terms, against titles and subheads (``xuchang``, ``xc``).

Candidates come from the bigram index (:mod:`swreader.core.search.grams`), never from a scan
of the corpus: an exact match must contain the rarest bigram of the term; a fuzzy one must
share most bigrams with it (see :func:`fuzzy_need`). Terms are matched rarest first and each
later term only looks inside the articles still in play.

Ranking, per (article, paragraph) where the most terms of the query match:

``score = mean over terms (term score here, or half the term's best score elsewhere in the
article) + 15 for a title + 5 × density`` where a term scores 100 exactly, 0.8 × ratio
fuzzily, 80 / 75 / 70 as full / unfinished / initials pinyin, and density is the summed
length of the matched terms over the width of the smallest window holding them all (only
when two or more terms match there). Ties go to the narrower match, then the shorter
paragraph.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Collection, Iterable, Sequence

from rapidfuzz import fuzz

from swreader.core.pages.model import Article, Kind
from swreader.core.search.fuzzy import fuzzy_allowed, fuzzy_cutoff, fuzzy_need, refine_span
from swreader.core.search.grams import GramIndex
from swreader.core.search.pinyin import PinyinIndex, is_pinyin_query
from swreader.core.search.postings import Postings
from swreader.core.search.query import Hit, Term, query_terms, snippet_window

__all__ = ["SearchIndex"]

EXACT = 100.0
FUZZY_WEIGHT = 0.8
MISSING_WEIGHT = 0.5
TITLE_BONUS = 15.0
DENSITY_BONUS = 5.0

SCAN_CAP = 3_000
"""Most documents checked for one term in the exact pass."""
POOL_CAP = 3_000
"""Most documents whose shared bigrams are counted in the fuzzy pass."""
FUZZY_CAP = 400
"""Most documents scored with rapidfuzz for one term."""
PINYIN_CAP = 1_500
"""Most documents (titles first) whose pinyin is matched for one term."""
FUZZY_SKIP = 200
"""Skip the fuzzy pass when the exact pass already found this many documents."""
_MAX_OCCURRENCES = 32

# (score, start, end, spans, kind): offsets in the normalised text; spans None = every
# occurrence of the term; kind is "exact", "fuzzy" or "pinyin".
_Match = tuple[float, int, int, tuple[tuple[int, int], ...] | None, str]


class SearchIndex:
    """Everything a query needs, computed once for a set of articles.

    Args:
        articles: The articles to search (ids should be unique; the first one wins).
        conn: Database to keep the postings in (default: a private in-memory one).
        key: Name of the postings in ``conn``.
    """

    def __init__(
        self, articles: Sequence[Article], conn: sqlite3.Connection | None = None, key: str = ""
    ) -> None:
        self.articles = list(articles)
        self._ids: dict[str, int] = {}
        for i, article in enumerate(self.articles):
            self._ids.setdefault(article.id, i)
        self._grams = g = GramIndex(self.articles, conn, key)
        short = list(range(g.titles))
        for a, article in enumerate(self.articles):
            first = g.first_paragraph[a]
            short += [
                first + p for p, par in enumerate(article.paragraphs) if par.kind is Kind.SUBHEAD
            ]
        self._pinyin = PinyinIndex((d, g.texts[d]) for d in short)

    def __getstate__(self) -> dict[str, object]:
        # The articles are the library's own data: stored apart, attached on load.
        return {k: v for k, v in self.__dict__.items() if k != "articles"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.articles = []

    def attach(self, articles: Sequence[Article], postings: Postings) -> SearchIndex:
        """Give a loaded index its articles (same order) and stored postings; returns self."""
        self.articles = list(articles)
        self._grams.attach(self.articles, postings)
        return self

    @property
    def notices(self) -> list[str]:
        """Lines about trouble with the stored index met while searching, for the UI."""
        return self._grams.notices

    @property
    def key(self) -> str:
        """Name of the stored postings."""
        return self._grams.postings.key

    @property
    def parts(self) -> int:
        """Number of stored postings parts (to check they are all there when loading)."""
        return self._grams.postings.parts

    def memory(self) -> int:
        """Approximate bytes held by the text index (pinyin excluded)."""
        return self._grams.memory()

    # -- one term -----------------------------------------------------------------------

    def _docs(self, allowed: set[int] | None, postings: list, cap: int) -> Iterable[int]:
        """Documents to check: those of ``postings`` (in order), or of ``allowed`` articles."""
        g = self._grams
        size = sum(len(p) for p in postings)
        if allowed is not None and g.doc_count(allowed) < size:
            return [d for a in sorted(allowed) for d in g.docs_of(a)][:cap]
        if len(postings) == 1 and allowed is None:
            return postings[0][:cap]
        seen: set[int] = set()
        out: list[int] = []
        article_of = g.article_of
        for posting in postings:
            for d in posting:
                if d in seen or (allowed is not None and article_of[d] not in allowed):
                    continue
                seen.add(d)
                out.append(d)
                if len(out) >= cap:
                    return out
        return out

    def _match_term(self, term: Term, allowed: set[int] | None, limit: int) -> dict[int, _Match]:
        g = self._grams
        t = term.text
        texts = g.texts
        found: dict[int, _Match] = {}
        grams = sorted({t[i : i + 2] for i in range(len(t) - 1)} or {t}, key=g.posting_size)
        rarest = g.posting(grams[0])
        if rarest:
            for d in self._docs(allowed, [rarest], SCAN_CAP):
                p = texts[d].find(t)
                if p >= 0:
                    found[d] = (EXACT, p, p + len(t), None, "exact")
        if fuzzy_allowed(term) and len(found) < max(limit, FUZZY_SKIP):
            self._fuzzy(t, grams, allowed, found)
        if not term.quoted and is_pinyin_query(t):
            article_of = g.article_of
            ok = None if allowed is None else (lambda d: article_of[d] in allowed)
            for d, (score, spans) in self._pinyin.search(t, ok, PINYIN_CAP).items():
                if d not in found or found[d][0] < score:
                    found[d] = (score, spans[0][0], spans[0][1], tuple(spans), "pinyin")
        return found

    def _fuzzy(
        self,
        t: str,
        grams: list[str],
        allowed: set[int] | None,
        found: dict[int, _Match],
    ) -> None:
        """Add fuzzy matches of ``t`` to ``found`` (documents not matched exactly).

        ``grams`` are the term's character pairs, rarest first.
        """
        need = fuzzy_need(len(grams))
        # A document sharing ``need`` of the pairs has one of the rarest len - need + 1.
        postings = [self._grams.posting(k) for k in grams[: len(grams) - need + 1]]
        pool = self._docs(allowed, postings, POOL_CAP)
        texts = self._grams.texts
        ranked = []
        for d in pool:
            if d in found:
                continue
            text = texts[d]
            shared = sum(k in text for k in grams)
            if shared >= need:
                ranked.append((-shared, d))
        ranked.sort()
        cutoff = fuzzy_cutoff(len(t))
        for _, d in ranked[:FUZZY_CAP]:
            al = fuzz.partial_ratio_alignment(t, texts[d], score_cutoff=cutoff)
            if al is not None and al.dest_end > al.dest_start:
                span = (al.dest_start, al.dest_end)
                found[d] = (FUZZY_WEIGHT * al.score, *span, (span,), "fuzzy")

    # -- a whole query ------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int = 50, within: Collection[str] | None = None
    ) -> list[Hit]:
        """Find ``query`` in the indexed articles.

        Args:
            query: Terms separated by spaces (see :func:`parse_query`).
            limit: Most hits returned.
            within: Only search these article ids.

        Returns:
            Hits, best first, at most one per (article, paragraph).
        """
        terms = query_terms(query)
        if not terms or limit <= 0:
            return []
        g = self._grams
        allowed: set[int] | None = None
        if within is not None:
            allowed = {self._ids[i] for i in within if i in self._ids}
            if not allowed:
                return []

        def cost(term: Term) -> int:
            t = term.text
            keys = {t[i : i + 2] for i in range(len(t) - 1)} or {t}
            return min(g.posting_size(k) for k in keys)

        matches: list[dict[int, _Match]] = [{} for _ in terms]
        for ti in sorted(range(len(terms)), key=lambda i: cost(terms[i])):
            found = self._match_term(terms[ti], allowed, limit)
            if not found:
                return []
            matches[ti] = found
            allowed = {g.article_of[d] for d in found}
        return self._rank(terms, matches, allowed or set(), limit)

    def _rank(
        self, terms: list[Term], matches: list[dict[int, _Match]], articles: set[int], limit: int
    ) -> list[Hit]:
        g = self._grams
        n = len(terms)
        if n == 1:
            return self._rank_one(terms, matches[0], limit)
        per_doc: dict[int, dict[int, _Match]] = {}
        best: dict[int, list[float]] = {a: [0.0] * n for a in articles}
        for ti, found in enumerate(matches):
            for d, m in found.items():
                a = g.article_of[d]
                if a in articles:
                    per_doc.setdefault(d, {})[ti] = m
                    best[a][ti] = max(best[a][ti], m[0])
        most: dict[int, int] = {}
        for d, ms in per_doc.items():
            a = g.article_of[d]
            most[a] = max(most.get(a, 0), len(ms))
        entries = []
        for d, ms in per_doc.items():
            a = g.article_of[d]
            if len(ms) < most[a]:
                continue
            total = sum(ms[ti][0] if ti in ms else MISSING_WEIGHT * best[a][ti] for ti in range(n))
            score = total / n + (TITLE_BONUS if d < g.titles else 0.0)
            if len(ms) > 1:
                width, length = self._window(d, terms, ms)
                score += DENSITY_BONUS * min(1.0, length / width)
            else:
                (m,) = ms.values()
                width = m[2] - m[1]
            entries.append((-score, width, len(g.texts[d]), d))
        return [
            self._hit(d, -neg, terms, per_doc[d])
            for neg, _, _, d in heapq.nsmallest(limit, entries)
        ]

    def _rank_one(self, terms: list[Term], found: dict[int, _Match], limit: int) -> list[Hit]:
        """:meth:`_rank` for a single term: no windows, no missing terms."""
        titles, texts = self._grams.titles, self._grams.texts
        entries = [
            (-(m[0] + TITLE_BONUS) if d < titles else -m[0], m[2] - m[1], len(texts[d]), d)
            for d, m in found.items()
        ]
        return [
            self._hit(d, -neg, terms, {0: found[d]})
            for neg, _, _, d in heapq.nsmallest(limit, entries)
        ]

    def _spans(self, d: int, term: Term, m: _Match) -> list[tuple[int, int]]:
        """Every span of one term's match in a document (normalised offsets)."""
        if m[3] is not None:
            return list(m[3])
        text, t = self._grams.texts[d], term.text
        spans, p = [], m[1]
        while p >= 0 and len(spans) < _MAX_OCCURRENCES:
            spans.append((p, p + len(t)))
            p = text.find(t, p + len(t))
        return spans

    def _window(self, d: int, terms: list[Term], ms: dict[int, _Match]) -> tuple[int, int]:
        """Width of the smallest window holding one span of each matched term, and their length."""
        events = sorted((s, e, ti) for ti, m in ms.items() for s, e in self._spans(d, terms[ti], m))
        length = sum(m[2] - m[1] for m in ms.values())
        width = max(e for _, e, _ in events) - events[0][0]
        for i, (left, _, _) in enumerate(events):
            seen: set[int] = set()
            reach = left
            for _, end, ti in events[i:]:
                seen.add(ti)
                reach = max(reach, end)
                if len(seen) == len(ms):
                    width = min(width, reach - left)
                    break
            else:
                break  # no later start covers every term either
        return max(1, width), length

    def _hit(self, d: int, score: float, terms: list[Term], ms: dict[int, _Match]) -> Hit:
        g = self._grams
        a = g.article_of[d]
        refined = {}
        for ti, m in ms.items():
            if m[4] == "fuzzy":
                span = refine_span(terms[ti].text, g.texts[d], m[1], m[2])
                m = (m[0], *span, (span,), m[4])
            refined[ti] = m
        best = max(refined.values(), key=lambda v: (v[0], v[2] - v[1]))
        start, end = g.to_original(d, best[1], best[2])
        spans = sorted(
            {
                g.to_original(d, s, e)
                for ti, m in refined.items()
                for s, e in self._spans(d, terms[ti], m)
            }
        )
        return Hit(self.articles[a].id, g.paragraph_of[d], start, end, score, tuple(spans))

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
