"""Find Chinese place names in simplified text and locate an article in a province and city.

The place names come from :mod:`~swreader.core.pages.gazetteer`: provinces, cities, new areas
and the ~2,760 county-level divisions, each county resolving to its prefecture.

Matching
--------
:func:`find_mentions` scans left to right and, at each position, takes the longest name that
passes its guards, so ``马鞍山`` wins over ``鞍山``, ``兰州新区`` over ``兰州`` and ``山东东营``
reads as 山东 + 东营. Full names (``江苏省``, ``许昌市``, ``徐闻县``, ``延边朝鲜族自治州``, and
``延边州`` for autonomous prefectures) always match, except a full name in ``市`` followed by
``场`` (``吉林市场`` is the province's market) or in ``区`` followed by ``域``/``块`` (``安定区域``).
Short names and aliases are guarded:

* a short name directly followed by ``路``, ``大道`` or ``大街`` is a street (``延安路``);
* ``QUALIFIED_ONLY`` short names (this list and the next are in :mod:`.gazetteer`) are common
  words, or districts whose short form is ambiguous; they only match right after their own
  province (``山西大同``, ``北京朝阳``). So do
  ambiguous county names (和平, 鼓楼, 城关), which may also follow their prefecture
  (``沈阳和平``); their full form (``和平区``) matches alone;
* a two-character county short name (徐闻, 长乐, 阳春) needs its prefecture or province just
  before it or a county-level suffix after it (``长乐市``, for the district once a city): so many
  are words (长乐未央, 阳春三月, 安定, 大方, 光明). Other markers were tried and dropped: ``镇``,
  ``村``, ``社区``, ``街道`` follow names of villages and communities (光明社区, 红旗村) as often
  as counties, and ``的`` follows adjectives (安定的生活, 大方的);
* ``FALSE_FRIENDS`` lists per-name text before/after that makes a word (``中山大学``,
  ``长治久安``, ``三明治``, ``乡镇江…``, ``黄河南岸``, ``舞台中央``, ``桃园结义``…).

A short name shared by a province and a city is the province (bare ``吉林``, ``海南``, ``河北``);
the city is reachable by its full name (``吉林市``, ``海南州``, ``河北区``). Other ambiguous names
(朝阳: a 辽宁 prefecture, a 北京 district and a 长春 district) take the reading that fits the
nearest earlier mention, else the best-ranked reading (gazetteer before counties). A county name
left ambiguous between counties of several cities names only their province when they share one
(``鼓楼区`` after ``江苏``) and nothing otherwise.

Locating an article
-------------------
:func:`locate` looks at four levels in order: the kicker, the title, the opening of the body
(its first ~200 characters) and the whole body, and uses the first level with any mention. The
province is that level's first mention's province; the city is the first mention in the level
naming a city of that province, unless that mention opens a list of other cities (``南京、苏州、
无锡等地``): then no one city is the article's, and the city is ``None``. When the level only
names the province, the article is about the province as a whole (city ``None``) if any of
those mentions is a provincial organ or scope: followed by one of :data:`_ORGAN_MARKERS`
(``江苏省民政厅``, ``浙江省委党校``) or inside ``《…》``. Otherwise (``山西省首家…``) the later
levels are searched for a city of the same province.

A dateline at the start of the body (``本报北京3月5日电``, ``新华社杭州电``, ``本报讯(记者…)``)
tells where the reporter filed, not what the story is about, so it is not part of the opening or
the body. It is the last resort when nothing else names a place, except a 北京 dateline: national
outlets file national news (a ministry's notice) from Beijing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from swreader.core.pages.gazetteer import (
    COUNTY_RANK,
    FALSE_FRIENDS,
    QUALIFIED_ONLY,
    WORD_AFTER,
    WORD_OPENERS,
    Entry,
    index,
    load_gazetteer,
    scanner,
)
from swreader.core.pages.meta import split_dateline

__all__ = [
    "Mention",
    "Region",
    "find_mentions",
    "is_region_line",
    "load_gazetteer",
    "locate",
    "starts_with_region",
]

_STREET = ("路", "大道", "大街")
_COUNTY_SUFFIX = ("县", "市", "区", "旗")
_NOT_SUFFIX = ("市场", "区域", "区块")  # 安定市场, 安定区域: the suffix starts another word

# 江苏13个设区市, 全省各市: the province's cities taken together.
_ALL_CITIES = re.compile(
    r"(?:省|全省)?(?:各|\d{1,2}个|[一二三四五六七八九十]{1,3}个)(?:设区市|地市|市州|市)"
)
_ORGAN_MARKERS = (
    "民政", "政府", "人民", "省委", "委", "厅", "人大", "政协", "党校", "妇联", "残联",
    "总工会", "团委", "高院", "高级人民法院", "检察院", "公安", "卫健", "人社", "财政",
    "教育", "慈善总会", "社会工作协会", "社会工作联合会",
)  # fmt: skip
"""Text right after a province name that makes the mention a provincial organ or scope."""

_LINE_SEPARATORS = " \t\u3000·・•|/、-—"
_LIST_JOINERS = frozenset(("", "、", "，", ",", "和", "与", "及", "以及", "/"))
"""Text between two city mentions that makes them items of one list."""

_OPENING = 200
"""Characters of the body (newlines not counted) that make its opening."""


@dataclass(frozen=True)
class Region:
    """Where an article is set.

    Attributes:
        province: Short province-level name (``河南``, ``重庆``), or ``None``.
        city: Short prefecture, municipal district or new-area name, or ``None``.
    """

    province: str | None
    city: str | None


@dataclass(frozen=True)
class Mention:
    """One place name found in a text.

    Attributes:
        start: Offset of the first character.
        end: Offset after the last character.
        province: Short province name; a city mention implies its province.
        city: Short city name, or ``None`` when only the province is named.
        surface: The text as matched (``江苏省``, ``南京``, ``延边朝鲜族自治州``).
        county: Short county name when a county-level division is named (``徐闻``), else
            ``None``; ``city`` is then its prefecture.
    """

    start: int
    end: int
    province: str
    city: str | None
    surface: str
    county: str | None = None


def _follows_own(entry: Entry, prev: Mention | None, start: int) -> bool:
    """Whether ``prev`` ends at ``start`` and names ``entry``'s province (or its city)."""
    if prev is None or prev.end != start or prev.province != entry.province:
        return False
    # A gazetteer name follows its province only; a county may also follow its prefecture.
    return prev.city is None or (entry.county is not None and prev.city == entry.city)


