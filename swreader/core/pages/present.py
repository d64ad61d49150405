"""An article made ready to show in one script: converted text with styled spans.

The reader highlights figures, damaged runs and search matches. Their offsets are kept in
the parser's (original) coordinates; this module converts each paragraph once per script
and maps the offsets, so phrase-level conversion (s2twp) never shifts a highlight.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from swreader.core.pages.model import Article, Kind
from swreader.core.text.convert import convert, convert_paragraph


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A styled run in a shown paragraph.

    Attributes:
        start: Offset in the converted text.
        end: End offset (exclusive) in the converted text.
        kind: A figure kind (``count``, ``money``…), ``damaged`` or ``match``.
    """

    start: int
    end: int
    kind: str


@dataclass(slots=True)
class ShownParagraph:
    """One paragraph in the chosen script.

    Attributes:
        kind: The paragraph kind.
        text: The converted text.
        spans: Styled runs, sorted by start.
        cuts: Original offset → converted offset at every span boundary.
    """

    kind: Kind
    text: str
    spans: list[Span] = field(default_factory=list)
    cuts: dict[int, int] = field(default_factory=dict)

    def to_shown(self, offset: int) -> int:
        """Map an offset in the original text to the converted text (nearest cut below)."""
        keys = sorted(self.cuts)
        i = bisect.bisect_right(keys, offset) - 1
        if i < 0:
            return min(offset, len(self.text))
        base = keys[i]
        return min(self.cuts[base] + (offset - base), len(self.text))

    def to_original(self, offset: int) -> int:
        """Map an offset in the converted text back to the original text."""
        pairs = sorted((v, k) for k, v in self.cuts.items())
        i = bisect.bisect_right([p[0] for p in pairs], offset) - 1
        if i < 0:
            return offset
        shown, original = pairs[i]
        return original + (offset - shown)


@dataclass(slots=True)
class Shown:
    """An article ready for the reader, in one script."""

    article_id: str
    script: str
    title: str
    kicker: str | None
    subtitle: str | None
    byline: str | None
    sources: list[str]
    region: str | None
    date: str | None
    paragraphs: list[ShownParagraph]
    figures: list[tuple[int, Span]]

    def figure_text(self, index: int) -> str:
        """The text of figure ``index`` as shown."""
        n, span = self.figures[index]
        return self.paragraphs[n].text[span.start : span.end]


def present(
    article: Article, script: str, matches: dict[int, list[tuple[int, int]]] | None = None
) -> Shown:
    """Convert ``article`` to ``script`` and place its figures, damage and search matches.

    Args:
        article: The parsed article.
        script: A name from ``convert.SCRIPTS``.
        matches: Search matches per paragraph index, in original offsets.

    Returns:
        The article as the reader shows it.
    """
    matches = matches or {}
    paragraphs: list[ShownParagraph] = []
    figures: list[tuple[int, Span]] = []
    for n, (para, raw) in enumerate(zip(article.paragraphs, article.marks(), strict=True)):
        raw += [(s, e, "match") for s, e in matches.get(n, []) if 0 <= s < e <= len(para.text)]
        text, cuts = convert_paragraph(para.text, [(s, e) for s, e, _ in raw], script)
        spans = sorted(Span(cuts[s], cuts[e], kind) for s, e, kind in raw)
        paragraphs.append(ShownParagraph(para.kind, text, spans, cuts))
        figures += [(n, s) for s in spans if s.kind not in ("damaged", "match")]

    def opt(value: str | None) -> str | None:
        return convert(value, script) if value else None

    region = article.region_label or None
    return Shown(
        article_id=article.id,
        script=script,
        title=convert(article.title, script),
        kicker=opt(article.kicker),
        subtitle=opt(article.subtitle),
        byline=opt(article.byline),
        sources=[convert(s, script) for s in article.sources],
        region=opt(region),
        date=article.date,
        paragraphs=paragraphs,
        figures=figures,
    )
