"""Line-level cleaning: web chrome, pinyin annotations, page dates and mojibake.

Everything here works on plain strings and knows nothing about articles; ``parse`` uses it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# --- pinyin annotations --------------------------------------------------------------------
# Some web converters append the reading after every character they converted: 頁(yè).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTERS = f"a-zü{_TONED}ê"
_PINYIN_LETTERS_SET = frozenset("abcdefghijklmnopqrstuvwxyzü" + _TONED + "ê")
# The pattern opens on the literal "(" so the engine jumps between parentheses in C; a
# leading lookbehind would be tried at every character of the page (25x slower).
_ANNOTATION = re.compile(rf"\((?<=[\u3400-\u9fff]\()([{_PINYIN_LETTERS}]{{1,7}})\)")
_PLAIN = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê", "aaaaeeeeiiiioooouuuuvvvvve")
# The shape of one Mandarin syllable (initial + final), checked after removing tone marks.
_SYLLABLE = re.compile(
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:a|o|e|ai|ei|ao|ou|an|en|ang|eng|ong|er|i|ia|ie|iao|iu|ian|in|iang|ing|iong|"
    r"u|ua|uo|uai|ui|uan|un|uang|ueng|v|ve|van|vn|ue|io)(?:r)?$"
)


def _is_syllable(word: str) -> bool:
    return bool(_SYLLABLE.match(word.translate(_PLAIN)))


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations a web converter put after characters.

    ``頁(yè)`` becomes ``頁``; real parentheses such as ``(街道)``, ``(据…)`` or
    ``(市、区)`` are never touched. A toneless group like ``(a)`` is only taken for pinyin
    when the text already carries at least three tone-marked annotations, so a page that
    was never annotated keeps its ``(a)``.

    Args:
        text: Page text.

    Returns:
        The text without the annotations.
    """
    toned = sum(1 for m in _ANNOTATION.finditer(text) if any(c in _TONED for c in m.group(1)))
    lenient = toned >= 3

    def repl(match: re.Match[str]) -> str:
        word = match.group(1)
        if not _is_syllable(word):
            return match.group(0)
        if any(c in _TONED for c in word) or lenient:
            return ""
        return match.group(0)

    return _ANNOTATION.sub(repl, text)


# --- mojibake ------------------------------------------------------------------------------
def _is_anchor(text: str, i: int) -> bool:
    """A character that cannot belong to clean Chinese text at this position."""
    ch = text[i]
    code = ord(ch)
    if ch == "\ufffd" or 0xE000 <= code <= 0xF8FF or 0x3200 <= code <= 0x32FF:
        return True
    if ch == "?":
        # Pages do use a half-width ? as a question mark (模式?赵祺表示). A lost character
        # shows as ? stuck to other debris: !;< , pinyin letters, private-use characters.
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        return _is_cjk(before) and (_is_debris(after) or _is_debris(before))
    return unicodedata.category(ch) in {"Cs", "Co", "Cn"}


def _is_debris(ch: str) -> bool:
    return bool(ch) and (ch in "!;<?" or ch in _PINYIN_LETTERS_SET or 0xE000 <= ord(ch) <= 0xF8FF)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and (ord(ch) >= 0x2E80 or ch in "“”")


# Characters that may be anchors: "?", U+FFFD, private use, enclosed CJK, surrogates, and
# code points unassigned in this Python's Unicode database (category Cn).
_CANDIDATE = re.compile(
    "[?\ufffd\ue000-\uf8ff\u3200-\u32ff\ud800-\udfff\U000f0000-\U0010ffff"
    + "".join(
        re.escape(chr(c))
        for c in range(0x2E80, 0x10000)
        if unicodedata.category(chr(c)) == "Cn" and not 0xD800 <= c <= 0xDFFF
    )
    + "]"
)
_REMNANT = re.compile(rf"[{_PINYIN_LETTERS}]{{1,7}}\)")
_JOIN_GAP = 3


