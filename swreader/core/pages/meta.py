"""Meta lines: the date, the outlets and the reporters that news pages print around a story.

Web pages put them on a line of their own under the headline::

    2018-03-21 15:46:02 | 来源:国际在线 | 编辑:王某
    发布时间：2022-08-17  来源：廊坊日报  作者：苏明远
    聯合報／ 記者朱冠諭、余采瀅／連線報導

and papers open the lead with them: ``本报讯(记者 郑晨子)``, ``本报讯 记者崔治报道``,
``(记者 杜胜健)``, ``文/图 羊城晚报记者 邓勃``, ``国际在线重庆频道报道(高爽)``.

:func:`read_meta` reads one line into a :class:`Meta`; :func:`lead_credit` reads the
credit at the start of a lead paragraph. Both only *read*: the caller decides what leaves
the body (a meta line does; a lead keeps its words, they are the article's own text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "Meta",
    "find_date",
    "lead_credit",
    "path_date",
    "read_meta",
    "split_dateline",
    "split_names",
]

_SEP = r"[:：]"
# A label and its value; the value runs to the next label, a bar or a wide space.
_LABELS = (
    "来源|來源|信息来源|信息來源|文章来源|文章來源|稿源|出处|出處|转自|轉自|"
    "发布时间|發布時間|发布日期|發布日期|发布|發布|發佈時間|发稿时间|出版|更新|最后更新时间|最後更新時間|发表时间|發表時間|时间|時間|日期|更新时间|更新時間|"
    "作者|记者|記者|撰文|文|通讯员|通訊員|"
    "编辑|編輯|责任编辑|責任編輯|责编|責編|审编|審編|初审|初審|审核|審核|校对|校對|"
    "终审|終審|签发|簽發|"
    "点击|點擊|点击数|点击量|浏览|瀏覽|浏览次数|瀏覽次數|浏览量|瀏覽量|阅读|閱讀|阅读量|"
    "发布机构|發布機構|索引号|索引號|发文机关|主题分类|字号|字體|字体|字號|分享|分享到"
)
_FIELD = re.compile(
    rf"(?P<label>{_LABELS})\s*{_SEP}\s*(?P<value>[^|｜│\u3000]*?)(?=\s{{2,}}|\s*[|｜│\u3000]|\s+(?:{_LABELS})\s*{_SEP}|$)"
)
_SOURCE_LABELS = frozenset(
    [
        "来源",
        "來源",
        "信息来源",
        "信息來源",
        "文章来源",
        "文章來源",
        "稿源",
        "出处",
        "出處",
        "转自",
        "轉自",
    ]
)
_AUTHOR_LABELS = frozenset(["作者", "记者", "記者", "撰文", "文", "通讯员", "通訊員"])
_DATE_LABELS = frozenset(
    [
        "发布时间",
        "發布時間",
        "发布日期",
        "發布日期",
        "发表时间",
        "發表時間",
        "时间",
        "時間",
        "日期",
        "更新时间",
        "更新時間",
    ]
)

_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*"
    r"(?P<d>\d{1,2})(?!\d)\s*日?"
)
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_PATH_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-_./]?(0[1-9]|1[0-2])[-_./]?(0[1-9]|[12]\d|3[01])(?!\d)"
)

# A credit opening a lead: 本报讯(记者 X) / 本报讯 记者X报道 / (记者 X) / 文/图 …记者 X.
_ROLE = r"(?:本[报報])?(?:特[约約]|首席|实习|實習)?(?:[记記]者|通[讯訊][员員]|实习生|實習生|撰稿人)"
_OPEN = r"[(（\[【]"
_CLOSE = r"[)）\]】]"
_LEAD = re.compile(
    rf"^\s*(?P<outlet>[^\s(（，,。]{{0,16}}?(?:[报報]|网|網|社|台|[频頻]道|日[报報]|晚[报報]|新[闻聞]|客[户戶]端)?)"
    rf"(?:[讯訊]|[电電]|[报報]道)?\s*"
    rf"{_OPEN}(?P<credit>[^()（）\[\]【】]{{1,40}}){_CLOSE}"
)
_LEAD_PLAIN = re.compile(
    rf"^\s*(?P<outlet>本[报報]|[^\s，,。]{{1,12}}?(?:网|網|[报報]))[讯訊]\s+(?P<credit>{_ROLE}\s*[^\s，,。]{{2,12}}?)(?:[报報]道|摄|攝)?(?=\s|$|[，,])"
)
_WEN_TU = re.compile(
    rf"^\s*(?:文|图|圖|文/图|文／图|文/圖|文／圖|图/文|圖/文)\s*[/／|]?\s*"
    rf"(?P<outlet>[^\s/／]{{0,12}}?)(?P<credit>{_ROLE}\s*[^\s，,。/／]{{2,12}}.*)$"
)
_SLASH_CREDIT = re.compile(
    rf"^\s*(?:(?P<outlet>[^\s/／]{{2,12}})\s*[/／]\s*)?(?P<credit>{_ROLE}[^/／]{{2,40}}?)\s*"
    rf"(?:[/／]\s*[^/／]{{0,14}}?(?:[报報][道導导]|[电電]))?\s*$"
)
_REPORTER_LINE = re.compile(
    rf"^\s*[■□▲●]?\s*(?P<outlet>[^\s]{{0,16}}?)(?P<credit>{_ROLE}\s*[^\s，,。]{{2,4}}?(?:[、\s]+[^\s，,。]{{2,4}}?)*?)"
    rf"(?:\s+[^\s]{{0,4}}?[报報][道導导])?\s*$"
)
_CHANNEL = re.compile(
    rf"^\s*(?P<outlet>[^\s(（，,。]{{2,10}}?(?:网|網|在线|在線|台|社))[^\s(（，,。]{{0,8}}?[报報]道\s*{_OPEN}(?P<credit>[^()（）]{{2,20}}){_CLOSE}"
)
_ROLE_RE = re.compile(_ROLE)
_OUTLET_END = re.compile(
    r"^[^\s:：|]{2,18}(?:中心|[网網]|[报報]|[台臺]|社|局|站|[频頻]道|客[户戶]端|公众号|公眾號)$"
)
_NOT_NAME = re.compile(
    r"[0-9０-９:：，,。；;！!？?《》“”\"]|报道|報導|報道|连线|連線|摄影|攝影|综合|綜合"
)


@dataclass(slots=True)
class Meta:
    """What a meta line says.

    Attributes:
        date: ISO date, or ``None``.
        sources: Outlets the story comes from (``来源：``), in order.
        byline: Reporters' names joined by ``、``, or ``None``.
        labelled: How many ``label：value`` fields the line holds.
    """

    date: str | None = None
    sources: list[str] = field(default_factory=list)
    byline: str | None = None
    labelled: int = 0


def _iso(match: re.Match[str]) -> str | None:
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


_MONTHS = {
    m: n
    for n, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_EN_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})-([A-Za-z]{3})-(\d{1,2})(?!\d)")


def find_date(text: str) -> str | None:
    """The first well-formed date in ``text`` (``2022-08-17``, ``2022年8月17日``…) as ISO."""
    for match in _DATE.finditer(text):
        found = _iso(match)
        if found:
            return found
    english = _EN_DATE.search(text)  # Hong Kong sites: 2024-Apr-02
    if english and (month := _MONTHS.get(english[2].lower())) and 1 <= int(english[3]) <= 31:
        return f"{english[1]}-{month:02d}-{int(english[3]):02d}"
    return None


def path_date(path: str) -> str | None:
    """A date in a file's path (``2023-10-24/06.txt``, ``20231024_06.txt``), the last one."""
    found = None
    for match in _PATH_DATE.finditer(path):
        found = f"{match[1]}-{match[2]}-{match[3]}"
    return found


