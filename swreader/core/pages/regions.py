"""Find Chinese place names in simplified text and locate an article in a province and city.

The gazetteer
-------------
``swreader/data/gazetteer.json`` is compiled from the public list of administrative divisions
of the PRC (as of 2023). Its schema::

    {
      "_source": "<where the data comes from>",
      "version": "2023.1",
      "provinces": [                       # all 34 province-level divisions
        {"name": "河南", "full": "河南省", "code": "41",
         "kind": "province" | "autonomous_region" | "municipality" | "sar",
         "aliases": ["..."],               # optional extra short forms (内蒙古: 内蒙)
         "cities": [                       # prefecture level; districts for municipalities
           {"name": "许昌", "full": "许昌市",
            "kind": "prefecture_city" | "autonomous_prefecture" | "league" | "prefecture"
                    | "district" | "county" | "autonomous_county" | "county_direct",
            "aliases": ["..."]}            # optional (浦东新区: 浦东)
         ]}
      ],
      "new_areas": [                       # the 19 national-level new areas
        {"name": "雄安新区", "province": "河北", "city": "雄安新区", "aliases": ["雄安"]}
      ]
    }

``name`` is the short form returned to callers (``河南``, ``许昌``, ``沙坪坝``). ``county_direct``
marks county-level units administered directly by a province (济源, 仙桃, 石河子…). 台湾, 香港 and
澳门 carry no cities. A new area's ``city`` is the host city (江北新区 → 南京), or the area
itself when it is a district or city of its own (浦东新区, 滨海新区, 两江新区, 雄安新区).

Matching
--------
:func:`find_mentions` scans left to right and, at each position, takes the longest name that
passes its guards, so ``马鞍山`` wins over ``鞍山``, ``兰州新区`` over ``兰州`` and ``山东东营``
reads as 山东 + 东营. Full names (``江苏省``, ``许昌市``, ``延边朝鲜族自治州``, and ``延边州`` for
autonomous prefectures) always match, except a full name in ``市`` followed by ``场`` (``吉林市场``
is the province's market, not 吉林市). Short names and aliases are guarded:

* a short name directly followed by ``路``, ``大道`` or ``大街`` is a street (``延安路``);
* :data:`_QUALIFIED_ONLY` short names are common words, or districts whose short form is
  ambiguous; they only match right after their own province (``山西大同``, ``北京朝阳``);
* :data:`_FALSE_FRIENDS` lists per-name characters before/after that make a word
  (``中山大学``, ``长治久安``, ``三明治``, ``大理石``, ``乡镇江…``, ``黄河南岸``…).

A short name shared by a province and a city is the province (bare ``吉林``, ``海南``, ``河北``);
the city is reachable by its full name (``吉林市``, ``海南州``, ``河北区``). Other ambiguous short
names (朝阳: a 辽宁 prefecture and a 北京 district) resolve to the province of an earlier
mention in the same text if one fits, else to the prefecture-level entry.

Locating an article
-------------------
:func:`locate` looks at three levels in order: the kicker, the title, then the opening of the
body, and uses the first level with any mention. The province is that level's first mention's
province; the city is the first mention in the level naming a city of that province. When the
level only names the province, the article is about the province as a whole (city ``None``)
if any of those mentions is a provincial organ or scope: followed by one of
:data:`_ORGAN_MARKERS` (``江苏省民政厅``, ``浙江省委党校``) or inside ``《…》``. Otherwise
(``山西省首家…``) the later levels are searched for a city of the same province.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

_RANK = {
    "province": 0,
    "autonomous_region": 0,
    "municipality": 0,
    "sar": 0,
    "prefecture_city": 1,
    "autonomous_prefecture": 1,
    "league": 1,
    "prefecture": 1,
    "new_area": 2,
    "district": 3,
    "county": 3,
    "autonomous_county": 3,
    "county_direct": 4,
}
"""Preference among candidates for one surface: lower wins."""

_QUALIFIED_ONLY = frozenset((
    # prefecture-level or direct county-level names that are also common words
    "大同", "安康", "朝阳", "阿里", "海东", "海西", "海北", "兴安", "来宾",
    "山南", "东方", "白沙", "昌江", "双河", "新星", "白杨", "昆玉",
    # municipal districts whose short form is a common word or another place's name
    "东城", "西城", "大兴", "通州", "怀柔", "和平", "河东", "河西", "南开",
    "红桥", "北辰", "宁河", "长宁", "普陀", "宝山", "金山", "静安", "长寿",
    "南岸", "江北", "石柱", "秀山",
))  # fmt: skip
"""Short names that only match right after a mention of their own province."""

_FALSE_FRIENDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "中山": (("孙",), ("大学", "路", "公园", "装", "陵", "医", "纪念", "街", "北路", "南路")),
    "长治": ((), ("久安",)),
    "白山": ((), ("黑水",)),
    "四平": ((), ("八稳",)),
    "三明": ((), ("治",)),
    "大理": ((), ("石",)),
    "普洱": ((), ("茶",)),
    "哈密": ((), ("瓜",)),
    "和田": ((), ("玉",)),
    "玉树": ((), ("临风",)),
    "天门": ((), ("山", "阵")),
    "北海": ((), ("道", "公园")),
    "日照": ((), ("时", "充足", "条件", "强度")),
    "开封": ((), ("后", "前", "即", "的")),
    "白银": ((), ("价", "饰", "期货", "时代")),
    "大庆": (("年", "周年"), ("典",)),
    "德州": (("美国",), ("扑克",)),
    "海口": (("下", "夸"), ()),
    "镇江": (("乡", "城", "村", "集"), ()),
    "新乡": ((), ("村", "贤", "土", "愁")),
    "东营": ((), ("销", "业", "造", "商", "养", "收")),
    "通化": (("交", "普", "畅", "融", "贯", "互"), ()),
    "河源": (("黄", "长", "江", "水"), ()),
    "江西": (("长",), ("岸",)),
    "河南": (("黄", "淮", "运"), ("岸",)),
    "河北": (("黄", "淮", "运"), ("岸",)),
    "湖南": (("庭", "太", "巢", "洪", "西"), ("岸",)),
    "湖北": (("庭", "太", "巢", "洪", "西"), ("岸",)),
}
"""Short name → (text just before, text just after) that make it part of another word."""

_STREET = ("路", "大道", "大街")

_ORGAN_MARKERS = (
    "民政", "政府", "人民", "省委", "委", "厅", "人大", "政协", "党校", "妇联", "残联",
    "总工会", "团委", "高院", "高级人民法院", "检察院", "公安", "卫健", "人社", "财政",
    "教育", "慈善总会", "社会工作协会", "社会工作联合会",
)  # fmt: skip
"""Text right after a province name that makes the mention a provincial organ or scope."""

_LINE_SEPARATORS = " \t\u3000·・•|/、-—"


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
    """

    start: int
    end: int
    province: str
    city: str | None
    surface: str


