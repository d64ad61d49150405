"""The baseline the benchmarks compare search with: fuzzy-score every paragraph."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from swreader.core.pages.model import Article
from swreader.core.search.query import Hit

__all__ = ["naive_search"]


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
