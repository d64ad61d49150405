"""Query side of search: terms, fuzzy-match helpers, snippets, and the naive baseline.

Split out of :mod:`swreader.core.search`, which re-exports the public names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from swreader.core.model import Article
from swreader.core.searchindex import normalise

__all__ = [
    "Hit",
    "Term",
    "fuzzy_allowed",
    "fuzzy_cutoff",
    "fuzzy_need",
    "naive_search",
    "parse_query",
    "query_terms",
    "refine_span",
    "snippet_window",
]

_DIGIT_RE = re.compile(r"[0-9]")
_QUERY_RE = re.compile(r'"([^"]*)"?|“([^”]*)”?|「([^」]*)」?|(\S+)')


@dataclass(frozen=True, slots=True)
class Hit:
    """One place that matches a query.

    Attributes:
        article_id: The article's id.
        paragraph: Index into ``article.paragraphs``; ``-1`` when the title matched.
        start: Offset of the best match in the original paragraph text (or title).
        end: End offset (exclusive).
        score: Higher is better (see :mod:`swreader.core.search` for the formula).
        spans: Every matched span there (original offsets, sorted), for highlighting.
    """

    article_id: str
    paragraph: int
    start: int
    end: int
    score: float
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a query: its folded text, and whether it was quoted (exact only)."""

    text: str  # normalised
    quoted: bool


def _parse(query: str) -> list[tuple[str, bool]]:
    found = []
    for m in _QUERY_RE.finditer(query):
        word = m.group(4)
        if word is not None:
            found.append((word, False))
        else:
            phrase = next(g for g in m.groups()[:3] if g is not None).strip()
            if phrase:
                found.append((phrase, True))
    return found


def parse_query(query: str) -> list[str]:
    """Split a query into terms.

    Terms are separated by any whitespace, the full-width space included. A phrase in
    quotes (``"…"``, ``“…”`` or ``「…」``) is one term and only matches exactly; an unclosed
    quote runs to the end, so a phrase being typed already counts.

    Args:
        query: What the user typed.

    Returns:
        The terms, as typed.
    """
    return [text for text, _ in _parse(query)]


def query_terms(query: str) -> list[Term]:
    """The distinct folded terms of ``query``, empty ones dropped."""
    terms: dict[str, Term] = {}
    for raw, quoted in _parse(query):
        text = normalise(raw)[0]
        if text and text not in terms:
            terms[text] = Term(text, quoted)
    return list(terms.values())


def fuzzy_need(bigrams: int) -> int:
    """Bigrams a fuzzy candidate must share with a term of ``bigrams`` distinct bigrams."""
    return max(1, min(math.ceil(0.6 * bigrams), bigrams - 2))


def fuzzy_allowed(term: Term) -> bool:
    """Whether ``term`` may match fuzzily: four characters or more, not quoted, no digits.

    Figures must match as written: ``3000元`` should not find ``10200元``.
    """
    return not term.quoted and len(term.text) >= 4 and _DIGIT_RE.search(term.text) is None


def fuzzy_cutoff(length: int) -> float:
    """Least ``partial_ratio`` for a fuzzy match of a term of ``length`` characters."""
    return 75.0 if length <= 4 else 80.0


def refine_span(term: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Nudge a fuzzy match onto the window closest to ``term`` by edit distance.

    ``partial_ratio_alignment`` returns the leftmost of equally scored windows, which for
    ``社会工做`` in ``市社会工作`` is ``市社会工``. Windows starting up to two characters either
    side and up to two characters longer or shorter are compared with Levenshtein distance;
    ties go to the longer window, then to the original position. Characters at either end
    that do not occur in ``term`` are then trimmed (``社会工作人才每2`` → ``社会工作人才``).
    """
    best = (Levenshtein.distance(term, text[start:end]), -(end - start), 0, start, end)
    n = len(term)
    for a in range(max(0, start - 2), min(len(text), start + 3)):
        for size in range(max(1, n - 2), n + 3):
            b = a + size
            if b > len(text):
                break
            key = (Levenshtein.distance(term, text[a:b]), -size, abs(a - start), a, b)
            best = min(best, key)
    start, end = best[3], best[4]
    while end - start > 1 and text[end - 1] not in term:
        end -= 1
    while end - start > 1 and text[start] not in term:
        start += 1
    return start, end


def snippet_window(text: str, start: int, end: int, width: int = 40) -> tuple[int, int]:
    """The part ``text[a:b]`` of at most ``width`` characters to show around a match.

    The match is centred when it fits; a match longer than ``width`` is cut at its end.
    """
    width = max(1, width)
    n = len(text)
    start = min(max(0, start), n)
    end = min(max(start, end), n)
    if n <= width:
        return 0, n
    if end - start >= width:
        return start, start + width
    a = max(0, start - (width - (end - start)) // 2)
    b = min(n, a + width)
    return max(0, b - width), b


def naive_search(articles: Sequence[Article], query: str, limit: int = 50) -> list[Hit]:
    """Baseline for benchmarks: score every paragraph with :func:`rapidfuzz.fuzz.partial_ratio`.

    Args:
        articles: The articles.
        query: The query, matched as one string against the original text.
        limit: Most hits returned.

    Returns:
        Hits, best first (spans only for the returned ones).
    """
    query = query.strip()
    if not query or limit <= 0:
        return []
    where = [(a, p) for a in articles for p in range(len(a.paragraphs))]
    texts = [a.paragraphs[p].text for a, p in where]
    hits = []
    for _, score, i in process.extract(query, texts, scorer=fuzz.partial_ratio, limit=limit):
        al = fuzz.partial_ratio_alignment(query, texts[i])
        article, p = where[i]
        span = (al.dest_start, al.dest_end) if al else (0, 0)
        hits.append(Hit(article.id, p, span[0], span[1], float(score), (span,)))
    return hits
