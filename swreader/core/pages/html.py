"""Saved web pages: HTML into the lines a reader sees, plus what the markup states outright.

Parsed with selectolax (the Lexbor HTML5 engine: fast, forgiving of broken markup, a
single wheel). Script, style, navigation, footers, asides, forms and hidden elements are
dropped; every block element ends a line, inline elements run on. The lines then go
through the same classifier as a text page (:mod:`swreader.core.pages.web`), so a saved
page and its copied text read the same.

The markup's own statements are kept as :class:`~swreader.core.pages.web.Hints`: the
headline (``<h1>``, ``og:title``, ``<title>`` without the site name), the publication date
(``article:published_time``, ``<time datetime>``, JSON-LD ``datePublished``) and the site
(``og:site_name``).
"""

from __future__ import annotations

import json
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from swreader.core.pages.meta import find_date
from swreader.core.pages.web import Hints, clean_title

__all__ = ["html_lines", "looks_like_html"]

_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|meta|body|title)\b", re.IGNORECASE)
_TAGS = re.compile(r"</?(?:p|div|span|br|a|td|li|h[1-6])\b", re.IGNORECASE)
_DROP = (
    "script, style, noscript, template, svg, iframe, nav, footer, aside, form, button, "
    "select, textarea, object, embed, [hidden], [style*='display:none'], "
    "[style*='display: none'], [class*='jammer'], [class*='hidden'], [aria-hidden='true']"
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "br",
        "caption",
    ]
)
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "pubdate",
    "publishdate",
    "publish_date",
    "PubDate",
    "datePublished",
    "dc.date",
    "DC.date.issued",
)


def looks_like_html(text: str) -> bool:
    """True when ``text`` is markup rather than a page's text (also a ``.txt`` save)."""
    head = text[:2000]
    return bool(_HTML_START.search(head)) or len(_TAGS.findall(head)) >= 6


def _meta(tree: LexborHTMLParser, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            node = tree.css_first(f'meta[{attr}="{name}"]')
            if node is not None and (content := (node.attributes.get("content") or "").strip()):
                return content
    return None


def _json_ld(tree: LexborHTMLParser) -> dict[str, object]:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and ("headline" in item or "datePublished" in item):
                return item
    return {}


def _hints(tree: LexborHTMLParser) -> Hints:
    ld = _json_ld(tree)
    h1 = next(
        (t for n in tree.css("h1") if 4 <= len(t := " ".join(n.text().split())) <= 80),
        None,
    )
    og = _meta(tree, "og:title", "twitter:title")
    title_node = tree.css_first("title")
    page_title = title_node.text().strip() if title_node is not None else None
    headline = ld.get("headline") if isinstance(ld.get("headline"), str) else None
    titles = [t for t in (h1, headline, og, page_title) if t]
    stamp = _meta(tree, *_DATE_META)
    if stamp is None and isinstance(ld.get("datePublished"), str):
        stamp = str(ld["datePublished"])
    if stamp is None and (node := tree.css_first("time[datetime]")) is not None:
        stamp = node.attributes.get("datetime")
    site = _meta(tree, "og:site_name", "application-name")
    return Hints(
        titles=list(dict.fromkeys(clean_title(" ".join(t.split())) for t in titles)),
        date=find_date(stamp) if stamp else None,
        site=site.strip() if site else None,
    )


def _lines(root: LexborNode) -> list[str]:
    """The text of ``root``, a line per block element (an explicit stack: pages nest deep)."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buf).split())
        if text:
            lines.append(text)
        buf.clear()

    stack: list[LexborNode | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:  # the end of a block element
            flush()
            continue
        if node.tag == "-text":
            buf.append(node.text_content or "")
            continue
        if node.tag in ("-comment", "!doctype"):
            continue
        block = node.tag in _BLOCK
        if block:
            flush()
            stack.append(None)
        children = list(node.iter(include_text=True))
        stack.extend(reversed(children))
    flush()
    return lines


def html_lines(markup: str) -> tuple[list[str], Hints]:
    """The lines a reader sees on a saved page, and what its markup states.

    Args:
        markup: The page's HTML, decoded.

    Returns:
        The visible text as lines, and the hints.
    """
    tree = LexborHTMLParser(markup)
    hints = _hints(tree)
    for node in tree.css(_DROP):
        node.decompose()
    body = tree.body or tree.root
    return (_lines(body) if body is not None else []), hints