def _allowed(text: str, start: int, end: int, entry: Entry, prev: Mention | None) -> bool:
    """Whether ``text[start:end]`` may be read as ``entry`` here."""
    surface = text[start:end]
    if entry.guard == "full":
        return not (
            (surface.endswith("市") and text.startswith("场", end))
            or (surface.endswith("区") and text.startswith(("域", "块"), end))
        )
    if text.startswith(_STREET, end):
        return False
    if entry.guard == "word":
        # A two-character full name (眉县, 冠县) is often a char of the word before plus
        # 县 (社区和县里): it counts after its own place, or where a word starts.
        before = text[start - 1] if start else ""
        starts = not "\u3400" <= before <= "\u9fff" or before in WORD_OPENERS
        return (starts and not text.startswith(WORD_AFTER, end)) or _follows_own(entry, prev, start)
    if entry.guard == "qualified" or (entry.county is None and surface in QUALIFIED_ONLY):
        if not _follows_own(entry, prev, start):
            return False
    elif entry.guard == "marked" and not (
        _follows_own(entry, prev, start)
        or (text.startswith(_COUNTY_SUFFIX, end) and not text.startswith(_NOT_SUFFIX, end))
    ):
        return False
    before, after = FALSE_FRIENDS.get(surface, ((), ()))
    return not (text.endswith(before, 0, start) or text.startswith(after, end))


