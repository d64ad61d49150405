"""Print pages: the paper's columns as text, several articles to a page.

Two layouts are read here:

* **Print pages** (the newspaper's columns as text): articles follow one another, each with
  an optional region kicker, a title, an optional subtitle and byline, body blocks, and
  usually a closing ``(据…)`` line. Columns break paragraphs mid-word, and photo captions,
  set off by extra blank lines, land between the halves.
* **E-paper pages**: navigation chrome, an edition list and a list of headlines precede the
  content. Articles start only at headlines from that list whose bodies are on the page.

Heuristics, in the order they apply to a short unfinished block inside an article:
caption if set off by two or more blank lines or credited (``图片来源``); title if a byline
follows or its *title score* reaches 3 (starts with a region +2, 20+ characters +2,
book-title marks +1, the current article is bylined and has no subheads yet +1); subhead
otherwise. A caption left over at the end of a page goes to the article it shares the
most character pairs with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from swreader.core.pages import blocks as bk
from swreader.core.pages.blocks import Block
from swreader.core.pages.model import Kind, Paragraph
from swreader.core.pages.regions import is_region_line, starts_with_region
from swreader.core.text.clean import Chrome
from swreader.core.text.convert import simplify_chars as to_simplified

__all__ = ["Draft", "is_epaper", "is_print", "print_drafts"]

_TITLE_SCORE = 3
_MAX_TITLE = 60
_LOOKAHEAD = 3
_BLANK_AFTER = 0.7
_FRAGMENTS = 0.25


@dataclass(slots=True)
class Draft:
    title: str
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    sources: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    closed: bool = False

    def add(self, kind: Kind, text: str) -> None:
        self.paragraphs.append(Paragraph(kind, text))

    @property
    def has_body(self) -> bool:
        return any(p.kind is not Kind.CAPTION for p in self.paragraphs)


_SPACES = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACES.sub("", to_simplified(text))


class _PageParser:
    """One pass over a page's blocks, producing article drafts and orphan captions."""

    def __init__(self, blocks: list[Block], *, titles: list[str] | None = None) -> None:
        self.blocks = blocks
        self.listed = {_squash(t) for t in titles or []}
        self.drafts: list[Draft] = []
        self.orphans: list[str] = []
        self.i = 0

    # -- helpers -----------------------------------------------------------------------
    def _peek(self, k: int = 1) -> Block | None:
        j = self.i + k
        return self.blocks[j] if j < len(self.blocks) else None

    @property
    def cur(self) -> Draft | None:
        return self.drafts[-1] if self.drafts and not self.drafts[-1].closed else None

    def _is_listed(self, text: str) -> bool:
        return _squash(text) in self.listed

    def _title_score(self, text: str, draft: Draft) -> int:
        score = 2 if starts_with_region(to_simplified(text)) else 0
        score += 2 if len(text) >= 20 else 0
        score += 1 if "《" in text else 0
        bylined = draft.byline and not any(p.kind is Kind.SUBHEAD for p in draft.paragraphs)
        return score + (1 if bylined else 0)

    def _looks_captiony(self, block: Block) -> bool:
        text = block.text
        return bk.is_caption_marked(text) or (bk.is_headline_like(text) and block.gap >= 2)

    # -- driver ------------------------------------------------------------------------
    def run(self) -> tuple[list[Draft], list[str]]:
        while self.i < len(self.blocks):
            if self.listed:
                self._web_step()
            elif self.cur is None:
                self._start_step()
            else:
                self._body_step(self.cur)
        return self.drafts, self.orphans

    def _web_step(self) -> None:
        block = self.blocks[self.i]
        if self._is_listed(block.text):
            if self.cur:
                self.cur.closed = True
            draft = Draft(block.text)
            self.drafts.append(draft)
            self.i += 1
            nxt = self._peek(0)
            # A web page puts the lead photo right under the headline.
            if nxt and bk.is_headline_like(nxt.text) and not self._is_listed(nxt.text):
                draft.add(Kind.CAPTION, nxt.text)
                self.i += 1
        elif self.cur is None:
            self.i += 1  # content outside any listed article: chrome we did not know
        else:
            self._body_step(self.cur, detect_titles=False)

    def _start_step(self) -> None:
        block = self.blocks[self.i]
        text = block.text
        nxt = self._peek()
        if bk.SOURCE.match(text) and self.drafts:
            self.drafts[-1].sources += bk.split_sources(bk.SOURCE.match(text)["src"])
            self.i += 1
            return
        # Only after an article can a caption be left over; at the top of a page the
        # leading blank lines mean nothing.
        if self.drafts and (
            bk.is_caption_marked(text)
            or (
                bk.is_headline_like(text)
                and block.gap >= 2
                and nxt
                and bk.is_headline_like(nxt.text)
                and not bk.is_byline(nxt.text)
            )
        ):
            self.orphans.append(" ".join(block.lines))
            self.i += 1
            return
        kicker = None
        if is_region_line(to_simplified(text)) and nxt and not bk.is_complete(nxt.text):
            kicker, self.i = text, self.i + 1
            text = self.blocks[self.i].text
        if bk.is_complete(text) or len(text) > _MAX_TITLE or bk.is_byline(text):
            # Body text with no headline: it continues the article before it.
            if self.drafts and kicker is None:
                self.drafts[-1].closed = False
                return
            title = re.split(r"[，,。；;：:]", text)[0][:24] + "…"
            self.drafts.append(Draft(title, kicker=kicker))
            return
        self._open(text, kicker)

    def _open(self, title: str, kicker: str | None) -> None:
        """Start an article at the block under ``self.i`` and read its header."""
        if self.cur:
            self.cur.closed = True
        draft = Draft(title, kicker=kicker)
        self.drafts.append(draft)
        self.i += 1
        nxt = self._peek(0)
        if nxt and bk.is_byline(nxt.text):
            draft.byline = bk.byline_names(nxt.text)
            self.i += 1
            return
        if (
            nxt
            and nxt.gap <= 1
            and len(nxt.text) <= bk.SHORT
            and not bk.is_complete(nxt.text)
            and not bk.is_caption_marked(nxt.text)
            and not bk.SOURCE.match(nxt.text)
        ):
            draft.subtitle = nxt.text
            self.i += 1
            after = self._peek(0)
            if after and bk.is_byline(after.text):
                draft.byline = bk.byline_names(after.text)
                self.i += 1

    def _body_step(self, draft: Draft, *, detect_titles: bool = True) -> None:
        block = self.blocks[self.i]
        text = block.text
        listed = bk.is_list_block(block)
        if listed:
            for item in bk.list_items(block):
                draft.add(Kind.LIST, item)
        # A source line stands alone, or ends a list.
        source = bk.SOURCE.match(block.lines[-1] if listed else text)
        if source:
            # The (据…) line closes a print article; on a web page the next listed
            # headline does.
            draft.sources += bk.split_sources(source["src"])
            draft.closed = detect_titles
        if source or listed:
            self.i += 1
            return
        if bk.is_caption_marked(text):
            draft.add(Kind.CAPTION, " ".join(block.lines))
            self.i += 1
            return
        if bk.is_fragment(text):
            self._join_fragment(draft)
            return
        if bk.is_headline_like(text):
            self._headline_in_body(draft, block, detect_titles)
            return
        draft.add(Kind.BODY, text)
        self.i += 1

    def _headline_in_body(self, draft: Draft, block: Block, detect_titles: bool) -> None:
        text = block.text
        nxt = self._peek()
        if block.gap >= 2 and detect_titles:
            draft.add(Kind.CAPTION, text)
            self.i += 1
            return
        if detect_titles:
            if nxt and bk.is_byline(nxt.text):
                self._open(text, None)
                return
            simple = to_simplified(text)
            if is_region_line(simple) and nxt and bk.is_headline_like(nxt.text):
                self.i += 1
                self._open(nxt.text, text)
                return
            if self._title_score(text, draft) >= _TITLE_SCORE:
                self._open(text, None)
                return
        draft.add(Kind.SUBHEAD, text)
        self.i += 1

    def _join_fragment(self, draft: Draft) -> None:
        """Rejoin a paragraph the columns cut, moving captions found inside it after it."""
        parts = [self.blocks[self.i].text]
        captions: list[str] = []
        self.i += 1
        while bk.is_fragment(parts[-1]):
            found = None
            for k in range(_LOOKAHEAD):
                cand = self._peek(k)
                if cand is None or bk.SOURCE.match(cand.text) or bk.is_byline(cand.text):
                    break
                if self._looks_captiony(cand) or bk.is_headline_like(cand.text):
                    if self._is_listed(cand.text):
                        break
                    continue
                found = k
                break
            if found is None:
                break
            captions += [" ".join(self.blocks[self.i + k].lines) for k in range(found)]
            parts.append(self.blocks[self.i + found].text)
            self.i += found + 1
        draft.add(Kind.BODY, bk.join_text(parts))
        for caption in captions:
            draft.add(Kind.CAPTION, caption)


