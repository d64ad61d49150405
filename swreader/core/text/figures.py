"""Key-figure extraction: the statistics a reader wants highlighted in a paragraph.

:func:`find_figures` returns every key figure of a paragraph as a :class:`FigureMatch` whose
offsets index the paragraph exactly as given. Simplified and traditional text are both
handled: the text is first *folded* character by character (so offsets never move) to
simplified forms of the few characters the patterns use (個→个, 萬→万, 餘→余, 約→约, 「→“ …)
and fullwidth digits to ASCII; one compiled regular expression then scans the folded text.

A figure is ``[prefix] number [余|多] [magnitude] [余|多] [unit] [suffix]``:

* number: Arabic (``2438``, ``1.3``, ``12,000``, range ``0-6``) or Chinese (``六``, ``十``,
  ``二十一``, ``两三``, digit by digit ``一三六``, decimal ``八十六点五二`` / ``八十六點五二``);
  either may take a magnitude (``1.3万``, ``2 万``, ``一点三万``);
* prefix (approximation): ``近 将近 约 大约 超过 超 逾``, and ``上`` before a bare magnitude
  (``上万人``); a bare magnitude needs a prefix (``近万人次``). ``达 共 累计 至少`` are left out,
  and ``超过`` after ``不`` (``不超过50人``) is not taken as a prefix;
* suffix: ``以上 以下 以内 左右 上下`` (``2万人以上``, ``三年以上``);
* one optional space may separate any two parts, as printed pages do (``300 余个``).

Kinds (see :data:`KINDS`):

* ``count``: people, organisations, events, items: 个 家 人 人次 户次 名 位 户 例 场 场次 次 期
  批 批次 项 所 座 支 篇 册 本 间 张 件 份 条 章 套 类 届 轮 处 台 辆 栋 宗 组 只
  对 (``30对夫妻``);
* ``money``: 元 美元 港元 欧元, with any magnitude (``4万元``, ``50余万元``);
* ``percent``: ``%`` ``％`` 个百分点 百分点, tenths with 成 (``七成``), ``百分之六十``,
  ``超过百分之十五点五``, ``千分之五``, ``万分之三``;
* ``area``: 平方米 平方公里 平方千米 平方公尺 平米 亩 公顷 ㎡;
* ``measure``: other physical quantities: 公里 千米 公尺 米 公斤 千克 吨;
* ``date``: ``2023年``, ``2023 年 7 月``, ``2021年11月29日``, ``8月3日``, ``11月中旬``,
  ``8月底``, ``5月``, ``24日``, ``2021—2025年``, ``2023-08-01``, ``二〇二三年八月一日``,
  ``二O二二年`` (a Latin O typed for 〇);
  a four-digit year 1900–2099 followed by 年 is always a date, never a duration; so is a
  Republic-of-China year (``113年度``, ``112年4月``, ``113年起``);
* ``duration``: 年 (not a year), 个月, 天, 周, 周年, 小时, 分钟, 学时, 课时, 工作日, ``30日内``;
* ``age``: 岁 周岁 (``0-6岁``, ``60岁以上``);
* ``ratio``: multiples with 倍;
* ``number``: an Arabic number with a magnitude or approximation but no unit (``2 万以上``).

Ordinals (``第一届``, ``第01版``, ``第三方``) are *not* figures: ``第`` and its numeral are
skipped, so ``第一届一次会员大会`` yields nothing. Neither are rate bases: a numeral right
after ``每`` (``每千名老年人``, ``每2年``) is skipped, while the quantity that follows
(``…拥有1名社会工作者``, ``…选拔1次``) is kept.

False friends, the rule: a number is a figure only when it reads as a statistic, so

1. a Chinese numeral that is just ``一`` (or only ``几``) is never a figure: in running prose
   ``一个`` ``一家`` ``一次`` ``一批`` ``一期`` ``一支`` ``一套`` ``一项`` mean "a/an", not 1
   (``打造一个高标准的孵化基地``), nor is the vague ``一两个``; Arabic ``1名`` and ``一万人``
   are figures;
2. a bare Chinese numeral without a unit is never a figure (``一老一小``, ``十四五``, ``五社联动``);
3. a short quotation (up to 20 characters, no ``,。!?;:``) is a name of a plan, model or
   slogan and nothing inside it is a figure: ``“1357”服务模式``, ``“12335”``, ``“1+N”``,
   ``“十四五”``, ``“三项工程”``, ``“一年起步、两年铺开、三年建成”``; longer quoted speech
   keeps its figures; numbers inside a ``《…》`` title are part of the name as well.
   Outside quotes a named programme reads as a count (``实施三项工程`` → ``三项``);
4. document numbers are not figures: ``苏民发〔2022〕10 号``, ``浙民慈[2021]31号``;
5. a stop-list of idioms and fixed terms is skipped (``三番五次``, ``最后一米``, ``一对一``,
   ``三位一体``, ``八项规定``, place names such as ``五台山`` …), and some units refuse the
   word they would start (``期间``, ``位于``, ``元化``, ``年级``, ``所有``);
6. list numbering (``1.张露娜``, ``- 10.赵静``) has no unit, so it never matches;
7. page chrome is not figures: no Arabic number starts on a leading zero, with 11 digits,
   or right after "digit -" or "digit :", so phone numbers (``0571-88886666``,
   ``138 0013 8000``, ``400-800-1234``) and clock times (``15:46:02``) yield nothing even
   when a unit-like word follows; URLs and the numbers after 邮编, QQ and ICP备 are skipped.

``首任`` ``首批`` ``零距离`` ``双百计划`` contain no counted numeral and never match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["KINDS", "FigureMatch", "find_figures"]

KINDS: tuple[str, ...] = (
    "count",
    "money",
    "percent",
    "area",
    "measure",
    "date",
    "duration",
    "age",
    "ratio",
    "number",
)
"""Every kind :func:`find_figures` reports; the module docstring describes each."""


@dataclass(frozen=True, slots=True)
class FigureMatch:
    """One key figure in a piece of text.

    Attributes:
        text: The figure exactly as written, ``text[start:end]`` of the searched text.
        kind: One of :data:`KINDS`.
        start: Character offset of the first character.
        end: Offset one past the last character.
    """

    text: str
    kind: str
    start: int
    end: int


# Traditional (and variant) forms -> simplified, fullwidth -> ASCII; strictly one to one.
_FOLD_PAIRS = (
    (
        "個箇萬億兩幾場戶户項間歲餘約過張條類屆輪處臺檯颱輛棟隻冊號週時鐘鍾課學畝頃噸點級齡輕",
        "个个万亿两几场户户项间岁余约过张条类届轮处台台台辆栋只册号周时钟钟课学亩顷吨点级龄轻",
    ),
    (
        "數對門線綫將臨鄰親貼簽籤預節違續後義務體確維護識離雙聯動規論員長為爲績內頭單裏裡",
        "数对门线线将临邻亲贴签签预节违续后义务体确维护识离双联动规论员长为为绩内头单里里",
    ),
    (
        "於罰屬謂鄉鑑邊圍區縣館撐準複復評範趕歐劃歷臺灣農組",
        "于罚属谓乡鉴边围区县馆撑准复复评范赶欧划历台湾农组",
    ),
    ("０１２３４５６７８９％．～－［］（）〈〉「」『』○", "0123456789%.~-[]()<>“”“”〇"),
)
_FOLD: dict[str, str] = dict(
    zip("".join(a for a, _ in _FOLD_PAIRS), "".join(b for _, b in _FOLD_PAIRS), strict=True)
)
# Folding with a regex rather than ``str.translate``: a translate table costs a dict lookup
# per character of CJK text, while the regex skips the few characters to fold at C speed
# (about 7x faster on a paragraph).
_FOLDED_CHAR = re.compile("[" + re.escape("".join(_FOLD)) + "]")

# Units by kind; ``unit!refused`` refuses a continuation (a lookahead regex): 期间, 位于.
_UNITS: dict[str, str] = {
    "count": "人次 户次 场次 批次 个 家![庭长属] 人 名![单称义誉字] 位![于置数]|一体 户![籍外口型] "
    "例![如] 场![所地景馆域] 次![要] 期![间待望限满刊] 批![准复示评] 项 所![有以在属谓得需] 座 "
    "支![持付出撑援部] 篇 册 本![地土人级次身届市区县] 间![隔] 张 件 份![额] 条![件例] 章 套 "
    "类![型别] 届 轮 处![理置于长罚] 台![湾州山] 辆 栋 宗![旨教族亲親师師祠] 块 "
    # 起 counts cases (47起); 一起 (together) is refused with every lone 一.
    "起![来來床草步色诉訴点點始初身飞飛义義] "
    "组![织織建成长员員别別队隊合件委团團] 只![有要是能需須会會在占佔用剩为限好] "
    # 对 after a number is a pair (30对夫妻) unless it starts a word (对象, 对接) or 三对三.
    "对![象接于口话話标標照比待策应應称稱立抗外内付齐齊准面手方岸症焦折偶联聯一二两三四五六七八九十]",
    "money": "元![化论素旦宵首]|结构 美元 港元 欧元",
    "percent": "% 个百分点 百分点 成![员立功本长熟为果效绩都人年]",
    "area": "平方米 平方公里 平方千米 平方公尺 平米 亩 公顷 ㎡",
    "measure": "公里 千米 公尺 米 公斤 千克 吨",
    "duration": "年![级代龄轻鉴] 个月 天 周![边末围一二三四五六日] 周年 个星期 "
    "星期![一二三四五六日天] 小时 个小时 分钟 学时 课时 个工作日 工作日",
    "age": "岁 周岁",
    "ratio": "倍",
}
_UNIT_KIND = {
    entry.split("!")[0]: kind for kind, entries in _UNITS.items() for entry in entries.split()
}
_UNIT_KIND["日"] = "duration"  # only as ``30日内``, see _UNIT_RE

# Idioms, slogans, fixed terms and place names whose numerals are not figures (folded forms).
_STOP_WORDS = (
    "三番五次", "三天两头", "三年五载", "一年半载", "三五成群", "千家万户", "成千上万", "千千万万",
    "九年义务", "三位一体", "四位一体", "五位一体", "两个确立", "两个维护", "四个意识", "四个自信",
    "四个全面", "三个代表", "八项规定", "一对一", "一两", "最后一米", "一老一小", "一站式",
    "一门受理", "一把手", "一次性", "零距离", "五社联动", "三社联动", "一项目一团队", "五台山",
    "五台县", "七台河", "九台区", "五家渠", "三元区", "三门峡", "十一五", "十二五", "十三五",
    "十四五", "十五五", "两个一百年", "十年如一日", "三人行", "五个一工程",
)  # fmt: skip

_SP = r"[ \u00a0\u3000]?"
_RANGE = r"[-–—~至到]"
_ARABIC_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+|[0-9]+)(?:\.[0-9]+)?"
# Never starts inside a code (G20, 1.5), after "digit space" (the page's ``5 000``), after
# "digit -" or "digit :" (the rest of 010-12345678 or 15:46:02), nor on a leading zero or
# 11 digits: no count is written 0571 or 13800138000, phone numbers are.
_ARABIC = r"(?<![A-Za-z0-9.])(?<![0-9][ \u00a0\u3000:：-])(?!0[0-9]|[0-9]{11})" + _ARABIC_NUM
_CN_DIGIT = "一二两三四五六七八九十几"
_CN_ALL = _CN_DIGIT + "百千万亿零〇"
_CN_PLAIN = "〇零一二三四五六七八九"  # the digits of a number read digit by digit (一三六)
_CN_DECIMAL = rf"(?:点[{_CN_PLAIN}]{{1,6}})?"  # 八十点一; 點 folds to 点
# No run starting "一" + one digit (统一三个, 唯一一家); "一" may precede (the end of 统一,
# 之一). Three digits or more read digit by digit are a number (一三六人).
_CN = (
    rf"(?<![{_CN_ALL[1:]}])(?!一[{_CN_DIGIT[:-2]}](?![{_CN_PLAIN}]))"
    rf"[{_CN_DIGIT}][{_CN_ALL}]{{0,8}}{_CN_DECIMAL}"
)
_MAG = r"(?:百(?!分)|[十千万亿]){1,3}"
_APPROX = r"[余多]"
_PREFIX = (
    r"(?:将近|大约|(?<![附最接临靠邻亲贴将])近|(?<![签合预契节公制邀特相条履违续解大])约"
    r"|(?<!不)超过|(?<![不赶高])超(?!过)|逾)"
)
_POST = r"(?:以上|以下|以内|左右|上下)"
_UNIT_RE = "|".join(
    re.escape(unit) + (f"(?!{refused})" if refused else "")
    for unit, _, refused in sorted(
        (entry.partition("!") for entries in _UNITS.values() for entry in entries.split()),
        key=lambda parts: -len(parts[0]),
    )
)
_UNIT_RE += r"|日(?=[以之]?内)"

_YEAR = r"(?<![0-9.])(?:19|20)[0-9]{2}(?![0-9])"
_MONTH = r"(?:1[0-2]|0?[1-9])(?![0-9])"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])"
_PERIOD = r"(?:[上中下]旬|中下旬|上中旬|初|底|末|份)"
_CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九])"
_CN_DAY = r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_DATE = "|".join(
    (
        rf"{_YEAR}(?P<sep>[-/.]){_MONTH}(?P=sep){_DAY}",
        rf"{_YEAR}(?:{_SP}{_RANGE}{_SP}{_YEAR})?{_SP}年"
        rf"(?:{_SP}{_MONTH}{_SP}月(?:{_SP}{_DAY}{_SP}[日号]|{_SP}{_PERIOD})?|[底初末度])?",
        rf"(?<![0-9.])(?<![0-9][:：]){_MONTH}(?:{_RANGE}{_MONTH})?{_SP}月"
        rf"(?:{_SP}{_DAY}{_SP}[日号]|{_SP}{_PERIOD})?",
        rf"(?<![0-9.])(?<![0-9][:：]){_DAY}{_SP}日(?![以之]?内)",
        # Pages also type a Latin O for 〇 (二O二二年).
        rf"(?:二[〇零OoＯ]|一九)[{_CN_PLAIN}OoＯ]{{2}}年(?:{_CN_MONTH}月(?:{_CN_DAY}[日号])?)?",
        rf"(?<![{_CN_ALL}]){_CN_MONTH}月{_CN_DAY}[日号]",
    )
)

_QUOTE_BODY = r"[^“”‘’\n,。!?;:,!?;:]{1,20}"
_SKIP = "|".join(
    (
        rf"第{_SP}(?:[0-9]+|[{_CN_ALL}]+)",  # ordinals
        rf"每{_SP}(?:{_ARABIC}|[{_CN_ALL}]+)(?:{_RANGE}(?:{_ARABIC}|[{_CN_ALL}]+))?",  # rate bases
        rf"[〔\[【(]{_SP}(?:19|20)[0-9]{{2}}{_SP}[〕\]】)]{_SP}(?:(?:第{_SP})?[0-9]+{_SP}号)?",
        rf"“{_QUOTE_BODY}”|‘{_QUOTE_BODY}’",  # names of plans, models and slogans
        r"《[^《》\n]{1,80}》",  # titles
        r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'()*+=%-]+",  # 2023/8/1 in a URL is no date
        rf"(?:邮编|郵編|邮政编码|郵政編碼|QQ群?|qq群?|ICP[备備证證])[:：号號]?{_SP}[0-9]+",
        "|".join(sorted(_STOP_WORDS, key=len, reverse=True)),
    )
)

_QUANT = (
    rf"(?:(?:(?=[将大近约超逾])(?P<pre>{_PREFIX}){_SP})?"
    rf"(?:(?P<ar>{_ARABIC})(?:{_SP}{_RANGE}{_SP}{_ARABIC_NUM})?|(?P<cn>{_CN}(?:{_RANGE}{_CN})?))"
    rf"(?P<apx1>{_SP}{_APPROX})?(?:{_SP}(?P<mag>{_MAG}))?"
    rf"|(?:{_PREFIX}|(?<![线以])上)(?P<bare>[百千万亿]{{1,2}}))"
    rf"(?P<apx2>{_SP}{_APPROX})?(?:{_SP}(?P<unit>{_UNIT_RE}))?(?:{_SP}{_POST})?"
)
# The lookahead fails most positions at once, before the prefix alternatives are tried.
_PERCENT = (
    rf"(?=[将大近约超逾百千万])(?:{_PREFIX}{_SP})?"
    rf"[百千万]分之(?:{_ARABIC}|[{_CN_ALL}]+{_CN_DECIMAL})"
)

# Every alternative starts with one of these characters. Checking that first lets the
# engine drop most positions at once instead of trying each alternative (5x faster).
_START = "".join(
    sorted(
        set("0123456789" + _CN_ALL + "将大近约超逾上第每〔[【(“‘《hwQqI邮郵")
        | {word[0] for word in _STOP_WORDS}
    )
)
_FIGURE_RE = re.compile(
    rf"(?=[{re.escape(_START)}])"
    rf"(?:(?P<skip>{_SKIP})|(?P<date>{_DATE})|(?P<pct>{_PERCENT})|(?P<quant>{_QUANT}))"
)


def _fold(text: str) -> str:
    """Fold traditional and fullwidth characters to the forms the patterns use.

    Args:
        text: Any text.

    Returns:
        A string of the same length, so offsets carry over unchanged.
    """
    return _FOLDED_CHAR.sub(_fold_char, text)


# A Republic-of-China year (民國 113 = 2024) before 度, a month, 起 or 底 is a date.
_ROC_YEAR = re.compile(r"1[01]\d年(?=度|\d{1,2}月|起|底|初|上半年|下半年)")


def _fold_char(match: re.Match[str]) -> str:
    return _FOLD[match.group()]


def _quant_kind(match: re.Match[str]) -> str | None:
    """Classify a quantity match, or reject it as a false friend.

    Args:
        match: A match of the master pattern whose ``quant`` group matched.

    Returns:
        The kind, or ``None`` when the match is not a key figure.
    """
    unit = match.group("unit")
    cn = match.group("cn")
    if cn is not None and (cn == "一" or set(cn) == {"几"}):
        return None
    if unit is None:
        # Only an Arabic number with a magnitude or an approximation stands without a unit.
        approx = match.group("apx1") or match.group("apx2") or match.group("mag")
        return "number" if match.group("ar") is not None and approx else None
    return _UNIT_KIND[unit]


def find_figures(text: str) -> list[FigureMatch]:
    """Find the key figures of a paragraph.

    Args:
        text: One paragraph, simplified or traditional.

    Returns:
        The figures, sorted by start and never overlapping; ``match.text`` is always
        ``text[match.start:match.end]``.

    Example:
        >>> [(f.text, f.kind) for f in find_figures("2020年的100余人发展到当前的500多人")]
        [('2020年', 'date'), ('100余人', 'count'), ('500多人', 'count')]
    """
    figures: list[FigureMatch] = []
    for match in _FIGURE_RE.finditer(_fold(text)):
        # The alternative that matched encloses every other group, so it closes last.
        group = match.lastgroup
        if group == "skip":
            continue
        if group == "date":
            kind: str | None = "date"
        elif group == "pct":
            kind = "percent"
        else:
            kind = _quant_kind(match)
        if kind is None:
            continue
        start, end = match.span()
        if kind == "duration" and _ROC_YEAR.match(text, start):
            kind = "date"  # 民國 year, as Taiwan prints dates: 113年度, 112年4月
        end = start + len(match.group(0).rstrip(" \u00a0\u3000"))
        figures.append(FigureMatch(text[start:end], kind, start, end))
    return figures
