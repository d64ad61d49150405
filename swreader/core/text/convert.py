"""Script conversion (simplified / traditional / Taiwan / Hong Kong) on top of OpenCC.

The reader shows every article in one of five *scripts*: the page's own text (``original``) or
one of four OpenCC conversions, made with the official binding (PyPI ``opencc``). The Taiwan
script uses the project's ``s2twp_socialwork`` config (:mod:`.opencc_config`): OpenCC's
``s2twp``, whose phrase table is written for computing vocabulary (社区→社群, 服务对象→服務物件,
程序→程式), with a small table of social-work phrasing in front of it.

Conversion is applied **directly to whatever the source is**, simplified or traditional; the
text is never normalised to simplified first. A ``t2s`` round trip loses distinctions the
source already made (髮/發, 乾/幹, 後/后, 麪/面, 釐/厘, 鏈/鍊, 擡/抬, 彆/別), while direct
conversion mostly passes traditional characters through and still fixes the stray simplified
characters that half-converted pages (seed 004) contain. Measured with OpenCC 1.4.2 on its
test cases (traditional input taken from each case's ``s2t`` answer, stock configs) the two
are close, the round trip slightly ahead: ``s2twp`` 49/58 direct vs 54/58, ``s2hk`` 39/44 vs
40/44, ``s2tw`` 55/63 vs 59/63. Direct conversion's misses are traditional characters that are
also simplified ones and get re-mapped (干擾→幹擾, 干預→幹預, 鰂魚涌→鰂魚湧); the round trip's are the
lost distinctions above. Applying the config directly also means a piece of text converts
the same way on its own as inside a paragraph, which :func:`convert_spans` relies on.

Thread safety:
    A converter of the binding is immutable once built: ``convert`` is a ``const`` C++ method
    that keeps no state between calls, and OpenCC guards its shared dictionary cache with a
    mutex while converters are built. (pybind11 also keeps the GIL during ``convert``.)
    So one converter per config is shared by every thread, with no lock; 8 threads converting
    the seeds with shared converters of every config, while building more of them, gave the
    single-threaded results. Two threads that ask for a converter at the same first moment may
    both build one (at most 0.1 s of work, once); ``dict.setdefault`` keeps one of them. The
    caches are :func:`functools.lru_cache`, which is thread-safe.
"""

from __future__ import annotations

import difflib
import itertools
import re
import threading
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import pairwise

import opencc

from swreader.core.text.gates import CharGates
from swreader.core.text.opencc_config import build_converter

__all__ = [
    "CONFIGS",
    "LABELS",
    "SCRIPTS",
    "convert",
    "convert_paragraph",
    "convert_spans",
    "detect_script",
    "next_script",
    "simplify_chars",
    "to_simplified",
    "warm_up",
]

SCRIPTS: tuple[str, ...] = ("original", "simplified", "traditional", "taiwan", "hongkong")
"""Every script, in the order :func:`next_script` cycles through them."""

LABELS: dict[str, str] = {
    "original": "原文",
    "simplified": "简体",
    "traditional": "繁體",
    "taiwan": "台灣",
    "hongkong": "香港",
}
"""Short label for each script, written in that script."""

CONFIGS: dict[str, str | None] = {
    "original": None,
    "simplified": "t2s",
    "traditional": "s2t",
    "taiwan": "s2twp_socialwork",
    "hongkong": "s2hk",
}
"""OpenCC config for each script (``None``: the text is left as it is).

``s2twp_socialwork`` is the project's config in ``swreader/data/opencc``; the others are
OpenCC's own.
"""

_CACHE_SIZE = 65536
_DETECT_SAMPLE = 4000

_HAN_RE = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f]"
)

_converters: dict[str, opencc.OpenCC] = {}


def _converter(config: str) -> opencc.OpenCC:
    """Return the shared converter for ``config``, building it on first use.

    No lock: converters are immutable and cheap to build (see the module docstring), and
    ``setdefault`` makes every caller share the first one stored.

    Args:
        config: A value of :data:`CONFIGS`, or another OpenCC config name such as ``"s2tw"``.

    Returns:
        The converter for that config.
    """
    conv = _converters.get(config)
    if conv is None:
        conv = _converters.setdefault(config, build_converter(config))
    return conv


# The binding hands OpenCC UTF-8 as a C string: conversion stops at a NUL (the rest of the
# text is lost) and a lone surrogate cannot be encoded at all. Such characters are kept as
# they are and the runs between them are converted on their own.
_UNSAFE_RE = re.compile("([\x00\ud800-\udfff]+)")


