"""One article out of a web page's lines: the main text, its headline and its meta lines.

Web pages (portals, city and government sites, forums, Taiwan and Hong Kong papers,
saved HTML) put one paragraph per line and wrap the story in chrome. Each line is first
judged on its own (:mod:`~swreader.core.pages.boilerplate`), then:

1. **The body** is the run of lines with the most prose (:func:`~swreader.core.pages.
   boilerplate.main_run`), cut at the first footer marker (相关新闻, 责任编辑, 分享到…).
   Boilerplate and meta lines inside it are dropped; short lines in it are subheads, or
   captions when credited; a line cut mid-sentence is joined to the next.
2. **The headline** is looked for above the body, past the meta lines: the nearest short
   line without sentence punctuation that shares words with the lead (a site slogan or
   a breadcrumb shares none). A headline the HTML gave (``<h1>``, ``og:title``) wins.
3. **Meta lines** above and just below the body give the date, the sources and the
   reporters; a credit opening the lead (``本报讯(记者 X)``) gives the reporters too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from swreader.core.pages import blocks as bk
from swreader.core.pages.boilerplate import (
    Line,
    classify,
    cut_glued_chrome,
    is_end_marker,
    main_run,
    strip_noise,
)
from swreader.core.pages.meta import Meta, find_date, lead_credit, read_meta, split_names
from swreader.core.pages.model import Kind, Paragraph
from swreader.core.text.convert import simplify_chars

__all__ = ["Hints", "Judged", "WebArticle", "clean_title", "extract", "judge"]

_TITLE_MAX = 64
_LOOK_BACK = 14
_TRAIL = 8
_TERMINAL = "。！？!?；;…"
_CAPTION_START = re.compile(r"^(?:图为|圖為|图：|圖：|图/|圖/|上图|下图|左图|右图)")
_CAPTION_END = re.compile(r"(?:摄|攝|供图|供圖|图|圖)\s*[)）]?$")
_TRAIL_CREDIT = re.compile(r"[(（]\s*(?:[记記]者|通[讯訊][员員])[^()（）]{2,30}[)）]\s*$")
_DATELINE = re.compile(r"^\S{0,12}?(?:[讯訊]|\d{1,2}月\d{1,2}日[电電])")
_PHOTO_CREDIT = re.compile(r"[(（][^()（）]{0,24}(?:摄|攝|供图|供圖)[)）]\s*$")
_TRAIL_SOURCE = re.compile(r"[(（]\s*[据據]\s*([^()（）]{2,30})[)）]\s*$")
_PROSE_MARK = re.compile(r"[，。、；]")
_CLOSERS_START = frozenset("。，、；：！？”」』）)")
_LABEL_ONLY = re.compile(r"^[^\s:：]{2,8}[:：]$")
_XINHUA = re.compile(r"^\s*新[华華]社\S{0,12}?[电電]")
_FORUM_TAG = re.compile(
    r"^\s*[\[【［](?:转帖|轉帖|转载|轉載|原创|原創|分享|新闻|新聞|推荐|推薦)[\]】］]\s*"
)
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜\-–—]\s*[^_|｜\-–—]{2,30}){1,3}$")


@dataclass(slots=True)
class Hints:
    """What a saved HTML page states outright, to prefer over guessing from the lines.

    ``titles`` are the markup's headline candidates, best first (``<h1>``, JSON-LD,
    ``og:title``, ``<title>``): a site's masthead in an ``<h1>`` shares no words with the
    story, so the first that does is the headline.
    """

    titles: list[str] = field(default_factory=list)
    date: str | None = None
    site: str | None = None


@dataclass(slots=True)
class WebArticle:
    """The article found on a web page."""

    title: str
    subtitle: str | None = None
    byline: str | None = None
    sources: list[str] = field(default_factory=list)
    date: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)


def _bigrams(text: str) -> set[str]:
    simple = simplify_chars(re.sub(r"\W", "", text))
    return {simple[i : i + 2] for i in range(len(simple) - 1)}


def _title_like(text: str, kind: Line) -> bool:
    if kind in (Line.BAD, Line.META) or not 4 <= len(text) <= _TITLE_MAX:
        return False
    if lead_credit(text)[1] or _DATELINE.match(text):
        return False
    return text.rstrip('”」』’"》)） ')[-1:] not in "。；;，,、：:"


def _find_title(
    lines: list[str], kinds: list[Line], first: int, lead: str
) -> tuple[int | None, int | None]:
    """The headline line above the body and a subtitle line under it, as indexes."""
    lead_grams = _bigrams(lead)
    candidates: list[tuple[int, int]] = []  # (index, shared bigrams)
    for i in range(first - 1, max(-1, first - 1 - _LOOK_BACK), -1):
        text, kind = lines[i], kinds[i]
        if not text or kind is Line.META:
            continue
        if _title_like(text, kind):
            candidates.append((i, len(_bigrams(text) & lead_grams)))
        elif kind is Line.BAD and any(s >= 2 and not _is_caption(lines[c]) for c, s in candidates):
            break  # the chrome above the headline
    if not candidates:
        return None, None
    # The headline shares most words with the lead; a caption or a kicker shares fewer.
    # Among those close to the best, the nearest to the body wins.
    plain = [c for c in candidates if not _is_caption(lines[c[0]])] or candidates
    best = max(shared for _, shared in plain)
    order = [i for i, shared in plain if shared >= 0.6 * best]
    order += [i for i, _ in plain if i not in order]
    title = order[0]
    subtitle = None
    shared = dict(plain)
    below = title + 1
    if shared.get(below, 0) >= 2 and not lines[below].startswith(("—", "-", "─")):
        # Two stacked headline lines: the one over the story is the headline, the one
        # above it its 引题 (kicker line).
        return below, title
    # A 副题 under the headline opens with a dash; the headline is the line above it.
    if lines[title].startswith(("—", "-", "─")) and len(order) > 1:
        subtitle, title = title, next((i for i in order[1:] if i < title), order[1])
    return title, subtitle


def _is_caption(text: str) -> bool:
    """A photo caption: credited (``（记者X摄）``, ``供图``, ``图片来源``) or ``图为…``."""
    return (
        bk.is_caption_marked(text)
        or bool(_CAPTION_START.match(text))
        or bool(_CAPTION_END.search(text) and len(text) <= 60)
        or bool(_PHOTO_CREDIT.search(text) and len(text) <= 80)
    )


def _once(text: str) -> str:
    """A caption a page printed several times on one line, once."""
    for size in range(len(text) // 3, 7, -1):
        unit = text[:size].strip()
        if unit and text.replace(unit, "").strip() == "" and text.count(unit) > 1:
            return unit
    return text


def _merge(meta: Meta, into: WebArticle, *, byline: bool = True) -> None:
    # The date printed with the source is the story's (a forum copy's post time is not).
    if meta.date and meta.sources and not into.sources:
        into.date = meta.date
    into.date = into.date or meta.date
    into.sources += [s for s in meta.sources if s not in into.sources]
    if byline and meta.byline and not into.byline:
        into.byline = meta.byline


def _body(lines: list[str], kinds: list[Line], first: int, last: int, art: WebArticle) -> None:
    pending = ""
    for i in range(first, last + 1):
        text, kind = lines[i], kinds[i]
        if not text or kind is Line.BAD:
            continue
        if kind is Line.META:
            meta = read_meta(text)
            if meta is not None:
                _merge(meta, art)
            continue
        source = bk.SOURCE.match(text)
        if source:
            art.sources += [s for s in bk.split_sources(source["src"]) if s not in art.sources]
            continue
        if pending:
            text, pending = bk.join_text([pending, text]), ""
        text = cut_glued_chrome(text)
        if _is_caption(text):
            art.paragraphs.append(Paragraph(Kind.CAPTION, _once(text)))
        elif kind is Line.GOOD or len(text) > bk.SHORT:
            # A line cut mid-sentence (hard wraps, a figure split over two lines) goes on.
            nxt = lines[i + 1] if i < last else ""
            goes_on = kinds[i + 1] is Line.GOOD or bk.is_complete(nxt) if nxt else False
            cut = not bk.is_complete(text) and goes_on and not _is_caption(nxt)
            if cut and len(text) >= 20 and not _is_caption(text):
                pending = text
                continue
            art.paragraphs.append(Paragraph(Kind.BODY, text))
        else:
            art.paragraphs.append(Paragraph(Kind.SUBHEAD, text))
    if pending:
        art.paragraphs.append(Paragraph(Kind.BODY, pending))


def _cut_at_footer(lines: list[str], first: int, last: int) -> int:
    for i in range(first + 1, last + 1):
        if is_end_marker(lines[i]):
            return i - 1
    return last


@dataclass(slots=True)
class Judged:
    """A page's non-empty lines, the class of each, and the main prose run in them."""

    lines: list[str]
    kinds: list[Line]
    run: tuple[int, int] | None


