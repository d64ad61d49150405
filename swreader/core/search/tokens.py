"""What the full-text index sees of a text: folded, without punctuation, as character pairs.

A text is folded by :func:`~swreader.core.text.fold.normalise` (script, width, case, spaces),
then everything but letters, digits and a few symbols that belong to figures (``%`` ``‰``
``℃`` ``¥`` …) is dropped, so that ``乡镇街道社工站`` finds ``乡镇(街道)社工站`` and
``3000元`` finds ``3,000元``. The result, :func:`searchable`, is what a term is matched
against; :func:`searchable_map` also maps each of its characters back to the original text.

The index stores a searchable text as overlapping character pairs, then its last character
on its own (:func:`pair_tokens`: ``社会工作`` → ``社会 会工 工作 作``). A term of two or more
characters is then the *phrase* of its pairs, found by position, so every document an FTS5
query returns holds the term exactly, and none that holds it is missed; a one-character term
is the *prefix* query of its character, which every occurrence starts a token with
(:func:`term_query`).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right

from swreader.core.text.fold import OffsetMap, fold, normalise

__all__ = [
    "Offsets",
    "pair_tokens",
    "searchable",
    "searchable_map",
    "split_query",
    "strip",
    "term_query",
]

# Kept: anything \w but "_", and the symbols figures are written with.
_DROP_RE = re.compile(r"[^\w%‰‱℃°¥$€£]|_")
# The same without "_", dropped apart by str.replace: one character class, not two
# alternatives, is a quarter faster, and the whole index's text goes through it.
_UNKEPT_RE = re.compile(r"[^\w%‰‱℃°¥$€£]")
# The FTS5 "ascii" tokenizer splits on ASCII punctuation: kept ASCII symbols are written as
# their full-width forms in tokens (a term is encoded the same way).
_TOKEN_SAFE = str.maketrans({"%": "％", "$": "＄"})
_SPACES = " ".encode("utf-32-le")


def searchable(text: str) -> str:
    """``text`` as the index matches it: folded, punctuation and spaces dropped."""
    return strip(fold(text))


def strip(folded: str) -> str:
    """An already folded text (a query term) without what :func:`searchable` drops."""
    return _UNKEPT_RE.sub("", folded.replace("_", ""))


class Offsets:
    """Where each character of a searchable text came from in the original text.

    Built from the runs :func:`searchable` dropped, so making one costs a regex pass; an
    offset is worked out only when asked for (a hit's two ends, not every character).
    """

    __slots__ = ("_drops", "_folded", "_kept")

    def __init__(self, folded: OffsetMap | None, drops: list[tuple[int, int]]) -> None:
        self._folded = folded
        self._kept = [0]  # searchable offset at which each drop is met
        self._drops = [0]  # characters dropped before it, in all
        for start, end in drops:
            self._kept.append(start - self._drops[-1])
            self._drops.append(self._drops[-1] + end - start)

    def __getitem__(self, k: int) -> int:
        """Index in the original text of searchable character ``k``."""
        k += self._drops[bisect_right(self._kept, k) - 1]
        return k if self._folded is None else self._folded[k]


def searchable_map(text: str) -> tuple[str, Offsets]:
    """:func:`searchable` and, for each of its characters, its offset in ``text``."""
    folded, offsets = normalise(text)
    drops = [m.span() for m in _DROP_RE.finditer(folded)]
    return _DROP_RE.sub("", folded) if drops else folded, Offsets(offsets, drops)


def pair_tokens(searchable_text: str) -> str:
    """The tokens stored for a searchable text: its character pairs, then its last character.

    Built as UTF-32 code units by strided copies, about twice as fast as joining one
    two-character string per character; the index's whole text goes through here.
    """
    s = searchable_text
    if "%" in s or "$" in s:  # a translate costs ~190 ns a character, a test ~1
        s = s.translate(_TOKEN_SAFE)
    n = len(s)
    if n < 2:
        return s
    chars = array("I", s.encode("utf-32-le", "surrogatepass"))
    pairs = 3 * (n - 1)  # each pair and the space after it, then the last character
    out = array("I", _SPACES * (pairs + 1))
    out[0:pairs:3] = chars[:-1]
    out[1:pairs:3] = chars[1:]
    out[-1] = chars[-1]
    return out.tobytes().decode("utf-32-le", "surrogatepass")


def term_query(term: str) -> str:
    """The FTS5 query for documents holding the searchable ``term`` exactly (``""`` if empty).

    Tokens hold no quote or space (those are dropped), so they can be quoted as they are.
    """
    s = term.translate(_TOKEN_SAFE)
    if not s:
        return ""
    if len(s) == 1:
        return f'"{s}"*'
    return '"' + " ".join(s[i : i + 2] for i in range(len(s) - 1)) + '"'


def split_query(left: str, right: str, distance: int) -> str:
    """An FTS5 ``NEAR`` query: ``left`` and ``right`` within ``distance`` tokens of each other.

    Used for typos: a term with one character wrong, missing or added still holds the parts
    on either side of it, close together.
    """
    parts = [term_query(p) for p in (left, right) if p]
    if len(parts) == 1:
        return parts[0]
    return f"NEAR({parts[0]} {parts[1]}, {distance})"