def split_names(text: str) -> str | None:
    """Reporters' names from a credit: ``记者 许 娓 闫 薇`` → ``许娓、闫薇``.

    Role words go, names are split at spaces and list marks. Names printed with a space
    between their characters (``许 娓``) are put back together when every piece is a single
    character.
    """
    # A photographer is credited after the reporters (記者 X / 攝影 Y): not a byline.
    text = re.split(r"[/／|]?\s*(?:摄影|攝影|摄像|攝像|图|圖)\s*[:：/／]?\s*(?=\S)", text)[0]
    body = _ROLE_RE.sub(" ", text)
    body = re.sub(
        r"(?:[报報]道|報導|[连連][线線][报報][导導道]|摄|攝|供[图圖])\s*$", "", body.strip()
    )
    pieces = [p for p in re.split(r"[\s、，,/／;；]+|和|及", body) if p]
    if pieces and all(len(p) == 1 for p in pieces) and len(pieces) % 2 == 0:
        pieces = ["".join(pieces[i : i + 2]) for i in range(0, len(pieces), 2)]
    # Two three-character names run together (邱晓东邹伟木) are the common case of six.
    pieces = [q for p in pieces for q in ((p[:3], p[3:]) if len(p) == 6 else (p,))]
    names = [p for p in pieces if 2 <= len(p) <= 5 and not _NOT_NAME.search(p)]
    return "、".join(dict.fromkeys(names)) or None