def _run(config: str, text: str) -> str:
    """Convert ``text`` with the shared converter for ``config``, keeping every character.

    Args:
        config: An OpenCC config name, as for :func:`_converter`.
        text: Any string, including NUL characters and lone surrogates.

    Returns:
        The converted text.
    """
    conv = _converter(config)
    if not _UNSAFE_RE.search(text):
        return conv.convert(text)
    parts = _UNSAFE_RE.split(text)  # odd indexes are the unsafe runs
    return "".join(
        part if i % 2 or not part else conv.convert(part) for i, part in enumerate(parts)
    )


def warm_up(*, pause: float = 0.0, when: Callable[[], bool] | None = None) -> None:
    """Build every converter now, so the first script toggle never waits on it.

    Each is built in one call into OpenCC that keeps the GIL: ~0.2 s for ``s2t``, ~0.3 s
    for the Taiwan and Hong Kong configs (each loads ``STPhrases`` again). No text is
    converted ahead: the list and sidebar convert only what they draw (pre-converting
    100,000 titles × 4 scripts took minutes of a worker, for a cache that keeps 65,536).

    Args:
        pause: Seconds to sleep after each converter, so the UI thread answers a key.
        when: Called before each one; it may wait (for the user to pause, say) and
            returns ``False`` to stop.
    """
    for config in CONFIGS.values():
        if config is not None and config not in _converters:
            if when is not None and not when():
                return
            _converter(config)
            time.sleep(pause)


def ready(script: str) -> bool:
    """Whether converting into ``script`` can start at once: its converter is built.

    Building one is a single call into OpenCC that holds the GIL (~0.1 s for ``s2t``);
    work done ahead of need (preparing the other scripts of an open article) leaves it to
    :func:`warm_up`, which runs once the library is loaded and search answers.

    Raises:
        ValueError: If ``script`` is not one of :data:`SCRIPTS`.
    """
    config = _config_for(script)
    return config is None or config in _converters


def _config_for(script: str) -> str | None:
    """Return the OpenCC config for ``script``.

    Raises:
        ValueError: If ``script`` is not one of :data:`SCRIPTS`.
    """
    try:
        return CONFIGS[script]
    except (KeyError, TypeError):
        raise ValueError(f"unknown script {script!r}; expected one of {SCRIPTS}") from None


@lru_cache(maxsize=_CACHE_SIZE)
def convert(text: str, script: str) -> str:
    """Convert ``text`` to ``script``.

    Results are cached (LRU, keyed on ``(text, script)``), so converting the same paragraph
    again returns the same string object.

    Args:
        text: Text in any Chinese script (simplified, traditional or a mix).
        script: One of :data:`SCRIPTS`. ``"original"`` returns ``text`` unchanged.

    Returns:
        The converted text.

    Raises:
        ValueError: If ``script`` is unknown.
    """
    config = _config_for(script)
    if config is None or not text:
        return text
    return _run(config, text)


@lru_cache(maxsize=_CACHE_SIZE)
def to_simplified(text: str) -> str:
    """Normalise ``text`` to simplified characters (``t2s``) for matching and indexing.

    Cached separately from :func:`convert`, so indexing does not evict display conversions.

    Args:
        text: Text in any Chinese script.

    Returns:
        The text with traditional characters replaced by simplified ones.
    """
    if not text:
        return text
    return _run("t2s", text)


_char_table: dict[int, str] = {}
_chars_seen: set[str] = set()
_chars_changed: set[str] = set()
_chars_lock = threading.Lock()
_chars_gates = CharGates()


def simplify_chars(text: str) -> str:
    """Fold traditional characters to simplified one character at a time (fast).

    Unlike :func:`to_simplified` this ignores phrase rules, which matching headlines and
    place names does not need. Each new character is learned once (thread-safe); a text
    with no traditional character costs one regex pass (:mod:`.gates`), another one
    ``str.translate``. Returns the text with every character replaced by its t2s form.
    """
    return text if _chars_gates.plain(text, _learn_chars) else text.translate(_char_table)


def _learn_chars(text: str) -> tuple[set[str], set[str]]:
    new = set(text) - _chars_seen
    if new:
        with _chars_lock:
            for char in new:
                folded = _run("t2s", char)
                if folded != char:
                    _char_table[ord(char)] = folded
                    _chars_changed.add(char)
            _chars_seen.update(new)
    return _chars_seen, _chars_changed


