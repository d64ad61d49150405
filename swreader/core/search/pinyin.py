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
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

__all__ = [
    "FULL",
    "INITIALS",
    "PARTIAL",
    "columns",
    "is_pinyin_query",
    "match",
    "pinyin_query",
    "readings",
]

MAX_READINGS = 2
"""Readings kept per character (the most common first)."""

FULL = 80.0
"""Score of a run of complete syllables."""
PARTIAL = 75.0
"""Score of a run of syllables whose last one is still being typed."""
INITIALS = 70.0
"""Score of a run of initials."""

_MAX_SEGMENTATIONS = 16
_MAX_INITIALS = 8
"""Longest query also tried as initials (``xc`` → 许昌); longer ones are syllables."""
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


@cache
def known_syllables() -> frozenset[str]:
    """Every toneless syllable of the reading table (to cut a typed query into syllables)."""
    # Distinct readings first: 42k characters share 8.6k of them, and ~1.4k marked syllables.
    marked = {s for found in set(_table().values()) for s in found.split(",")}
    return frozenset(syllable for s in marked if (syllable := _toneless(s)))


def columns(text: str) -> tuple[str, str, str, str] | None:
    """What the pinyin index stores for ``text``: four token streams, or ``None``.

    One token per readable character, in order: its most common syllable, its second one
    (or the first again), and the initials of both. A phrase query on a stream then finds a
    run of consecutive characters (``重庆`` reads ``zhong qing`` in the first stream and
    ``chong qing`` in the second). ``None`` when nothing in ``text`` has a reading.
    """
    full, alt, ini, ini2 = [], [], [], []
    for char in text:
        syllables, initials = readings(char)
        if syllables and initials:
            full.append(syllables[0])
            alt.append(syllables[-1])
            ini.append(initials[0])
            ini2.append(initials[-1])
    if not full:
        return None
    return " ".join(full), " ".join(alt), " ".join(ini), " ".join(ini2)


def segmentations(query: str) -> list[tuple[list[str], str]]:
    """Ways to cut ``query`` into known syllables plus a possibly unfinished last one."""
    known = known_syllables()
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
            if rest[:size] in known:
                stack.append((pos + size, [*parts, rest[:size]]))
    return found


def pinyin_query(query: str) -> str:
    """The FTS5 query (on :func:`columns`' streams) for texts ``query`` may be pinyin of.

    A superset: each candidate is scored by :func:`match` afterwards. ``""`` when ``query``
    cannot be pinyin.
    """
    if not is_pinyin_query(query):
        return ""
    known = known_syllables()
    options = []
    for parts, rest in segmentations(query):
        if rest and not any(s.startswith(rest) for s in known):
            continue  # no syllable starts so: nothing is being typed there
        phrase = " ".join([*parts, rest] if rest else parts)
        options.append(f'"{phrase}"' + ("*" if rest else ""))
    spoken = f"{{full alt}} : ({' OR '.join(dict.fromkeys(options))})" if options else ""
    initials = f'{{ini ini2}} : "{" ".join(query)}"' if len(query) <= _MAX_INITIALS else ""
    return " OR ".join(q for q in (spoken, initials) if q)


def match(query: str, text: str) -> tuple[float, list[tuple[int, int]]]:
    """Score ``text`` for the pinyin ``query``: best score and every span (best first)."""
    return _match(query, _read(text))
