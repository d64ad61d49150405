"""Cut a page into articles the way a reader sees them.

A page is first told apart by its shape:

* **HTML** (a saved page, whatever its name) is turned into the lines a reader sees, with
  what the markup states (headline, date, site) kept as hints (:mod:`.html`).
* **Not an article**: a journal abstract, a forum chat, a list of headlines or an error
  page exports nothing and says why (:mod:`.genre`).
* **Print and e-paper pages** (paragraphs set apart by blank lines and cut mid-sentence by
  the columns, several articles closed by ``(据…)`` lines, or a list of headlines on top)
  are read block by block (:mod:`.printed`).
* **Web pages**, everything else, hold one article among chrome: each line is classified
  as prose, short, meta or boilerplate, the run with most prose is the body, the headline
  is the short line above it that shares words with the lead, and meta lines give the
  date, sources and reporters (:mod:`.web`, :mod:`.boilerplate`, :mod:`.meta`).

On every page the reporters may also come from the lead's credit (``本报讯(记者 X)``), and
a date in the file's path (``2023-10-24/06.txt``) is the last resort for the date.
"""

from __future__ import annotations

import hashlib
import re

from swreader.core.pages import web
from swreader.core.pages.genre import not_an_article
from swreader.core.pages.html import html_lines, looks_like_html
from swreader.core.pages.meta import lead_credit, path_date
from swreader.core.pages.model import PARSER_VERSION, Article, Damaged, Kind
from swreader.core.pages.printed import Draft, is_epaper, is_print, print_drafts
from swreader.core.pages.regions import locate
from swreader.core.text.clean import find_chrome, find_damaged, page_date, strip_pinyin
from swreader.core.text.convert import simplify_chars as to_simplified

__all__ = ["PARSER_VERSION", "NotAnArticle", "parse_page"]

_SPACES = re.compile(r"\s+")


def _article_id(page: str, simple_title: str, seen: dict[str, int]) -> str:
    """The article's id, from its title already passed through ``to_simplified``.

    The n-th article of a page with the same title gets ``-n``; ``seen`` counts them, so a
    page of 20,000 identical titles costs 20,000 steps, not 200 million.
    """
    digest = hashlib.sha1(_SPACES.sub("", simple_title).encode("utf-8", "surrogateescape"))
    base = f"{page}-{digest.hexdigest()[:10]}"
    n = seen[base] = seen.get(base, 0) + 1
    return base if n == 1 else f"{base}-{n}"


def _finish(
    draft: Draft, *, page: str, path: str, date: str | None, seen: dict[str, int]
) -> Article:
    paragraphs = [p for p in draft.paragraphs if p.text.strip()]
    damaged: list[Damaged] = []
    for n, para in enumerate(paragraphs):
        damaged += [Damaged(n, s, e) for s, e in find_damaged(para.text)]
    # The whole body: the locator reads its opening first and the rest only if need be.
    body = "\n".join(p.text for p in paragraphs if p.kind is Kind.BODY)
    title = to_simplified(draft.title)
    region = locate(
        to_simplified(draft.kicker) if draft.kicker else None,
        title,
        body,
        to_simplified,
    )
    return Article(
        id=_article_id(page, title, seen),
        page=page,
        path=path,
        title=draft.title,
        kicker=draft.kicker,
        subtitle=draft.subtitle,
        byline=draft.byline or None,
        sources=draft.sources,
        province=region.province,
        city=region.city,
        date=date,
        paragraphs=paragraphs,
        damaged=damaged,
    )


class NotAnArticle(ValueError):
    """The page is not a news article; ``reason`` says what it is (``list of headlines``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not a news article ({reason})")
        self.reason = reason


def _web_drafts(lines: list[str], hints: web.Hints | None) -> tuple[list[Draft], str | None]:
    judged = web.judge(lines)
    reason = not_an_article(judged.lines, judged.kinds, judged.run)
    if reason is not None:
        raise NotAnArticle(reason)
    found = web.extract(judged, hints)
    if found is None:
        return [], None
    draft = Draft(found.title, subtitle=found.subtitle, byline=found.byline)
    draft.sources, draft.paragraphs = found.sources, found.paragraphs
    return [draft], found.date


def parse_page(text: str, *, page: str, path: str = "") -> list[Article]:
    """Cut one page's text into articles.

    Args:
        text: The decoded, normalised page text (or a saved page's HTML).
        page: The page's file stem, used in article ids.
        path: The page's path, kept on each article (a date in it is the last resort).

    Returns:
        The articles, in page order. Titles without bodies and captions are never articles.

    Raises:
        NotAnArticle: The page is a journal abstract, a forum chat, a list of headlines or
            an error page.
    """
    hints = None
    if looks_like_html(text):
        markup, hints = html_lines(text)
        text = "\n".join(markup)
    text = strip_pinyin(text)
    lines = text.split("\n")
    chrome = find_chrome(lines)
    date = chrome.date or page_date("\n".join(lines[:8]))
    if hints is None and (is_epaper(lines, chrome) or is_print(lines)):
        drafts = print_drafts(lines, chrome)
    else:
        drafts, found = _web_drafts(lines, hints)
        date = found or date
    date = date or path_date(path)
    for draft in drafts:
        if not draft.byline:
            body = next((p.text for p in draft.paragraphs if p.kind is Kind.BODY), "")
            draft.byline = lead_credit(body)[0]
    seen: dict[str, int] = {}
    return [_finish(d, page=page, path=path, date=date, seen=seen) for d in drafts]
