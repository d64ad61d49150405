"""What a query is and what it finds: terms, :class:`Hit`, and the snippet around a hit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from swreader.core.text.fold import fold

__all__ = [
    "Hit",
    "Term",
    "parse_query",
    "query_terms",
    "snippet_window",
]

_QUERY_RE = re.compile(r'"([^"]*)"?|“([^”]*)”?|「([^」]*)」?|(\S+)')


@dataclass(frozen=True, slots=True)
class Hit:
    """One place that matches a query.

    Attributes:
        article_id: The article's id.
        paragraph: Index into ``article.paragraphs``; ``-1`` when the title matched.
        start: Offset of the best match in the original paragraph text (or title).
        end: End offset (exclusive).
        score: Higher is better (see :mod:`swreader.core.search.engine` for the formula).
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
        text = fold(raw)
        if text and text not in terms:
            terms[text] = Term(text, quoted)
    return list(terms.values())


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