def _in_context(fits: list[Entry], found: list[Mention]) -> list[Entry]:
    """The readings that fit the nearest earlier mention naming their city or province."""
    for m in reversed(found):
        if m.city and (same := [e for e in fits if (e.province, e.city) == (m.province, m.city)]):
            return same
        if same := [e for e in fits if e.province == m.province]:
            return same
    return fits


def _pick(text: str, start: int, end: int, found: list[Mention]) -> Mention | None:
    """The mention ``text[start:end]`` stands for, or ``None`` when no reading is allowed."""
    prev = found[-1] if found else None
    surface = text[start:end]
    fits = [e for e in index()[surface] if _allowed(text, start, end, e, prev)]
    if not fits:
        return None
    if len(fits) > 1:
        fits = _in_context(fits, found)
        best = min(e.rank for e in fits)
        fits = [e for e in fits if e.rank == best]
        if best >= COUNTY_RANK and len(fits) > 1:
            # Counties of several cities: only a shared province is known.
            if len({e.province for e in fits}) > 1:
                return None
            return Mention(start, end, fits[0].province, None, surface)
    e = fits[0]
    return Mention(start, end, e.province, e.city, surface, e.county)


def find_mentions(text: str) -> list[Mention]:
    """All place names in ``text``: longest match first, non-overlapping, left to right.

    Args:
        text: Simplified Chinese text.

    Returns:
        The mentions in text order. A city or county mention carries its province.
    """
    surfaces = index()
    scan = scanner()
    found: list[Mention] = []
    i, n = 0, len(text)
    # A sentinel past any i (at most n + 1, after a failed try at the end), so the list never
    # runs out.
    counties = [*scan.county_starts(text), n + 1]
    c = 0
    after_hit = False
    # Few positions start with the first two characters of a name that may stand alone: the
    # regex skips to those in C, then only the lengths that exist for the prefix are tried,
    # longest first. County names are tried where a county suffix follows them, and right
    # after each mention (湛江徐闻, 沈阳和平).
    while True:
        if not after_hit:
            ahead = scan.first.search(text, i)
            while counties[c] < i:
                c += 1
            i = counties[c] if ahead is None or counties[c] < ahead.start() else ahead.start()
            if i >= n:
                break
        after_hit = False
        hit = None
        for size in scan.lengths.get(text[i : i + 2], ()):
            j = i + size
            if j <= n and text[i:j] in surfaces and (hit := _pick(text, i, j, found)):
                break
        if hit is None:
            i += 1
        else:
            found.append(hit)
            i, after_hit = hit.end, True
    return found


def is_region_line(line: str) -> bool:
    """Whether the whole line is a place name or a province + city, as in a kicker.

    Separators (spaces, ``·``, ``、``, ``/``…) may sit between names; at most three names, all
    in one province.

    Args:
        line: One line of simplified text.

    Returns:
        True for ``江苏南京``, ``云南省``, ``浙江``, ``重庆沙坪坝``; False for any line with
        other words, such as ``江苏省民政厅开展…``.
    """
    text = line.strip()
    if not text or len(text) > 24:
        return False
    mentions = find_mentions(text)
    if not mentions or len(mentions) > 3:
        return False
    if any(m.province != mentions[0].province for m in mentions):
        return False
    pos = 0
    for m in [*mentions, Mention(len(text), len(text), "", None, "")]:
        if text[pos : m.start].strip(_LINE_SEPARATORS):
            return False
        pos = m.end
    return True


def starts_with_region(text: str) -> bool:
    """Whether ``text`` (leading blanks and quotes ignored) begins with a place name.

    Args:
        text: Simplified text, e.g. a candidate title.

    Returns:
        True for ``山西省首家…``, ``安徽安庆: 多举措…``, ``许昌市社会工作…``.
    """
    head = text.lstrip(' \t\u3000“"「【[(（')[:32]
    mentions = find_mentions(head)
    return bool(mentions) and mentions[0].start == 0


