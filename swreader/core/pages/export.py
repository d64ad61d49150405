"""Articles as plain dicts (the JSON Lines schema), in any script, offsets kept true."""

from __future__ import annotations

from typing import Any

from swreader.core.pages.model import Article
from swreader.core.text.convert import convert, convert_paragraph


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
