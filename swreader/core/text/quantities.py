"""The value of a key figure: ``近700万元`` is about 7,000,000 yuan.

:func:`value_of` reads the text of a figure that :func:`~swreader.core.text.figures.find_figures`
found (or any figure written the same way) and returns a :class:`Quantity`: a number with the
magnitudes applied, whether it is approximate, which way it is bounded, and its unit. Traditional
and simplified script read the same (萬 億 餘 點 約 過 個 … are folded first, with the very fold
the figure patterns use).

Numbers:

* Arabic: ``2438``, ``1.3``, ``1,350``, with a magnitude ``万 亿 千 百`` (``1.3万`` → 13,000,
  ``2.6亿`` → 260,000,000);
* Chinese, positional: ``二十一`` → 21, ``一万二千三百零六`` → 12,306, ``二千八百万`` →
  28,000,000, ``八十六点五二`` → 86.52, ``一点三万`` → 13,000, the spoken short form
  ``一万二`` → 12,000; a bare magnitude ``百`` ``万`` is one of it (``近百人`` → 100);
* Chinese, digit by digit: ``一三六`` → 136, ``二〇二三`` → 2023, ``一○八`` → 108;
* ``几`` (several) gives an honest lower bound, marked ``"at least"``: ``十几`` → 10,
  ``几十`` → 10, ``几百`` → 100;
* ranges, :attr:`Quantity.low` to :attr:`Quantity.high`, with :attr:`Quantity.value` the low
  end: ``0-6岁``, ``2021—2025年``, ``三至五年``; two neighbouring digits are a vague range
  (``两三个`` → 2 to 3, ``七八人`` → 7 to 8, approximate), not 23 or 78.

Approximation words and the bound each gives (every one makes the figure approximate):

==========================================================  ============
``余 多 以上 超过 超 逾 上(万)``, ``几`` (and ``不少于 至少``)  ``"at least"``
``以下 以内 内 不到 不足`` (and ``不超过 最多``)                  ``"at most"``
``近 将近 约 大约 左右 上下``                                  ``"about"``
==========================================================  ============

``近`` literally means "approaching", a little under. Writers use it loosely (``近万人次`` is
often a round-up), so it reads as ``"about"``, not ``"at most"``. When a figure has both kinds
of word (``约3900余人次``) the bound wins over ``"about"``: at least 3,900, approximate.

Units (:attr:`Quantity.unit`, in simplified script): the unit as written with the magnitude
taken out (``万元`` → ``元``, ``万人次`` → ``人次``, ``個`` → ``个``); ``""`` for a bare
number. Percentages are the percentage number with unit ``%``: ``70%``, ``70％``, ``百分之八十點一``
→ 80.1, ``七成`` → 70, ``千分之五`` → 0.5, ``万分之三`` → 0.03. ``3个百分点`` is a difference of
shares, not a share, so it keeps its own unit, ``百分点``, with value 3: summing or charting it
with ``%`` values would mislead.

Dates: the value is the year (``2023年7月`` → 2023, ``二〇二三年`` → 2023; a Republic-of-China
year is converted, ``113年度`` → 2024), unit ``年``; a range of years sets low and high. A date
without a year (``8月3日``) has no value: :func:`value_of` returns ``None``. Durations, ages,
areas and measures keep the unit they are written in (``3个月`` → 3 ``个月``, not 0.25 year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The figure patterns' own per-character fold: whatever they accept (萬, 餘, 個, ０…) folds
# the same way here, so the two modules never disagree about a character.
from swreader.core.text.figures import _fold

__all__ = ["ABOUT", "AT_LEAST", "AT_MOST", "Quantity", "value_of"]

AT_LEAST = "at least"
AT_MOST = "at most"
ABOUT = "about"


@dataclass(frozen=True, slots=True)
class Quantity:
    """The normalised value of a figure.

    Attributes:
        value: The number with magnitudes applied (``1.3万`` → 13000); a percentage as the
            percentage number (``80.1`` for 80.1 %); a date's year; a range's low end.
        approximate: Whether the text hedges the number (近, 约, 余, 以上, 几, 两三 …).
        bound: ``"at least"``, ``"at most"``, ``"about"`` or ``None`` (see the module docstring).
        unit: The unit in simplified script without the magnitude: ``元``, ``人``, ``个``,
            ``%``, ``百分点``, ``年`` …; ``""`` for a bare number.
        low: A range's low end (``0-6岁`` → 0), else ``None``.
        high: A range's high end (``0-6岁`` → 6), else ``None``.
    """

    value: float
    approximate: bool
    bound: str | None
    unit: str
    low: float | None = None
    high: float | None = None


_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS |= {"七": 7, "八": 8, "九": 9, "几": 0}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_LARGE)

_RANGE = "-–—~至到"
_AR = r"[0-9][0-9,]*(?:\.[0-9]+)?"
_CN = rf"[{_CN_CHARS}](?:[{_CN_CHARS}]|点(?=[{_CN_CHARS}]))*"
_NUMBER = re.compile(
    rf"(?P<pre>.*?)(?P<num>(?P<ar>{_AR})(?:[{_RANGE}](?P<ar2>{_AR}))?"
    rf"|(?P<cn>{_CN})(?:[{_RANGE}](?P<cn2>{_CN}))?)"
    r"(?P<apx1>[余多])?(?P<mag>(?:百(?!分)|[十千万亿]){0,3})(?P<apx2>[余多])?(?P<rest>.*)",
    re.DOTALL,
)
_PERCENT = re.compile(rf"(?P<pre>.*?)(?P<base>[百千万])分之(?P<num>{_AR}|{_CN})(?P<rest>.*)")
_BASE = {"百": 1.0, "千": 0.1, "万": 0.01}

# Longest first, so 将近 is not read as 近 and 不超过 not as 超过.
_PREFIXES = (
    ("不超过", AT_MOST), ("不少于", AT_LEAST), ("将近", ABOUT), ("大约", ABOUT),
    ("超过", AT_LEAST), ("不到", AT_MOST), ("不足", AT_MOST), ("至少", AT_LEAST),
    ("最多", AT_MOST), ("近", ABOUT), ("约", ABOUT), ("超", AT_LEAST), ("逾", AT_LEAST),
    ("上", AT_LEAST),
)  # fmt: skip
_SUFFIXES = (
    ("以上", AT_LEAST), ("以下", AT_MOST), ("以内", AT_MOST), ("之内", AT_MOST),
    ("左右", ABOUT), ("上下", ABOUT), ("内", AT_MOST),
)  # fmt: skip
_UNIT_ALIASES = {"％": "%", "个百分点": "百分点", "成": "%", "周岁": "岁", "㎡": "平方米"}
_UNIT_ALIASES |= {"个小时": "小时", "个工作日": "工作日", "个星期": "星期", "平米": "平方米"}
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_ROC_YEAR = re.compile(r"^(1[01][0-9])年")
_CN_YEAR = re.compile(rf"[{_CN_CHARS}]{{4}}(?=年)")


def _cn_positional(text: str) -> tuple[float, bool]:
    """Read a positional Chinese integer (``一万二千三百零六``).

    Args:
        text: Digits and ``十百千万亿`` only.

    Returns:
        ``(value, vague)``; ``vague`` when a ``几`` stood for an unknown digit (read as the
        lowest it can honestly be: ``十几`` → 10, ``几十`` → 10).
    """
    total = wan = section = 0
    digit: int | None = None
    last_unit = 0
    vague = False
    for char in text:
        if char in _DIGITS:
            if char == "几":
                vague = True
                digit = 1  # as a multiplier, 几十 is at least 10; a trailing 几 is undone below
            else:
                digit = _DIGITS[char]
            if char in "零〇":
                last_unit = 0  # 三百零六: the 6 is units, not tens
        elif char in _SMALL:
            section += (digit if digit is not None else 1) * _SMALL[char]
            digit, last_unit = None, _SMALL[char]
        elif char == "万":
            wan = (section + (digit or 0) or 1) * _LARGE[char]
            section, digit, last_unit = 0, None, _LARGE[char]
        else:  # 亿
            total = (total + wan + section + (digit or 0) or 1) * _LARGE[char]
            wan = section = 0
            digit, last_unit = None, _LARGE[char]
    if digit is not None:
        if text[-1] == "几":
            digit = 0  # 十几, 二十几: nothing certain beyond the tens
        elif last_unit >= 100:
            digit *= last_unit // 10  # the spoken short form: 一万二 is 12,000, 三千五 3,500
    return float(total + wan + section + (digit or 0)), vague


def _cn_number(text: str) -> tuple[float, float | None, bool]:
    """Read a Chinese numeral: positional, digit by digit, decimal, or a two-digit range.

    Args:
        text: A numeral such as ``二十一``, ``一三六``, ``八十六点五二``, ``两三``.

    Returns:
        ``(value, high, vague)``: ``high`` is set for a vague range (``两三`` → 2, 3).
    """
    whole, _, fraction = text.partition("点")
    if len(whole) == 2 and all(c in _DIGITS and c not in "〇零几" for c in whole):
        a, b = (_DIGITS[c] for c in whole)
        if a < b and not fraction:
            return float(a), float(b), True  # 两三个, 三五天, 七八人: two to three
    if len(whole) >= 2 and all(c in _DIGITS and c != "几" for c in whole):
        value = float("".join(str(_DIGITS[c]) for c in whole))  # 一三六, 二〇二三
        vague = False
    else:
        value, vague = _cn_positional(whole)
    if fraction:
        digits = re.match(r"[〇零一二两三四五六七八九]*", fraction).group()  # type: ignore[union-attr]
        value += float("0." + "".join(str(_DIGITS[c]) for c in digits))
        value *= _magnitude(fraction[len(digits) :])  # 一点三万: 1.3, then 万
    return value, None, vague


def _magnitude(text: str) -> float:
    """The factor of a run of magnitudes: ``万`` → 1e4, ``千万`` → 1e7, ``百万`` → 1e6."""
    factor = 1.0
    for char in text:
        factor *= _SMALL.get(char) or _LARGE[char]
    return factor


def _read(number: str, cn: bool) -> tuple[float, float | None, bool]:
    if cn:
        return _cn_number(number)
    return float(number.replace(",", "")), None, False


def _words(pre: str, rest: str) -> tuple[str, str | None, bool]:
    """Strip the approximation words around a number.

    Args:
        pre: The text before the number.
        rest: The text after the number, its magnitude and 余/多.

    Returns:
        ``(unit, bound, hedged)``: the unit left over, the strongest bound named, and whether
        any approximation word was there.
    """
    bounds: list[str] = []
    pre = pre.strip()
    for word, bound in _PREFIXES:
        if pre.endswith(word):
            bounds.append(bound)
            break
    unit = rest.strip()
    for word, bound in _SUFFIXES:
        if unit.endswith(word) and (word != "内" or len(unit) > 1):
            bounds.append(bound)
            unit = unit[: -len(word)].strip()
            break
    # A direction (at least / at most) is more than "about": 约3900余人次 is at least 3,900.
    directed = [b for b in bounds if b != ABOUT]
    bound = directed[0] if directed else (ABOUT if bounds else None)
    return _UNIT_ALIASES.get(unit, unit), bound, bool(bounds)


def _date_value(folded: str) -> Quantity | None:
    """A date's year (and a range of years), or ``None`` when it names no year."""
    years = [int(y) for y in _YEAR.findall(folded)]
    if not years:
        roc = _ROC_YEAR.match(folded)
        cn = _CN_YEAR.search(folded.replace("O", "〇").replace("o", "〇"))
        if roc:
            years = [int(roc.group(1)) + 1911]  # 民國 113 = 2024
        elif cn:
            years = [int(_cn_number(cn.group())[0])]
    if not years:
        return None
    if len(years) > 1:  # 2021—2025年
        return Quantity(float(years[0]), False, None, "年", float(years[0]), float(years[1]))
    return Quantity(float(years[0]), False, None, "年")