@dataclass(frozen=True)
class _Entry:
    province: str
    city: str | None
    rank: int
    guarded: bool  # a short name or alias: guards apply


@functools.cache
def load_gazetteer() -> dict[str, Any]:
    """The parsed gazetteer, loaded once. Callers must not mutate it.

    Returns:
        The JSON document described in the module docstring.
    """
    resource = files("swreader") / "data" / "gazetteer.json"
    return json.loads(resource.read_text(encoding="utf-8"))


@functools.cache
def _index() -> tuple[dict[str, tuple[_Entry, ...]], int]:
    """Every surface form mapped to its candidate entries, and the longest surface length."""
    data = load_gazetteer()
    index: dict[str, list[_Entry]] = {}

    def add(surface: str, entry: _Entry) -> None:
        bucket = index.setdefault(surface, [])
        if all((e.province, e.city) != (entry.province, entry.city) for e in bucket):
            bucket.append(entry)

    provinces = data["provinces"]
    province_names = {p["name"] for p in provinces} | {
        a for p in provinces for a in p.get("aliases", ())
    }
    for p in provinces:
        add(p["full"], _Entry(p["name"], None, 0, guarded=False))
        for short in (p["name"], *p.get("aliases", ())):
            add(short, _Entry(p["name"], None, 0, guarded=True))
    for p in provinces:
        for c in p["cities"]:
            rank = _RANK[c["kind"]]
            add(c["full"], _Entry(p["name"], c["name"], rank, guarded=False))
            if c["kind"] == "autonomous_prefecture":
                add(c["name"] + "州", _Entry(p["name"], c["name"], rank, guarded=False))
            for short in (c["name"], *c.get("aliases", ())):
                if short not in province_names:
                    add(short, _Entry(p["name"], c["name"], rank, guarded=True))
    for area in data["new_areas"]:
        add(area["name"], _Entry(area["province"], area["city"], _RANK["new_area"], False))
        for short in area.get("aliases", ()):
            add(short, _Entry(area["province"], area["city"], _RANK["new_area"], True))
    frozen = {k: tuple(v) for k, v in index.items()}
    return frozen, max(map(len, frozen))