def _clean_source(value: str) -> list[str]:
    value = re.sub(r"[《》〈〉“”\"「」『』()（）]", "", value).strip(" 　:：-—|")
    value = _DATE.sub("", _CLOCK.sub("", value)).strip()
    # The outlet ends where a reporter or an edition begins (来源：遵义日报 记者 田雨桐).
    value = re.split(rf"\s*(?:{_ROLE}|作者|编辑|編輯|第\s*\d+\s*版)", value)[0]
    out = []
    for part in re.split(r"[、,，;；]|\s+", value):
        if 2 <= len(part) <= 20 and not part.isdigit():
            out.append(part)
    return out[:3]


def read_meta(line: str) -> Meta | None:
    """Read a meta line; ``None`` when ``line`` is not one.

    A meta line is short, holds no sentence, and is either a date (with or without a time)
    or carries ``label：value`` fields (来源、作者、发布时间、编辑、点击…).
    """
    text = line.strip()
    if not text or len(text) > 160 or "。" in text:
        return None
    meta = Meta()
    for match in _FIELD.finditer(text):
        label, value = match["label"], match["value"].strip()
        if not meta.labelled and _OUTLET_END.search(prefix := text[: match.start()].strip()):
            meta.sources.append(prefix)  # 石首市融媒体中心发布时间: an outlet glued to a label
        meta.labelled += 1
        if label in _SOURCE_LABELS and value:
            meta.sources += [s for s in _clean_source(value) if s not in meta.sources]
            credit = _ROLE_RE.search(value)
            if credit and meta.byline is None:
                meta.byline = split_names(value[credit.start() :])
        elif label in _AUTHOR_LABELS and value and meta.byline is None:
            meta.byline = split_names(value)
        elif label in _DATE_LABELS and meta.date is None:
            meta.date = find_date(value)
    date = find_date(text)
    meta.date = meta.date or date
    if meta.labelled:
        return meta
    # A bare date line: the date (and clock) and little else.
    if date is not None:
        rest = _CLOCK.sub("", _DATE.sub("", text))
        rest = re.sub(r"星期.|周.|[\s|｜/·:：\-—]", "", rest)
        if len(rest) <= 4:
            return meta
    # A credit may follow the date and time on one line (``2024-03-05 05:30 聯合報／ 記者…``),
    # or stand in brackets (``（岳阳日报记者 彭思琪 通讯员 艾文涛）``).
    text = _CLOCK.sub("", _DATE.sub("", text, count=1), count=1).strip() if date else text
    text = text.strip("()（）[]【】 ")
    slash = _SLASH_CREDIT.match(text)
    if slash:
        outlet = _clean_source(slash["outlet"] or "")
        return Meta(date=date, sources=outlet, byline=split_names(slash["credit"]))
    for pattern in (_WEN_TU, _REPORTER_LINE):
        credit = pattern.match(text)
        if credit and (names := split_names(credit["credit"])):
            outlet = re.split(r"[·•・]", _ROLE_RE.sub("", credit["outlet"]))[0]
            return Meta(date=date, sources=_clean_source(outlet), byline=names)
    return None


def lead_credit(text: str) -> tuple[str | None, int]:
    """The reporters credited at the start of a lead, and where the credit ends.

    ``本报讯(记者 郑晨子)8月16日…`` gives ``("郑晨子", 12)``; a lead without a credit gives
    ``(None, 0)``. A parenthesis only counts when it names a role (记者、通讯员…) or opens
    after a 讯/电/报道 mark, so ``(街道)`` never does.
    """
    head = text[:80]
    for pattern in (_CHANNEL, _LEAD, _LEAD_PLAIN):
        match = pattern.match(head)
        if not match:
            continue
        credit = match["credit"]
        marked = bool(re.search(r"[讯訊电電]|[报報]道", head[: match.start("credit")]))
        if pattern is _LEAD and not (_ROLE_RE.search(credit) or marked):
            continue
        names = split_names(credit)
        if names:
            return names, match.end()
    return None, 0


_DATELINE = re.compile(
    r"[\s【\[(（]*"
    r"(?:本报|本刊|新华社|中新社|中新网|人民网|新华网|央视网|央广网|光明网|中国新闻网|中国网"
    r"|澎湃新闻|[\u4e00-\u9fff]{2,8}?(?:日报|晚报|早报|报|网|社|电视台))"
    r"(?:记者)?"
    r"(?P<where>[\u4e00-\u9fff]{0,8}?)"
    r"\s*(?:\d{1,2}月\d{1,2}日|\d{1,2}日)?"
    r"\s*(?:电|讯(?![息员]))"
    r"[\s】\])）]*"
    r"(?:[(（][^()（）\n]{0,40}[)）])?"
    r"[\s:：]*"
)
"""A dateline at the start of a body; ``where`` is the place it was filed from, if any."""


def split_dateline(body: str) -> tuple[str, str]:
    """The place a leading dateline was filed from (or ``""``) and the body after it."""
    match = _DATELINE.match(body)
    if match is None:
        return "", body
    return match["where"], body[match.end() :]
