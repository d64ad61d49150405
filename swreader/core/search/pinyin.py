"""Pinyin matching for search: find ``xuchang`` or ``xc`` in a title that reads 许昌.

Readings are looked up once per distinct character in :mod:`pypinyin`'s character table
(written as its ``Style.NORMAL`` and ``Style.FIRST_LETTER`` would) and cached. A character keeps up to
:data:`MAX_READINGS` readings (``heteronym=True``), so 重庆 matches ``chongqing`` and 长春
matches ``changchun`` without phrase segmentation, which costs ~17 µs per character and is
far too slow for a large corpus. ASCII letters and digits stand for themselves; punctuation
and other symbols are skipped, so a run of syllables may span ``:`` or ``、``.

Only short texts are indexed (titles and subheads): reading every body paragraph would cost
memory for little benefit, since body text is reachable by typing Chinese.

A query matches when it is either

* a run of full syllables of consecutive characters, the last one possibly cut short while
  typing (``xuch`` → 许昌), or
* a run of initials of consecutive characters (``xc`` → 许昌).

Matches are reported as character offsets in the indexed text.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from array import array
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path

__all__ = ["FULL", "INITIALS", "PARTIAL", "PinyinIndex", "is_pinyin_query", "readings"]

MAX_READINGS = 2
"""Readings kept per character (the most common first)."""

FULL = 80.0
"""Score of a run of complete syllables."""
PARTIAL = 75.0
"""Score of a run of syllables whose last one is still being typed."""
INITIALS = 70.0
"""Score of a run of initials."""

_MAX_SEGMENTATIONS = 16
_EMPTY = array("I")
_PINYIN_RE = re.compile(r"[a-z]{2,32}")
_HAN_RE = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def is_pinyin_query(term: str) -> bool:
    """True when ``term`` (already lower-cased) may be typed pinyin: 2–32 ASCII letters."""
    return _PINYIN_RE.fullmatch(term) is not None


@lru_cache(maxsize=65536)
def readings(char: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Full syllables and initials of one character.

    Args:
        char: One character (simplified or traditional; lower-case for ASCII).

    Returns:
        ``(syllables, initials)``, both empty for characters that are neither Han nor ASCII
        letters or digits.
    """
    if char in _ALNUM:
        return (char,), (char,)
    if not _HAN_RE.fullmatch(char):
        return (), ()
    found = _table().get(ord(char))
    if not found:
        return (), ()
    syllables = tuple(dict.fromkeys(filter(None, map(_toneless, found.split(",")))))
    initials = tuple(dict.fromkeys(s[0] for s in syllables))
    return syllables[:MAX_READINGS], initials[:MAX_READINGS]


def _toneless(syllable: str) -> str:
    """``lǜ`` → ``lv``, as pypinyin's ``Style.NORMAL`` writes it."""
    bare = unicodedata.normalize("NFD", syllable.strip().lower()).replace("u\u0308", "v")
    return "".join(c for c in bare if "a" <= c <= "z")


@cache
def _table() -> dict[int, str]:
    """pypinyin's table of character readings (``{ord: "zhòng,chóng"}``), most common first.

    Loaded from its module file without importing the package: ``import pypinyin`` also
    loads its phrase dictionaries (~55 MB, unused here), this table alone is ~12 MB. Only
    building an index calls this; a stored index keeps the readings it uses.
    """
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(spec.submodule_search_locations[0]) / "pinyin_dict.py"
    module_spec = importlib.util.spec_from_file_location("_swreader_pinyin_dict", path)
    if module_spec is None or module_spec.loader is None:
        return {}
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    table: dict[int, str] = module.pinyin_dict
    return table


@dataclass(frozen=True, slots=True)
class _Reading:
    """The readable characters of one text: positions and their readings."""

    positions: array  # character offset in the text of each readable character
    syllables: tuple[tuple[str, ...], ...]
    initials: tuple[tuple[str, ...], ...]


def _read(text: str) -> _Reading:
    positions = array("I")
    syllables: list[tuple[str, ...]] = []
    initials: list[tuple[str, ...]] = []
    for i, char in enumerate(text):
        full, first = readings(char)
        if full and first:
            positions.append(i)
            syllables.append(full)
            initials.append(first)
    return _Reading(positions, tuple(syllables), tuple(initials))


def _walk_full(query: str, syllables: tuple[tuple[str, ...], ...], start: int) -> tuple[int, bool]:
    """Match ``query`` as syllables from item ``start``.

    Returns:
        ``(end_item, complete)``; ``end_item`` is 0 when there is no match. A complete match
        is preferred over one whose last syllable is cut short.
    """
    best = (0, False)
    stack = [(start, 0)]
    while stack:
        item, pos = stack.pop()
        if item >= len(syllables):
            continue
        rest = query[pos:]
        for syllable in syllables[item]:
            if rest == syllable:
                return item + 1, True
            if rest.startswith(syllable):
                stack.append((item + 1, pos + len(syllable)))
            elif syllable.startswith(rest) and not best[0]:
                best = (item + 1, False)
    return best