def find_damaged(text: str) -> list[tuple[int, int]]:
    """Find runs of mojibake: private-use code points, U+FFFD, or ``?`` inside Han text.

    Anchors closer than a few characters are merged into one run, and a run takes in the
    ASCII punctuation and broken pinyin remnant (``?fù)``) stuck to it, so that the reader
    marks the whole damaged stretch. The text itself is never changed.

    Args:
        text: A paragraph.

    Returns:
        Sorted, non-overlapping ``(start, end)`` offsets.
    """
    # Only a few characters can be anchors; find those with one regex pass (C speed)
    # instead of testing every character in Python.
    anchors = [m.start() for m in _CANDIDATE.finditer(text) if _is_anchor(text, m.start())]
    runs: list[list[int]] = []
    for i in anchors:
        if runs and i - runs[-1][1] <= _JOIN_GAP:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    spans: list[tuple[int, int]] = []
    for start, end in runs:
        while end < len(text) and text[end] in "!?;<":
            end += 1
        remnant = _REMNANT.match(text, end)
        if remnant:
            end = remnant.end()
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


# --- web chrome ----------------------------------------------------------------------------
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*星期[一二三四五六日天]")
_EDITION = re.compile(r"^第\s*\d+\s*版(?:\s*[:：].*)?$")
# Every alternative opens with a plain character (标|標, not [标標]): the engine then
# collects those first characters and skips all other positions in C (4x faster).
_NAV_WORDS = re.compile(
    r"首[页頁]|版面[导導][航]|标[题題][导導][航]|標[题題][导導][航]|版面目[录錄]|新[闻聞]内容|"
    r"新[闻聞]內容|上一期|下一期|上一版|下一版|返回目[录錄]|打印本[页頁]|"
    r"关闭窗口|關闭窗口|关閉窗口|關閉窗口"
)
_SECTION_NAME_MAX = 8


@dataclass(slots=True)
class Chrome:
    """What the page chrome said and which lines it occupied.

    Attributes:
        lines: Indexes of the lines that are chrome.
        date: ISO date shown by the page (``2023-10-24``), or ``None``.
        titles: Headlines listed in the navigation, whether or not their bodies are here.
        content_start: Index of the first line after the last chrome line of the header.
    """

    lines: set[int]
    date: str | None
    titles: list[str]
    content_start: int


def page_date(text: str) -> str | None:
    """Return the ISO date of a ``2023年10月24日 星期二`` line, or ``None``."""
    # Called on every line of a page; few have a weekday, and ``in`` is far cheaper than
    # a regex search that stops at every digit.
    if "星期" not in text:
        return None
    match = _DATE.search(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _is_chrome_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if _EDITION.match(stripped):
        return True
    if _NAV_WORDS.search(stripped):
        rest = _NAV_WORDS.sub("", _DATE.sub("", stripped))
        return len(rest.strip(" |:：-—·")) <= 4
    return False


_PROSE_MIN = 60


def _is_prose(line: str) -> bool:
    text = line.strip()
    return len(text) >= _PROSE_MIN and any(c in text for c in "。！？")


def find_chrome(lines: list[str]) -> Chrome:
    """Locate navigation chrome: menus, edition lists, ``上一期下一期``, the title list.

    The header of a web page runs from the top to its last chrome line (``新闻内容`` or the
    date line). Short lines in it that are not chrome themselves are the list of headlines
    on this edition; an article is only cut out where its body is on the page.

    Args:
        lines: The page's lines.

    Returns:
        The chrome found; ``lines`` is empty for a plain print page.
    """
    chrome = {i for i, line in enumerate(lines) if _is_chrome_line(line)}
    date = None
    for i, line in enumerate(lines):
        found = page_date(line)
        if found and len(_DATE.sub("", _NAV_WORDS.sub("", line)).strip()) <= 4:
            date = date or found
            chrome.add(i)
    if len(chrome) < 2:
        return Chrome(set(), date, [], 0)
    # The header ends before the first paragraph of prose: chrome under the story
    # (返回目录, 上一版) closes the page, it does not make the story a list of headlines.
    prose = next((i for i, line in enumerate(lines) if _is_prose(line)), len(lines))
    last = max((i for i in chrome if i < prose), default=-1)
    if last < 0:
        return Chrome(chrome, date, [], 0)
    # Edition numbers alone on a line ("第06版") are followed by the section's name.
    for i in sorted(chrome):
        if _EDITION.match(lines[i].strip()) and i + 1 < len(lines):
            nxt = lines[i + 1].strip()
            if nxt and len(nxt) <= _SECTION_NAME_MAX and i + 1 <= last:
                chrome.add(i + 1)
    titles = []
    for i in range(last):
        line = lines[i].strip()
        if line and i not in chrome:
            chrome.add(i)
            titles.append(line)
    return Chrome(chrome, date, titles, last + 1)
