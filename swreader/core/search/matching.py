"""How one term matches one document's searchable text, and how close several terms sit.

The full-text index says *which* documents hold a term; this module says *where* and how
well, on the few documents a query keeps. A term matches (best first):

* exactly: every occurrence, score :data:`EXACT`;
* as pinyin, for ASCII terms in short documents (titles, subheads): 80 / 75 / 70 for full,
  unfinished or initials (:mod:`swreader.core.search.pinyin`);
* fuzzily, for terms :func:`~swreader.core.search.fuzzy.fuzzy_allowed` allows: the closest
  window by :func:`rapidfuzz.fuzz.partial_ratio_alignment`, scored ``0.8 × ratio``.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz import fuzz

from swreader.core.search import pinyin
from swreader.core.search.fuzzy import fuzzy_allowed, fuzzy_cutoff, refine_span, short_ratio
from swreader.core.search.query import Term

__all__ = ["EXACT", "FUZZY_WEIGHT", "Match", "exact", "find", "loose", "window"]

EXACT = 100.0
FUZZY_WEIGHT = 0.8
_MAX_OCCURRENCES = 32


class Match(NamedTuple):
    """Where a term matched in a searchable text: its score and spans, the best first."""

    score: float
    spans: tuple[tuple[int, int], ...]
    kind: str  # "exact", "fuzzy" or "pinyin"


def exact(term: Term, text: str) -> Match | None:
    """Every occurrence of ``term`` in ``text`` (up to 32), or ``None``."""
    t = term.text
    spans = []
    p = text.find(t)
    while p >= 0 and len(spans) < _MAX_OCCURRENCES:
        spans.append((p, p + len(t)))
        p = text.find(t, p + len(t))
    return Match(EXACT, tuple(spans), "exact") if spans else None


def loose(term: Term, text: str, short: bool) -> Match | None:
    """The best pinyin (``short`` documents only) or fuzzy match of ``term``, or ``None``."""
    best = None
    if short and not term.quoted and pinyin.is_pinyin_query(term.text):
        score, spans = pinyin.match(term.text, text)
        if score:
            best = Match(score, tuple(spans), "pinyin")
    if fuzzy_allowed(term):
        t = term.text
        if len(t) < 4:
            found = short_ratio(t, text)
            if found is not None:
                score = FUZZY_WEIGHT * found[0]
                if best is None or score > best.score:
                    best = Match(score, (found[1:],), "fuzzy")
            return best
        al = fuzz.partial_ratio_alignment(t, text, score_cutoff=fuzzy_cutoff(len(t)))
        if al is not None and al.dest_end > al.dest_start:
            score = FUZZY_WEIGHT * al.score
            if best is None or score > best.score:
                span = refine_span(t, text, al.dest_start, al.dest_end)
                best = Match(score, (span,), "fuzzy")
    return best


def find(term: Term, text: str, short: bool, loosely: bool) -> Match | None:
    """:func:`exact`, else (when ``loosely``) :func:`loose`."""
    return exact(term, text) or (loose(term, text, short) if loosely else None)


def window(matches: list[Match]) -> tuple[int, int]:
    """Width of the smallest window holding one span of each match, and their length."""
    events = sorted((s, e, i) for i, m in enumerate(matches) for s, e in m.spans)
    length = sum(m.spans[0][1] - m.spans[0][0] for m in matches)
    width = max(e for _, e, _ in events) - events[0][0]
    for k, (left, _, _) in enumerate(events):
        seen: set[int] = set()
        reach = left
        for _, end, i in events[k:]:
            seen.add(i)
            reach = max(reach, end)
            if len(seen) == len(matches):
                width = min(width, reach - left)
                break
        else:
            break  # no later start covers every term either
    return max(1, width), length