def _match(query: str, reading: _Reading) -> tuple[float, list[tuple[int, int]]]:
    """Best score and every matching span (character offsets, the best one first)."""
    spans: list[tuple[int, int]] = []
    best, best_at = 0.0, 0
    n = len(reading.syllables)
    k = len(query)
    head = query[0]
    for i in range(n):
        if head not in reading.initials[i]:  # every syllable starts with its initial
            continue
        end, complete = _walk_full(query, reading.syllables, i)
        score = 0.0
        if end:
            score = FULL if complete else PARTIAL
        elif i + k <= n and all(query[j] in reading.initials[i + j] for j in range(k)):
            end, score = i + k, INITIALS
        if score:
            if score > best:
                best, best_at = score, len(spans)
            spans.append((reading.positions[i], reading.positions[end - 1] + 1))
    if best_at:
        spans.insert(0, spans.pop(best_at))
    return best, spans


class PinyinIndex:
    """Pinyin of a set of short texts (titles, subheads), with a syllable inverted index.

    Args:
        texts: ``(doc_id, text)`` pairs; ``text`` should already be normalised (simplified,
            lower-case, no spaces) so that spans line up with the caller's other offsets.
    """

    def __init__(self, texts: Iterable[tuple[int, str]]) -> None:
        self._readings: dict[int, _Reading] = {}
        # Documents arrive in ascending order, so appending each once keeps every posting
        # sorted; arrays cost 4 bytes an entry where sets of ints cost ~60.
        self._syllables: dict[str, array[int]] = {}
        self._initial_pairs: dict[str, array[int]] = {}
        last = -1
        for doc, text in texts:
            if doc <= last:
                raise ValueError("documents must come in ascending order")
            last = doc
            reading = _read(text)
            if not reading.syllables:
                continue
            self._readings[doc] = reading
            keys = {syllable for options in reading.syllables for syllable in options}
            for key in keys:
                self._syllables.setdefault(key, array("I")).append(doc)
            pairs = {
                a + b for left, right in pairwise(reading.initials) for a in left for b in right
            }
            for key in pairs:
                self._initial_pairs.setdefault(key, array("I")).append(doc)
        self._known = sorted(self._syllables)

    def __len__(self) -> int:
        return len(self._readings)

    def _prefixed(self, fragment: str) -> set[int]:
        """Documents with a syllable that starts with ``fragment``."""
        found: set[int] = set()
        for syllable in self._known:
            if syllable.startswith(fragment):
                found.update(self._syllables[syllable])
        return found

    def _segmentations(self, query: str) -> list[tuple[list[str], str]]:
        """Ways to cut ``query`` into known syllables plus a possibly unfinished last one."""
        found: list[tuple[list[str], str]] = []
        stack: list[tuple[int, list[str]]] = [(0, [])]
        steps = 0
        while stack and len(found) < _MAX_SEGMENTATIONS and steps < 256:
            steps += 1
            pos, parts = stack.pop()
            rest = query[pos:]
            if not rest:
                found.append((parts, ""))
                continue
            found.append((parts, rest))  # the rest may be a syllable being typed
            for size in range(1, min(6, len(rest)) + 1):
                if rest[:size] in self._syllables:
                    stack.append((pos + size, [*parts, rest[:size]]))
        return found

    def _candidates(self, query: str) -> set[int]:
        """Documents that may match ``query`` (a superset, checked afterwards)."""
        found: set[int] = set()
        for parts, rest in self._segmentations(query):
            if parts:
                postings = sorted((self._syllables[p] for p in parts), key=len)
                found |= set(postings[0]).intersection(*postings[1:])
            elif rest:
                found |= self._prefixed(rest)
        pairs = [self._initial_pairs.get(query[i : i + 2], _EMPTY) for i in range(len(query) - 1)]
        if pairs and all(pairs):
            pairs.sort(key=len)
            found |= set(pairs[0]).intersection(*pairs[1:])
        return found

    def search(
        self, query: str, allowed: Callable[[int], bool] | None = None, cap: int = 10_000
    ) -> dict[int, tuple[float, list[tuple[int, int]]]]:
        """Match ``query`` against every indexed text.

        Args:
            query: Lower-case ASCII letters (see :func:`is_pinyin_query`).
            allowed: Optional predicate on document ids; others are skipped.
            cap: Most candidate documents checked (lowest ids first).

        Returns:
            ``{doc_id: (score, spans)}`` for every matching document.
        """
        if not is_pinyin_query(query):
            return {}
        hits: dict[int, tuple[float, list[tuple[int, int]]]] = {}
        candidates: Collection[int] = self._candidates(query)
        if len(candidates) > cap:
            candidates = sorted(candidates)[:cap]
        for doc in candidates:
            if allowed is not None and not allowed(doc):
                continue
            score, spans = _match(query, self._readings[doc])
            if score:
                hits[doc] = (score, spans)
        return hits
