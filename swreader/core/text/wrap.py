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
    return list(_wrap_ranges(text, max(width, 2)))


@lru_cache(maxsize=8192)
def _wrap_ranges(text: str, width: int) -> tuple[tuple[int, int], ...]:
    # Rendering asks for the same paragraph at the same width many times (height, then
    # lines, then positions): cache it.
    if not text:
        return ((0, 0),)
    lines: list[tuple[int, int]] = []
    start, used = 0, 0
    i = 0
    while i < len(text):
        w = cell_len(text[i])
        if used + w > width and i > start:
            brk = _adjust(text, start, i)
            lines.append((start, brk))
            start, used = brk, cell_len(text[brk:i])
            continue
        used += w
        i += 1
    lines.append((start, len(text)))
    return tuple(lines)


def wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` cells; see :func:`wrap_ranges`."""
    return [text[a:b] for a, b in wrap_ranges(text, width)]
