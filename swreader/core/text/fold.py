"""Folding text for matching: one character at a time, with a map back to the original.

:func:`normalise` folds each character on its own: NFKC (full-width forms to ASCII),
:func:`~swreader.core.text.convert.to_simplified`, lower case; whitespace is dropped so that
``3000元`` finds ``3000 元``. Folding per character keeps an exact map back to the original
offsets and makes a query and the text it should find fold the same way whatever their
context. Whole-paragraph ``t2s`` gives the same result on every seed paragraph (a test checks
it) but costs ~2 µs per character, thirty times the per-character table.

Variants:
    Per-character ``t2s`` keeps regional and orthographic variants apart (``瞭解``/``了解``,
    ``憑藉``/``凭借``, ``衞生``/``卫生``, ``穿著``/``穿着``). ``swreader/data/variants.tsv``
    (built by ``tools/build_variants.py`` from OpenCC's dictionaries) lists same-length
    pairs, folded on top of ``t2s``:

    * ``char`` rows join a variant character to its standard form everywhere, as part of the
      per-character table. ``著`` folds to ``着`` everywhere, ``著名`` included: a fold only
      to the particle (``穿著``, ``隨著``) would depend on the context, and a query ``著``
      would then miss the ``著名`` it used to find. Folding both sides the same way keeps
      every old match; the price is that ``着名`` finds ``著名`` too.
    * ``phrase`` rows rewrite characters that are variants only inside some words (``覆`` in
      ``反覆``, not in ``覆盖``; ``藉`` in ``憑藉``, not in ``慰藉``). They are applied after the
      character fold, in one regex pass, only to texts holding a rewritten character.
      Both sides have the same length, so the offset map stays exact.
    * ``keep`` rows are standard words (``覆盖``) at whose edge a phrase is not applied, so
      that ``来回覆盖`` is not read as ``来回复盖``.

    A phrase depends on context: a query that starts or ends inside one (``覆`` or ``藉``
    against ``反覆``, ``憑藉``) folds without it. :func:`variant_forms` gives the other forms such
    a query may take in a folded text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from importlib.resources import files

from swreader.core.text.convert import to_simplified
from swreader.core.text.gates import CharGates

__all__ = ["OffsetMap", "fold", "fold_char", "normalise", "variant_forms"]

_FOLD: dict[int, str] = {}
"""``str.translate`` table: characters whose folded form differs from themselves."""
_SEEN: set[str] = set()
_CHANGED: set[str] = set()
"""The characters that are keys of :data:`_FOLD`."""
_TOUCHED: set[str] = set()
""":data:`_CHANGED` and the characters a phrase rewrites: a text with none of them folds to
itself (most simplified paragraphs), checked in one pass."""
_ODD: set[str] = set()
"""Characters that do not fold to exactly one character (whitespace, ``㎡`` …)."""
_ODD_NOT_SPACE: set[str] = set()
"""The characters of :data:`_ODD` that are not whitespace (``㎡`` → ``m2``)."""
_WORD_RE = re.compile(r"\S+")


def _fold_plain(char: str) -> str:
    """Fold one character without the variant table (NFKC, simplified, lower case)."""
    if char.isspace():
        return ""
    folded = unicodedata.normalize("NFKC", char)
    folded = "".join(to_simplified(c) for c in folded).lower()
    return "".join(c for c in folded if not c.isspace())


@dataclass(slots=True)
class _Variants:
    """The variant tables of ``variants.tsv``, in folded form (see the module docstring)."""

    chars: dict[str, str] = field(default_factory=dict)
    """Folded variant character → folded standard character."""
    phrases: dict[str, str] = field(default_factory=dict)
    """Folded variant phrase → folded standard phrase of the same length."""
    keep_end: dict[str, list[str]] = field(default_factory=dict)
    """Rewritten character → ``keep`` words that end with it."""
    keep_start: dict[str, list[str]] = field(default_factory=dict)
    """Rewritten character → ``keep`` words that start with it."""
    by_char: dict[str, list[str]] = field(default_factory=dict)
    """Character → the phrase keys holding it (for :func:`variant_forms`)."""
    at: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    """Rewritten character → ``(index in the key, key length)`` of every key it is
    rewritten in, leftmost key start first, then longest."""
    gate: re.Pattern[str] | None = None
    """Any character a phrase rewrites: the phrase pass looks only around these."""

    def fold(self, text: str) -> str:
        """``text`` folded character by character, variant characters included."""
        return "".join(self.chars.get(c, c) for c in "".join(map(_fold_plain, text)))


def _load_variants() -> _Variants:
    """Read ``variants.tsv`` and fold both sides of every row with the installed ``t2s``.

    Rows are folded here rather than when the file is built, so that a change of converter
    cannot leave a key the text never folds to: pairs that ``t2s`` now joins on its own, or
    that it no longer folds to one length, are dropped.
    """
    v = _Variants()
    rows = []
    text = (files("swreader") / "data" / "variants.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            kind, variant, standard, _source = line.split("\t")
            rows.append((kind, variant, standard))
    for kind, variant, standard in rows:
        key, value = _fold_plain(variant), _fold_plain(standard)
        if kind == "char" and len(key) == len(value) == 1 and key != value:
            v.chars.setdefault(key, value)
    for key in list(v.chars):  # resolve chains (a → b → c) so that the fold is idempotent
        seen = {key}
        while v.chars[key] in v.chars and v.chars[key] not in seen:
            seen.add(v.chars[key])
            v.chars[key] = v.chars[v.chars[key]]
        if v.chars[key] == key:
            del v.chars[key]
    rewritten: set[str] = set()
    for kind, variant, standard in rows:
        key, value = v.fold(variant), v.fold(standard)
        if kind == "phrase" and len(key) == len(value) > 1 and key != value:
            v.phrases.setdefault(key, value)
    for key, value in v.phrases.items():
        for i, (a, b) in enumerate(zip(key, value, strict=True)):
            if a != b:
                rewritten.add(a)
                v.at.setdefault(a, []).append((i, len(key)))
        for char in set(key):
            v.by_char.setdefault(char, []).append(key)
    for places in v.at.values():
        places[:] = sorted(set(places), key=lambda place: (-place[0], -place[1]))
    for kind, word, _ in rows:
        word = v.fold(word)
        if kind == "keep" and len(word) > 1 and word not in v.phrases:
            if word[-1] in rewritten:
                v.keep_end.setdefault(word[-1], []).append(word)
            if word[0] in rewritten:
                v.keep_start.setdefault(word[0], []).append(word)
    if rewritten:
        v.gate = re.compile("[" + "".join(map(re.escape, sorted(rewritten))) + "]")
    return v


_variants: _Variants | None = None
_variants_lock = threading.Lock()


def _tables() -> _Variants:
    """The variant tables, loaded on first use (building ``t2s`` takes a moment)."""
    global _variants
    if _variants is None:
        with _variants_lock:
            if _variants is None:
                loaded = _load_variants()
                _TOUCHED.update(loaded.at)
                _variants = loaded
    return _variants


def fold_char(char: str) -> str:
    """Fold one character for matching (NFKC, simplified, variants, lower case).

    Whitespace folds to ``""``.
    """
    chars = _tables().chars
    return "".join(chars.get(c, c) for c in _fold_plain(char))


def _kept(v: _Variants, text: str, start: int, key: str, value: str) -> bool:
    """Whether a ``keep`` word holds a rewritten edge of ``key`` at ``text[start:]``."""
    if key[0] != value[0]:
        for word in v.keep_end.get(key[0], ()):
            if start + 1 >= len(word) and text.startswith(word, start + 1 - len(word)):
                return True
    if key[-1] != value[-1]:
        end = start + len(key)
        for word in v.keep_start.get(key[-1], ()):
            if text.startswith(word, end - 1):
                return True
    return False


def _fold_phrases(folded: str) -> str:
    """Rewrite the variant phrases of a character-folded text (same length).

    One regex pass finds the characters some phrase rewrites; around each, the keys that
    rewrite it are looked up, leftmost then longest, never overlapping an earlier rewrite.
    """
    v = _tables()
    if v.gate is None:
        return folded
    pieces: list[str] = []
    done = 0
    phrases = v.phrases
    for match in v.gate.finditer(folded):
        p = match.start()
        if p < done:
            continue
        for i, length in v.at[match.group()]:
            start = p - i
            if start < done:
                continue
            key = folded[start : start + length]
            value = phrases.get(key)
            if value is not None and not _kept(v, folded, start, key, value):
                pieces += (folded[done:start], value)
                done = start + length
                break
    if not pieces:
        return folded
    pieces.append(folded[done:])
    return "".join(pieces)


def variant_forms(term: str) -> list[str]:
    """Other forms a folded query term may take inside a folded text.

    A phrase is folded only where the whole phrase is present, so a term that starts or ends
    inside one (``覆`` of ``反覆``, ``藉`` of ``憑藉``) folds without it while the text
    holding the whole phrase folds with it. This returns the term as it reads once each
    phrase overlapping its edges is rewritten (``覆`` → ``复``), for a search to look for too.

    Args:
        term: A term already folded by :func:`normalise`.

    Returns:
        The distinct other forms, without ``term`` itself (usually none).
    """
    v = _tables()
    forms: dict[str, None] = {}
    n = len(term)
    for key in {k for c in {term[:1], term[-1:]} for k in v.by_char.get(c, ())}:
        # Place the key at every offset where it overlaps the term without lying inside it,
        # and fold the term in that context (``keep`` words included).
        for offset in range(-len(key) + 1, n):
            lo, hi = max(0, offset), min(n, offset + len(key))
            if lo >= hi or (offset >= 0 and offset + len(key) <= n):
                continue
            if term[lo:hi] != key[lo - offset : hi - offset]:
                continue
            left = key[: lo - offset]
            context = left + term + key[hi - offset :]
            form = _fold_phrases(context)[len(left) : len(left) + n]
            if form != term:
                forms[form] = None
    return list(forms)


def _learn(text: str) -> None:
    """Add the characters of ``text`` not yet folded to the tables."""
    if _SEEN.issuperset(text):
        return
    new = set(text) - _SEEN
    for char in new:
        folded = fold_char(char)
        if folded != char:
            _FOLD[ord(char)] = folded
            _CHANGED.add(char)
            _TOUCHED.add(char)
        if len(folded) != 1:
            _ODD.add(char)
            if folded:
                _ODD_NOT_SPACE.add(char)
    _SEEN.update(new)


#: Whether a text holds characters not yet learned, or any that fold, in one pass.
_GATES = CharGates()


def _learned(text: str) -> tuple[set[str], set[str]]:
    """Learn the characters of ``text``; every character learned, and those that fold."""
    _learn(text)
    _tables()  # the phrase characters join _TOUCHED when the tables load
    return _SEEN, _TOUCHED


def _untouched(text: str) -> bool:
    """Learn the characters of ``text``; True if none of them folds to anything else."""
    return _GATES.plain(text, _learned)


def _fold_touched(text: str) -> str:
    """The fold of a text that holds characters that fold (same length, see phrases)."""
    folded = text.translate(_FOLD) if not _CHANGED.isdisjoint(text) else text
    return _fold_phrases(folded)


def fold(text: str) -> str:
    """``text`` folded for matching: the first half of :func:`normalise`, without offsets."""
    return text if _untouched(text) else _fold_touched(text)


class OffsetMap:
    """Where each character of a folded text came from, stored as breakpoints.

    ``folded[k]`` came from ``text[k + delta]``, with ``delta`` constant between breakpoints,
    so a paragraph with three spaces costs four entries instead of one per character.
    """

    __slots__ = ("_deltas", "_starts")

    def __init__(self) -> None:
        self._starts = array("I")
        self._deltas = array("i")

    def _add(self, start: int, delta: int) -> None:
        if not self._deltas or self._deltas[-1] != delta:
            self._starts.append(start)
            self._deltas.append(delta)

    def __getitem__(self, k: int) -> int:
        """Index in the original text of folded character ``k``."""
        return k + self._deltas[bisect_right(self._starts, k) - 1]

    def nbytes(self) -> int:
        """Bytes held by the breakpoints."""
        return 8 * len(self._starts) + 64


def normalise(text: str) -> tuple[str, OffsetMap | None]:
    """Fold ``text`` for matching and map the result back to ``text``.

    Args:
        text: Any text.

    Returns:
        ``(folded, offsets)``. ``offsets[k]`` is the index in ``text`` of the character that
        produced ``folded[k]``; ``offsets`` is ``None`` when the two line up one to one.
    """
    if _untouched(text):  # _ODD is part of _TOUCHED
        return text, None
    folded = _fold_touched(text)  # phrases keep the length: offsets from ``text`` hold
    if len(folded) == len(text) and _ODD.isdisjoint(text):
        return folded, None
    offsets = OffsetMap()
    if _ODD_NOT_SPACE.isdisjoint(text):  # only whitespace dropped: one breakpoint per run
        k = 0
        for run in _WORD_RE.finditer(text):
            offsets._add(k, run.start() - k)
            k += run.end() - run.start()
        if k == len(folded):
            return folded, offsets
        offsets = OffsetMap()
    k = 0
    for i, char in enumerate(text):
        for _ in _FOLD.get(ord(char), char) if char in _ODD else char:
            offsets._add(k, i - k)
            k += 1
    return folded, offsets