def _width(lines: list[str]) -> int | None:
    """The column width of a hard-wrapped page, or ``None`` when lines are paragraphs.

    Text copied from a PDF or a fixed-width page breaks every line at the same width, so
    many lines share one length; paragraphs of a web page have lengths all their own.
    """
    prose = [line for line in lines if len(line) >= 15 and _PROSE_MARK.search(line)]
    if len(prose) < 6:
        return None
    counts: dict[int, int] = {}
    for line in prose:
        counts[len(line)] = counts.get(len(line), 0) + 1
    width = max(counts, key=lambda w: sum(counts.get(w + d, 0) for d in (-2, -1, 0, 1, 2)))
    near = [line for line in prose if abs(len(line) - width) <= 2]
    cut = sum(1 for line in near if not bk.is_complete(line))
    return width if len(near) >= 0.5 * len(prose) and cut >= 4 else None


def _unwrap(lines: list[str]) -> list[str]:
    """Join the lines of a hard-wrapped page back into paragraphs (blank lines end them)."""
    width = _width([line.strip() for line in lines])
    if width is None:
        return lines
    out: list[str] = []
    open_line = False  # the last line ran to the margin mid-sentence
    for raw in lines:
        line = raw.strip()
        if not line:
            open_line = False
            out.append("")
            continue
        if out and open_line and out[-1]:
            out[-1] = bk.join_text([out[-1], line])
        elif out and out[-1] and line[0] in _CLOSERS_START:
            out[-1] += line  # 。” pushed onto the next line
        else:
            out.append(line)
        open_line = len(line) >= width - 3 and not bk.is_complete(line)
    return out


