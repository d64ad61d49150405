"""Articles as plain dicts (the JSON Lines schema), in any script, offsets kept true."""

from __future__ import annotations

import itertools
from typing import Any

from swreader.core.pages.model import Article
from swreader.core.text.convert import convert, convert_spans


def convert_paragraph(
    text: str, spans: list[tuple[int, int]], script: str
) -> tuple[str, dict[int, int]]:
    """Convert a paragraph and map every span boundary to its offset in the result.

    Phrase-level configs (s2twp) change lengths, so the text is cut at every boundary,
    the pieces are converted separately and the offsets are read off the pieces.

    Args:
        text: The paragraph as parsed.
        spans: ``(start, end)`` pairs that must stay addressable; they may overlap.
        script: A name from ``convert.SCRIPTS``.

    Returns:
        The converted text and a map from each original boundary to its new offset.
    """
    cuts = sorted({0, len(text), *(b for span in spans for b in span)})
    pieces = list(itertools.pairwise(cuts))
    if not pieces:
        return convert(text, script), {0: 0}
    converted, new = convert_spans(text, pieces, script)
    mapping = {old[0]: fresh[0] for old, fresh in zip(pieces, new, strict=True)}
    mapping[len(text)] = len(converted)
    return converted, mapping


def article_record(article: Article, script: str = "original") -> dict[str, Any]:
    """One article as a JSON-ready dict in ``script`` (see the README for the schema)."""
    paragraphs = []
    maps = []
    for para, marks in zip(article.paragraphs, article.marks(), strict=True):
        text, mapping = convert_paragraph(para.text, [(s, e) for s, e, _ in marks], script)
        paragraphs.append({"kind": str(para.kind), "text": text})
        maps.append(mapping)

    def opt(value: str | None) -> str | None:
        return convert(value, script) if value else value

    return {
        "id": article.id,
        "page": article.page,
        "title": convert(article.title, script),
        "kicker": opt(article.kicker),
        "subtitle": opt(article.subtitle),
        "byline": opt(article.byline),
        "sources": [convert(s, script) for s in article.sources],
        "province": opt(article.province),
        "city": opt(article.city),
        "date": article.date,
        "script": script,
        "paragraphs": paragraphs,
        "figures": [
            {
                "text": paragraphs[f.paragraph]["text"][
                    maps[f.paragraph][f.start] : maps[f.paragraph][f.end]
                ],
                "kind": f.kind,
                "paragraph": f.paragraph,
                "start": maps[f.paragraph][f.start],
                "end": maps[f.paragraph][f.end],
            }
            for f in article.figures
        ],
        "damaged": [
            {
                "paragraph": d.paragraph,
                "start": maps[d.paragraph][d.start],
                "end": maps[d.paragraph][d.end],
            }
            for d in article.damaged
        ],
    }
