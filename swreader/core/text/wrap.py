"""Wrap Chinese text by terminal cell width, with the usual line-breaking rules.

Textual wraps only at spaces (rich #2494): a run of Chinese that does not fit jumps whole to
the next line, and nothing stops a line from starting with ``，。、」》``. Here lines are cut
by cell width (``rich.cells``: CJK characters take two cells) and then nudged so that

* no line starts with closing punctuation (``，。、；：？！）》」』”’…%``),
* no line ends with an opening bracket or quote (``（《「『“‘``),
* a Latin word or number is not split unless it is longer than the line.

The nudge moves the break *earlier* (the character before the break goes down with the
punctuation), which is the standard 禁则 "push-in"-free strategy: every line still fits.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len

#: Characters that must not start a line.
NO_START = frozenset("，。、；：？！）》」』”’〕】〉…—%‰,.;:?!)]}％·～~")
#: Characters that must not end a line.
NO_END = frozenset("（《「『“‘〔【〈([{")


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "._-/")


def _bad(text: str, pos: int) -> bool:
    return text[pos] in NO_START or text[pos - 1] in NO_END


def _adjust(text: str, start: int, brk: int) -> int:
    """Move a break earlier until the rules hold; keep ``brk`` if no earlier break works."""
    pos = brk
    if _is_word_char(text[pos - 1]) and _is_word_char(text[pos]):
        word = pos
        while word > start and _is_word_char(text[word - 1]):
            word -= 1
        if word > start:
            pos = word
    while pos > start + 1 and _bad(text, pos):
        pos -= 1
    if _bad(text, pos):
        return brk
    return pos


class _Widths(dict[int, str]):
    """Code point → its cell width as a one-character string, filled in on first sight.

    Used as a ``str.translate`` table: translating a paragraph through it gives its cell
    widths in one C-level pass, instead of one Python call per character.
    """

    def __missing__(self, code: int) -> str:
        # The width of the character alone, as the old per-character loop measured it.
        width = chr(cell_len(chr(code)))
        self[code] = width
        return width


_WIDTHS = _Widths()


@lru_cache(maxsize=32)
def _cells(text: str) -> bytes:
    """The cell width of each character of ``text``, one byte each.

    Cached for a few texts: a resize wraps the same long paragraph at many widths in a row.
    """
    return text.translate(_WIDTHS).encode("latin-1")


def _fit(cells: bytes, start: int, width: int) -> int:
    """The end of the longest run from ``start`` that fits in ``width`` cells.

    Zero-width characters right after the run stay on it, as they take no room.
    """
    end, room = start, width
    # No character takes more than 2 cells, so the next room // 2 characters surely fit:
    # sum them at C speed, a few times per line, instead of one Python step per character.
    while (sure := room // 2) > 0:
        room -= sum(cells[end : end + sure])
        end += sure
        if end >= len(cells):
            return len(cells)
    while end < len(cells) and cells[end] <= room:
        room -= cells[end]
        end += 1
    return end


def wrap_ranges(text: str, width: int) -> list[tuple[int, int]]:
    """Cut ``text`` into lines no wider than ``width`` cells (cached per text and width).

    Args:
        text: One paragraph (no newlines).
        width: Maximum line width in terminal cells (at least 2).

    Returns:
        ``(start, end)`` character ranges of the lines, covering the text in order.
        A leading space on a continuation line is kept in the range, not dropped, so the
        ranges always cover every character.
    """
    return list(wrapped(text, width))


def wrapped(text: str, width: int) -> tuple[tuple[int, int], ...]:
    """The same ranges as :func:`wrap_ranges`, as the cached tuple itself (no copy).

    The reader asks for the ranges of a paragraph at every layout, paint and scroll; for a
    paragraph of a million characters (26,000 lines) copying them each time would show.
    """
    return _wrap_ranges(text, max(width, 2))


@lru_cache(maxsize=8192)
def _wrap_ranges(text: str, width: int) -> tuple[tuple[int, int], ...]:
    # Rendering asks for the same paragraph at the same width many times (height, then
    # lines, then positions): cache it. The reader also fills this cache from its worker
    # thread, so the UI thread finds a long paragraph already wrapped.
    if not text:
        return ((0, 0),)
    # Linear in the text: one pass for the widths, then per line a few sums of the widths
    # to find the last character that fits (the greedy fill), nudged back by the rules.
    cells = _cells(text)
    size = len(text)
    lines: list[tuple[int, int]] = []
    start = 0
    while (fit := _fit(cells, start, width)) < size:
        # Every character is at most 2 cells and ``width`` is at least 2, so one fits.
        brk = _adjust(text, start, max(fit, start + 1))
        lines.append((start, brk))
        start = brk
    lines.append((start, size))
    return tuple(lines)


def wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` cells; see :func:`wrap_ranges`."""
    return [text[a:b] for a, b in wrap_ranges(text, width)]