def judge(lines: list[str]) -> Judged:
    """Classify a page's lines and find its main run (blank lines carry nothing here)."""
    kept: list[str] = []
    for line in _unwrap(lines):
        if not (text := strip_noise(line.strip())):
            continue
        if kept and _LABEL_ONLY.match(kept[-1]) and len(text) <= 30:
            kept[-1] += text  # a table of fields: 发布机构： on one line, its value below
        elif not kept or text != kept[-1]:  # a caption printed twice
            kept.append(text)
    kinds = [classify(line) for line in kept]
    return Judged(kept, kinds, main_run(kinds, [len(line) for line in kept]))


def extract(judged: Judged, hints: Hints | None = None) -> WebArticle | None:
    """The article on a web page, or ``None`` when no line of it is prose.

    Args:
        judged: The page's lines as :func:`judge` saw them.
        hints: What the HTML said, if the page was HTML.

    Returns:
        The article, with paragraphs in page order.
    """
    hints = hints or Hints()
    lines, kinds = judged.lines, judged.kinds
    if judged.run is None:
        return None
    first, last = judged.run
    last = _cut_at_footer(lines, first, last)
    lead = " ".join(lines[k] for k in range(first, min(last + 1, first + 3)))
    title_at, subtitle_at = _find_title(lines, kinds, first, lead)
    found = clean_title(lines[title_at]) if title_at is not None else None
    lead_grams = _bigrams(lead)
    stated = next((t for t in hints.titles if len(_bigrams(t) & lead_grams) >= 2), None)
    title = stated or found or next(iter(hints.titles), None)
    art = WebArticle(title or "")
    if subtitle_at is not None and stated is None:
        art.subtitle = lines[subtitle_at]
    # Meta lines: between the headline and the body, then just under the body.
    # (A credit may stand just above the headline, as small sites print it.)
    top = max(0, title_at - 2) if title_at is not None else max(0, first - _LOOK_BACK)
    for i in range(top, first):
        if kinds[i] is Line.META and (meta := read_meta(lines[i])):
            _merge(meta, art)
    _body(lines, kinds, first, last, art)
    for i in range(last + 1, min(len(lines), last + 1 + _TRAIL)):
        if is_end_marker(lines[i]) and not lines[i].startswith(("(", "（")):
            break
        if kinds[i] is Line.META and (meta := read_meta(lines[i])):
            _merge(meta, art)
        elif source := bk.SOURCE.match(lines[i]):
            art.sources += [s for s in bk.split_sources(source["src"]) if s not in art.sources]
    _credits(art)
    art.date = art.date or hints.date
    for i in range(0, first):  # e-papers print the edition's date at the very top
        if art.date is None and kinds[i] is Line.META and (meta := read_meta(lines[i])):
            art.date = meta.date
    if not art.sources and hints.site:
        art.sources = [hints.site]
    if not art.title:
        body = next((p.text for p in art.paragraphs if p.kind is Kind.BODY), "")
        art.title = re.split(r"[，,。；;：:]", body)[0][:24] + "…"
    return art if art.paragraphs else None


def _credits(art: WebArticle) -> None:
    """Reporters from the lead's credit, else from a closing ``(记者 X)``; a lead's date."""
    body = [p for p in art.paragraphs if p.kind is Kind.BODY]
    if not body:
        return
    source = _TRAIL_SOURCE.search(body[-1].text)
    if source:  # （据《某某日报》） closing the story
        art.sources += [s for s in bk.split_sources(source[1]) if s not in art.sources]
        body[-1].text = body[-1].text[: source.start()].rstrip()
    trail = _TRAIL_CREDIT.search(body[-1].text)
    if trail:
        # A closing credit (记者 X 通讯员 Y) is no part of the last sentence.
        names = split_names(trail.group(0).strip("()（） "))
        body[-1].text = body[-1].text[: trail.start()].rstrip()
        if names and (not art.byline or art.byline in names):
            art.byline = names
    if not art.byline:
        art.byline = lead_credit(body[0].text)[0]
    if _XINHUA.match(body[0].text) and "新华社" not in art.sources:
        art.sources.append("新华社")  # a 新华社 dispatch, whoever reprinted it
    if art.date is None:
        art.date = (
            find_date(body[0].text[:40]) if re.match(r"^\S{0,20}?\d{4}年", body[0].text) else None
        )


def clean_title(title: str) -> str:
    """A headline without its site name (``标题_赣州新闻网``, ``标题 - 云南网``) or a forum's
    tag (``[转帖]``)."""
    title = _FORUM_TAG.sub("", title.strip())
    stripped = _SITE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 4 else title