def _check_spans(spans: Sequence[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Validate ``spans`` against a text of ``length`` characters.

    Spans may be given in any order and may touch (``(0, 2)`` and ``(2, 4)``). An empty span
    (``start == end``) marks a position; it may sit at another span's edge, not inside it.

    Returns:
        The spans as a list of ``(start, end)`` tuples, in input order.

    Raises:
        ValueError: If a span is out of bounds, reversed, or overlaps another span.
    """
    checked: list[tuple[int, int]] = []
    for span in spans:
        start, end = span
        if not (0 <= start <= end <= length):
            raise ValueError(f"span {span!r} is out of bounds for text of length {length}")
        checked.append((start, end))
    reach = 0
    for start, end in sorted(checked):
        if start < reach:
            raise ValueError(f"span {(start, end)!r} overlaps another span")
        reach = max(reach, end)
    return checked


def convert_spans(
    text: str, spans: Sequence[tuple[int, int]], script: str
) -> tuple[str, list[tuple[int, int]]]:
    """Convert ``text`` and recompute the offsets of ``spans`` in the result.

    Phrase-level configs change lengths (``s2twp``: 算法→演算法, 内存→記憶體), so offsets of
    figures, search hits or damaged runs move. The text is cut at every span boundary, each
    piece is converted on its own (cached) and the pieces are joined. Every span's text is
    therefore converted exactly as ``convert(text[start:end], script)`` and its new offsets
    are exact; the price is that a phrase crossing a span boundary is not converted as a
    phrase.

    Overlapping spans are rejected rather than merged, because merging would break the
    one-to-one correspondence between input and output spans.

    Args:
        text: The text to convert.
        spans: ``(start, end)`` character offsets into ``text`` (end exclusive). They may
            touch but must not overlap; any order is accepted.
        script: One of :data:`SCRIPTS`.

    Returns:
        ``(converted_text, new_spans)`` with ``new_spans`` in the order of ``spans``.

    Raises:
        ValueError: If ``script`` is unknown, or a span is out of bounds, reversed or
            overlapping.
    """
    config = _config_for(script)
    checked = _check_spans(spans, len(text))
    if config is None:
        return text, checked
    cuts = sorted({0, len(text), *(pos for span in checked for pos in span)})
    pieces: list[str] = []
    new_pos = {0: 0}
    offset = 0
    for left, right in pairwise(cuts):
        piece = convert(text[left:right], script)
        pieces.append(piece)
        offset += len(piece)
        new_pos[right] = offset
    return "".join(pieces), [(new_pos[start], new_pos[end]) for start, end in checked]


def next_script(script: str) -> str:
    """Return the script after ``script`` in :data:`SCRIPTS`, wrapping around.

    Raises:
        ValueError: If ``script`` is unknown.
    """
    _config_for(script)
    return SCRIPTS[(SCRIPTS.index(script) + 1) % len(SCRIPTS)]


def _han_changes(before: str, after: str) -> int:
    """Count Han characters of ``before`` that a conversion replaced in ``after``."""
    if len(before) == len(after):
        return sum(1 for a, b in zip(before, after, strict=True) if a != b and _HAN_RE.match(a))
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(
        len(_HAN_RE.findall(before[i1:i2]))
        for tag, i1, i2, _, _ in matcher.get_opcodes()
        if tag != "equal"
    )


def detect_script(text: str) -> str:
    """Guess whether ``text`` is written in simplified or traditional characters.

    A sample (the first 4000 characters) is converted both ways: ``t2s`` changes the
    traditional characters in it and ``s2t_characters`` (``s2t`` without its phrase table, a
    project config) the simplified ones. Whichever conversion changes more Han characters
    reveals the script. (``s2t`` keeps the GIL ~0.2 s to build, as the user types at start;
    this one ~5 ms, with the same answer on every seed and fixture article.) Mixed pages (a
    traditional page with a few stray simplified characters, like seed 004) come out as the
    majority script. A tie, including text whose characters are the same in both scripts,
    counts as simplified.

    Args:
        text: Any text.

    Returns:
        ``"traditional"``, ``"simplified"``, or ``"unknown"`` if the sample has no Han
        characters.
    """
    sample = text[:_DETECT_SAMPLE]
    if not _HAN_RE.search(sample):
        return "unknown"
    traditional = _han_changes(sample, _run("t2s", sample))
    simplified = _han_changes(sample, _run("s2t_characters", sample))
    return "traditional" if traditional > simplified else "simplified"


def convert_paragraph(
    text: str, spans: list[tuple[int, int]], script: str
) -> tuple[str, dict[int, int]]:
    """Convert a paragraph and map every span boundary to its offset in the result.

    Phrase-level configs (s2twp) change lengths, so the text is cut at every boundary,
    the pieces are converted separately and the offsets are read off the pieces.

    Args:
        text: The paragraph as parsed.
        spans: ``(start, end)`` pairs that must stay addressable; they may overlap.
        script: A name from ``convert.SCRIPTS``.

    Returns:
        The converted text and a map from each original boundary to its new offset.
    """
    cuts = sorted({0, len(text), *(b for span in spans for b in span)})
    pieces = list(itertools.pairwise(cuts))
    if not pieces:
        return convert(text, script), {0: 0}
    converted, new = convert_spans(text, pieces, script)
    mapping = {old[0]: fresh[0] for old, fresh in zip(pieces, new, strict=True)}
    mapping[len(text)] = len(converted)
    return converted, mapping
