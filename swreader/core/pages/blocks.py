"""Blocks: the page cut at blank lines, and the tests that say what a block looks like.

A *block* is a run of non-blank lines. ``gap`` counts the blank lines above it: print pages
set photo captions off with extra space, which is how we tell a caption from a subhead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters after which a paragraph is complete.
_TERMINAL = set("。！？!?…；;：:")
#: Closing marks that may follow the terminal character (`。”`).
_CLOSERS = '”」』’"》)）]】 '
_INNER_PUNCT = re.compile(r"[，,、；;。！？]")

SOURCE = re.compile(r"^[-–—•·*\s]*[(（]\s*[据據]\s*(?P<src>[^()（）]+?)\s*[)）]\s*$")
BYLINE = re.compile(
    r"^\s*(?:■|□|▲|●)?\s*(?P<role>(?:本[报報])?(?:特[约約])?(?:[记記]者|通[讯訊][员員]|实习生|實習生))"
    r"\s*(?P<names>.*)$"
)
_BYLINE_MARK = re.compile(r"^\s*[■□]\s*\S")
# The pattern opens with the class of all possible first characters, so the engine skips
# every other position in C; a lookbehind then picks the alternative. (A plain alternation
# of ``[图圖]片…|[(（]…`` is tried alternative by alternative at every position: 4x slower.)
CAPTION_MARK = re.compile(
    r"[图圖(（摄攝供]"
    r"(?:(?<=[图圖])片[来來]源"  # 图片来源
    r"|(?<=[(（])\s*[图圖][/／:：]"  # (图/…
    r"|(?<=[摄攝])\s*[)）]?$"  # …摄) at the end
    r"|(?<=供)[图圖]\s*[)）]?$)"  # …供图) at the end
)
BULLET = re.compile(r"^\s*(?:[-–•·*]\s*)?(?:\d{1,3}[.、．]|[-–•·*])\s*")
_ROLE_WORDS = re.compile(r"(?:本[报報])?(?:特[约約])?(?:[记記]者|通[讯訊][员員]|实习生|實習生)")

#: A line this short with no closing punctuation reads as a headline, subhead or caption.
SHORT = 40
#: A block this long without closing punctuation is a paragraph cut by the layout.
LONG_FRAGMENT = SHORT


@dataclass(slots=True)
class Block:
    """A run of non-blank lines.

    Attributes:
        lines: The stripped lines.
        gap: Blank lines before the block.
    """

    lines: list[str]
    gap: int

    @property
    def text(self) -> str:
        """The lines joined as Chinese prose (no separator)."""
        return join_text(self.lines)


def join_text(parts: list[str]) -> str:
    """Join pieces of Chinese text, keeping a space only between two Latin words."""
    out = ""
    for part in parts:
        if (
            out
            and out[-1].isascii()
            and out[-1].isalnum()
            and part[:1].isascii()
            and part[:1].isalnum()
        ):
            out += " "
        out += part
    return out


def split_blocks(lines: list[str], skip: set[int] | None = None) -> list[Block]:
    """Cut lines into blocks at blank lines, leaving out the lines in ``skip``."""
    skip = skip or set()
    blocks: list[Block] = []
    current: list[str] = []
    gap = 0
    for i, raw in enumerate(lines):
        line = raw.strip()
        if i in skip:
            if current:
                blocks.append(Block(current, gap))
                current, gap = [], 0
            continue
        if not line:
            if current:
                blocks.append(Block(current, gap))
                current, gap = [], 0
            gap += 1
            continue
        current.append(line)
    if current:
        blocks.append(Block(current, gap))
    return blocks


def is_complete(text: str) -> bool:
    """True when the text ends like a finished sentence (``。``, ``。”``, ``：`` …)."""
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _TERMINAL


def is_fragment(text: str) -> bool:
    """True for a paragraph the layout cut in two: unfinished, and long or with commas.

    A colon does not count: headlines use it (``河南新乡:已建成…``).
    """
    if is_complete(text) or SOURCE.match(text):
        return False
    return len(text) >= LONG_FRAGMENT or bool(_INNER_PUNCT.search(text))


def is_headline_like(text: str) -> bool:
    """Short, unfinished and without inner punctuation: a title, subhead or caption."""
    return len(text) <= SHORT and not is_complete(text) and not is_fragment(text)


#: A caption is at most this long; a longer block is a caption only if a credit closes it.
CAPTION_MAX = 60


def is_caption_marked(text: str) -> bool:
    """True when the text carries a photo credit such as ``(图片来源:…)`` where captions do.

    A paragraph that *mentions* 图片来源 (``注明图片来源``) is no caption: in a block longer
    than a caption the credit must close it, in brackets (``…。(图片来源:某局)``).
    """
    match = CAPTION_MARK.search(text)
    if match is None:
        return False
    if len(text) <= CAPTION_MAX:
        return True
    tail = text[match.start() :].rstrip()
    opened = text.rfind("(", 0, match.end()), text.rfind("（", 0, match.end())
    in_brackets = len(text) - max(opened) <= 40 and tail.endswith((")", "）"))
    return match.end() >= len(text.rstrip()) - 1 or in_brackets


def is_byline(text: str) -> bool:
    """True for ``■ 本报记者 皮磊`` and the like."""
    return (bool(BYLINE.match(text)) and len(text) <= SHORT) or bool(_BYLINE_MARK.match(text))


def byline_names(text: str) -> str:
    """Extract the names from a byline: ``■ 本报记者 皮磊`` gives ``皮磊``."""
    body = re.sub(r"^\s*[■□▲●]\s*", "", text)
    body = _ROLE_WORDS.sub(" ", body)
    names = [n for n in re.split(r"[\s、，,]+", body) if n]
    return "、".join(names)


def split_sources(src: str) -> list[str]:
    """Split ``据A、B`` into outlets, stripping book-title marks and quotes."""
    out = []
    for part in re.split(r"[、，,;；]|\s+和\s+", src):
        name = re.sub(r"[《》〈〉“”\"'「」『』]", "", part).strip()
        if name and name not in out:
            out.append(name)
    return out


def is_list_block(block: Block) -> bool:
    """True when the block's lines are bulleted or numbered items."""
    # A list has two items, or one item and its continuation line. Most blocks have a
    # single line: no need to try the patterns on it.
    if len(block.lines) < 2:
        return False
    marked = [line for line in block.lines if BULLET.match(line) and not SOURCE.match(line)]
    return len(marked) >= 2 or (
        len(marked) == 1 and block.lines[0] is marked[0] and len(block.lines) > 1
    )


def list_items(block: Block) -> list[str]:
    """Items of a list block; unbulleted lines continue the item above them."""
    items: list[list[str]] = []
    for line in block.lines:
        if SOURCE.match(line):
            continue
        if BULLET.match(line) or not items:
            items.append([re.sub(r"^\s*[-–•·*]\s*", "", line)])
        else:
            items[-1].append(line)
    return [" ".join(parts) for parts in items]