def value_of(figure_text: str, kind: str) -> Quantity | None:
    """The normalised value of a figure.

    Args:
        figure_text: The figure as written, e.g. ``"60余万元"``, ``"百分之八十點一"``.
        kind: Its kind (see :data:`~swreader.core.text.figures.KINDS`): ``date`` reads a year,
            ``percent`` reads 成 as tenths; other kinds read the number and its unit.

    Returns:
        The :class:`Quantity`, or ``None`` when the text holds no number (or, for a date, no
        year).

    Example:
        >>> value_of("60余万元", "money")
        Quantity(value=600000.0, approximate=True, bound='at least', unit='元', low=None, high=None)
    """
    folded = re.sub(r"\s+", "", _fold(figure_text))
    if kind == "date":
        return _date_value(folded)
    percent = _PERCENT.match(folded)
    if percent:
        value, high, vague = _read(percent.group("num"), percent.group("num")[0] in _CN_CHARS)
        _, bound, hedged = _words(percent.group("pre"), percent.group("rest"))
        share = _BASE[percent.group("base")]
        return Quantity(value * share, hedged or vague, bound, "%")
    match = _NUMBER.match(folded)
    if match is None:
        return None
    cn = match.group("cn") is not None
    first = match.group("cn") if cn else match.group("ar")
    second = match.group("cn2") if cn else match.group("ar2")
    value, high, vague = _read(first, cn)
    if second is not None:
        high = _read(second, cn)[0]
    factor = _magnitude(match.group("mag"))
    unit, bound, hedged = _words(match.group("pre"), match.group("rest"))
    if match.group("apx1") or match.group("apx2") or (vague and high is None):
        bound, hedged = AT_LEAST, True  # 60余万, 500多人, 十几块
    if unit == "%" and match.group("rest").startswith("成"):
        factor *= 10  # 七成 is 70 %
    value *= factor
    if high is None:
        return Quantity(value, hedged or vague, bound, unit)
    return Quantity(value, hedged or vague, bound, unit, value, high * factor)
