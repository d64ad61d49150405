"""The engine's fuzzy rules: which terms may match loosely, how loosely, and where exactly.

Typos are forgiven only on terms long enough to carry them: a candidate must share most of
a term's character pairs (:func:`fuzzy_need`) and reach a ``partial_ratio`` cut-off
(:func:`fuzzy_cutoff`); the match is then moved onto the closest window (:func:`refine_span`).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from swreader.core.search.query import Term

__all__ = ["fuzzy_allowed", "fuzzy_cutoff", "refine_span", "short_ratio"]

_DIGIT_RE = re.compile(r"[0-9]")


def fuzzy_allowed(term: Term) -> bool:
    """Whether ``term`` may match fuzzily: three characters or more, not quoted, no digits.

    Three-character terms forgive only one character too many in the text (``许昌社`` finds
    ``许昌市社会``), so that a query being typed does not drop to nothing on its way to a
    longer term that matches (see :func:`short_ratio`).

    Figures must match as written: ``3000元`` should not find ``10200元``.
    """
    return not term.quoted and len(term.text) >= 3 and _DIGIT_RE.search(term.text) is None


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


def short_ratio(term: str, text: str) -> tuple[float, int, int] | None:
    """The best window of ``text`` one character longer than a short ``term``.

    ``partial_ratio`` only compares windows as long as the term, where one extra character
    costs a three-character term a third of its score. Returns ``(ratio, start, end)`` of the
    best window that holds the term with one character added, or ``None``.
    """
    n = len(term) + 1
    best = None
    for a in range(len(text) - n + 1):
        window = text[a : a + n]
        if window[0] != term[0] or window[-1] != term[-1]:
            continue  # an extra character inside: both ends stay the term's own
        score = fuzz.ratio(term, window)
        if score >= 80.0 and (best is None or score > best[0]):
            best = (score, a, a + n)
    return best