def _bigrams(text: str) -> set[str]:
    simple = _squash(text)
    return {simple[i : i + 2] for i in range(len(simple) - 1)}


def _home_for(caption: str, drafts: list[Draft]) -> Draft:
    """The article an orphan caption most likely belongs to: most shared bigrams."""
    grams = _bigrams(caption)

    def overlap(d: Draft) -> int:
        return len(grams & _bigrams(d.title + "".join(p.text for p in d.paragraphs[:3])))

    return max(drafts, key=overlap)


def is_print(lines: list[str]) -> bool:
    """A print page: lines set apart by blank lines, many cut mid-sentence by the columns,
    or several articles closed by ``(据…)`` lines and ``■ 本报记者`` bylines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 3:
        return False
    apart = sum(1 for i in filled if i + 1 >= len(lines) or not lines[i + 1].strip())
    texts = [lines[i].strip() for i in filled]
    marks = sum(1 for t in texts if bk.SOURCE.match(t) or bk.is_byline(t))
    if marks >= 2 and 2 * apart >= len(filled):  # several articles, lists between them
        return True
    if apart < _BLANK_AFTER * len(filled):
        return False
    # Column cuts: a web page may set blank lines between its lines, but not mid-sentence.
    cuts = sum(1 for t in texts if _is_column_cut(t))
    return cuts >= 3 and cuts >= _FRAGMENTS * len(texts)


def _is_column_cut(text: str) -> bool:
    """Prose that stops mid-sentence: the column ended, the paragraph goes on below."""
    return len(text) >= 20 and bk.is_fragment(text) and bool(re.search(r"[，、。；]", text))


def is_epaper(lines: list[str], chrome: Chrome) -> bool:
    """An e-paper page: a list of headlines on top, one of them repeated over its story."""
    if not chrome.titles:
        return False
    listed = {_squash(title) for title in chrome.titles}
    return any(_squash(lines[i]) in listed for i in range(chrome.content_start, len(lines)))


def print_drafts(lines: list[str], chrome: Chrome) -> list[Draft]:
    """The articles of a print page (or an e-paper page with its list of headlines)."""
    skip = chrome.lines | set(range(chrome.content_start))
    blocks = bk.split_blocks(lines, skip)
    drafts, orphans = _PageParser(blocks, titles=chrome.titles).run()
    if chrome.titles and not drafts:
        # The headline list matched nothing: read the content as a print page.
        drafts, orphans = _PageParser(blocks).run()
    homeless: list[str] = []
    for draft in drafts:
        if not draft.has_body:
            homeless += [p.text for p in draft.paragraphs]
    drafts = [d for d in drafts if d.has_body]
    for caption in orphans + homeless:
        if drafts:
            _home_for(caption, drafts).add(Kind.CAPTION, caption)
    return drafts