def _allowed(text: str, start: int, end: int, entry: _Entry, prev: Mention | None) -> bool:
    """Whether ``text[start:end]`` may be read as ``entry`` here."""
    surface = text[start:end]
    if not entry.guarded:
        return not (surface.endswith("市") and text.startswith("场", end))
    if text.startswith(_STREET, end):
        return False
    if surface in _QUALIFIED_ONLY and (
        prev is None or prev.end != start or prev.province != entry.province or prev.city
    ):
        return False
    before, after = _FALSE_FRIENDS.get(surface, ((), ()))
    return not (text.endswith(before, 0, start) or text.startswith(after, end))


def _pick(text: str, start: int, end: int, prev: Mention | None) -> Mention | None:
    """The mention ``text[start:end]`` stands for, or ``None`` when every reading is guarded."""
    entries, _ = _index()
    fits = [e for e in entries.get(text[start:end], ()) if _allowed(text, start, end, e, prev)]
    if not fits:
        return None
    if prev is not None and (same := [e for e in fits if e.province == prev.province]):
        fits = same
    best = min(fits, key=lambda e: e.rank)
    return Mention(start, end, best.province, best.city, text[start:end])


@functools.cache
def _scanner() -> tuple[re.Pattern[str], dict[str, tuple[int, ...]]]:
    """What :func:`find_mentions` needs to skip text quickly.

    Returns:
        A pattern matching any character a surface starts with, and for each two-character
        surface prefix the lengths of the surfaces starting with it, longest first.
    """
    # One-character surfaces never match (find_mentions only tries two or more).
    surfaces = [s for s in _index()[0] if len(s) >= 2]
    lengths: dict[str, set[int]] = {}
    for surface in surfaces:
        lengths.setdefault(surface[:2], set()).add(len(surface))
    first = re.compile("[" + re.escape("".join(sorted({s[0] for s in surfaces}))) + "]")
    return first, {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}


def find_mentions(text: str) -> list[Mention]:
    """All place names in ``text``: longest match first, non-overlapping, left to right.

    Args:
        text: Simplified Chinese text.

    Returns:
        The mentions in text order. A city mention carries its province.
    """
    index, _ = _index()
    first, lengths = _scanner()
    found: list[Mention] = []
    i, n = 0, len(text)
    # Only about one position in ten starts with a surface's first character and fewer
    # than one in fifty with a surface's first two: the regex skips to those in C, and
    # only the surface lengths that exist for the prefix are tried, longest first.
    while (start := first.search(text, i)) is not None:
        i = start.start()
        hit = None
        for size in lengths.get(text[i : i + 2], ()):
            j = i + size
            if (
                j <= n
                and text[i:j] in index
                and (hit := _pick(text, i, j, found[-1] if found else None))
            ):
                break
        if hit is None:
            i += 1
        else:
            found.append(hit)
            i = hit.end
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
    if text.startswith(_ORGAN_MARKERS, m.end):
        return True
    return text.rfind("《", 0, m.start) > text.rfind("》", 0, m.start)


def _first_city(mentions: list[Mention], province: str) -> str | None:
    return next((m.city for m in mentions if m.province == province and m.city), None)


def locate(kicker: str | None, title: str, opening: str) -> Region:
    """Locate an article: kicker, then title, then the opening of the body.

    The first level with any mention decides the province (its first mention's). The city is
    the first mention of a city of that province in the same level. A level naming only the
    province gives no city when the province is named as an organ or scope (``江苏省民政厅``,
    ``《吉林省…规划》``); otherwise the later levels are searched for a city of that province
    (``山西省首家…`` + ``…晋城市…`` → 山西 / 晋城).

    Args:
        kicker: The region line above the title, if any (simplified).
        title: The headline (simplified).
        opening: The first ~200 characters of the body (simplified).

    Returns:
        The region; both fields ``None`` when nothing is named.
    """
    levels = [kicker or "", title or "", opening or ""]
    found = [find_mentions(text) for text in levels]
    for k, mentions in enumerate(found):
        if not mentions:
            continue
        province = mentions[0].province
        city = _first_city(mentions, province)
        if city:
            return Region(province, city)
        if any(_is_scope(levels[k], m) for m in mentions if m.province == province):
            return Region(province, None)
        for later in found[k + 1 :]:
            if city := _first_city(later, province):
                return Region(province, city)
        return Region(province, None)
    return Region(None, None)