def _is_scope(text: str, m: Mention) -> bool:
    """Whether the province mention ``m`` names a provincial organ or a provincial document."""
    if text.startswith(_ORGAN_MARKERS, m.end) or _ALL_CITIES.match(text, m.end):
        return True
    return text.rfind("《", 0, m.start) > text.rfind("》", 0, m.start)


def _main_city(text: str, mentions: list[Mention], province: str) -> tuple[str | None, bool]:
    """The first city of ``province`` in ``mentions``, and whether it opens a list of cities.

    Returns:
        ``(city, False)``; ``(None, True)`` when the first city is followed, with only a
        joiner between, by a mention of another city: the text names them equally.
        ``(None, False)`` when no city of the province is named.
    """
    for i, m in enumerate(mentions):
        if m.province != province or not m.city:
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            nxt is not None
            and nxt.city
            and nxt.city != m.city
            and text[m.end : nxt.start].strip() in _LIST_JOINERS
        ):
            return None, True
        return m.city, False
    return None, False


def _opening(body: str) -> str:
    """The start of ``body`` holding its first :data:`_OPENING` characters besides newlines."""
    end, need = 0, _OPENING
    while need > 0:
        newline = body.find("\n", end, end + need)
        if newline < 0:
            return body[: end + need]
        need -= newline - end
        end = newline + 1
    return body[:end]


def locate(
    kicker: str | None, title: str, body: str, simplify: Callable[[str], str] | None = None
) -> Region:
    """Locate an article: kicker, then title, the opening of the body, then the whole body.

    The first level with any mention decides the province (its first mention's). The city is
    the first mention of a city of that province in the same level, unless that mention opens
    a list of cities (city ``None``). A level naming only the province gives no city when the
    province is named as an organ or scope (``江苏省民政厅``, ``《吉林省…规划》``); otherwise the
    later levels are searched for a city of that province (``山西省首家…`` + ``…晋城市…`` → 山西 /
    晋城). A leading dateline counts only when nothing else names a place, and never for 北京.

    Args:
        kicker: The region line above the title, if any (simplified).
        title: The headline (simplified).
        body: The body text (paragraphs joined with ``"\\n"``). Its first ~200 characters,
            a leading dateline left out, are the opening.
        simplify: How to simplify ``body``; ``None`` when it is simplified already. Only
            the part that is read is converted (most articles never need past the opening).

    Returns:
        The region; both fields ``None`` when nothing is named.
    """
    body = body or ""
    convert = simplify or (lambda text: text)
    # The dateline and the opening lie in the first few hundred characters.
    head = convert(body[: 2 * _OPENING + 64])
    filed, rest = split_dateline(head)
    skipped = len(head) - len(rest)
    levels = [kicker or "", title or "", _opening(rest), ""]
    # The body is scanned only when the levels above it name no place (or no city of the
    # province they name): most articles are decided by their title.
    found: list[list[Mention] | None] = [None] * len(levels)

    def mentions(k: int) -> list[Mention]:
        if k == 3 and found[k] is None:
            levels[3] = convert(body)[skipped:] if len(body) > len(head) else rest
        if (cached := found[k]) is None:
            cached = found[k] = find_mentions(levels[k]) if levels[k] else []
        return cached

    for k in range(len(levels)):
        if not mentions(k):
            continue
        province = mentions(k)[0].province
        city, listed = _main_city(levels[k], mentions(k), province)
        if city or listed:
            return Region(province, city)
        if any(_is_scope(levels[k], m) for m in mentions(k) if m.province == province):
            return Region(province, None)
        for later in range(k + 1, len(levels)):
            city, listed = _main_city(levels[later], mentions(later), province)
            if city or listed:
                return Region(province, city)
        return Region(province, None)
    dateline = [m for m in find_mentions(filed) if m.province != "北京"]
    if dateline:
        return Region(dateline[0].province, dateline[0].city)
    return Region(None, None)
