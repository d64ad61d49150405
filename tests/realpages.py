"""Scoring the parser on the real-page fixtures against their gold reading.

``tests/fixtures/realpages/gold.json`` says, per page, what a careful reader takes from it
(see the README there). :func:`score` reads every page the way the app does and counts
what came out right; ``python -m tests.realpages`` prints the totals and every miss.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from swreader.core.pages.corpus import Page, load_page
from swreader.core.pages.model import Kind

FIXTURES = Path(__file__).parent / "fixtures" / "realpages"
GOLD = json.loads((FIXTURES / "gold.json").read_text(encoding="utf-8"))


@dataclass
class Score:
    """Counts of right answers, out of how many there were, and the misses by page."""

    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def count(self, what: str, ok: bool, page: str, detail: str = "") -> None:
        self.total[what] = self.total.get(what, 0) + 1
        self.right[what] = self.right.get(what, 0) + int(ok)
        if not ok:
            self.misses.append(f"{page}: {what} {detail}")

    def rate(self, what: str) -> float:
        return self.right.get(what, 0) / max(1, self.total.get(what, 0))

    def report(self) -> str:
        rows = [
            f"{k:12} {self.right.get(k, 0):4}/{v:<4} {self.rate(k):.2f}"
            for k, v in self.total.items()
        ]
        return "\n".join(rows)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _score_article(page: Page, gold: dict, score: Score, name: str) -> None:
    arts = page.articles
    score.count("article", bool(arts), name, page.error or "")
    if not arts:
        for what in ("title", "region", "sources", "byline", "date"):
            score.count(what, False, name, "(no article)")
        score.total["figures"] = score.total.get("figures", 0) + len(gold["figures"])
        return
    art = arts[0]
    score.count("title", art.title == gold["title"], name, f"{art.title!r} != {gold['title']!r}")
    got = (art.province, art.city)
    want = (gold["province"], gold["city"])
    score.count("region", got == want, name, f"{got} != {want}")
    score.count(
        "sources", art.sources == gold["sources"], name, f"{art.sources} != {gold['sources']}"
    )
    score.count(
        "byline", art.byline == gold["byline"], name, f"{art.byline!r} != {gold['byline']!r}"
    )
    score.count("date", art.date == gold["date"], name, f"{art.date} != {gold['date']}")
    texts = [p.text for a in arts for p in a.paragraphs if p.kind is not Kind.CAPTION]
    captions = [p.text for a in arts for p in a.paragraphs if p.kind is Kind.CAPTION]
    heads = [x for a in arts for x in (a.title, a.subtitle) if x]
    figures = [(a, f) for a in arts for f in a.figures]
    found = {f.text for _, f in figures}
    for fig in gold["figures"]:
        # The figure as written may carry its approximation (约15.7名, 70%以上): it counts.
        score.count("figures", any(fig in f for f in found), name, fig)
    idioms = 0
    for a, f in figures:
        text = a.paragraphs[f.paragraph].text
        for nf in gold["not_figures"]:
            at = text.find(nf)
            while at >= 0:
                if _overlaps([(f.start, f.end)], at, at + len(nf)):
                    idioms += 1
                    score.misses.append(f"{name}: idiom {nf!r} taken as {f.text!r}")
                at = text.find(nf, at + 1)
    score.right["idioms"] = score.right.get("idioms", 0) + idioms
    for chrome in gold["chrome"]:
        leaked = any(chrome in t for t in texts + heads)
        in_caption = not leaked and any(chrome in t for t in captions)
        # Captions are kept, marked as captions; a photo credit inside one is counted apart.
        score.count("chrome", not leaked, name, repr(chrome))
        score.count("caption_ok", not in_caption, name, repr(chrome))
    body = [p.text for p in art.paragraphs if p.kind is not Kind.CAPTION]
    score.count(
        "body_start",
        bool(body) and gold["body_start"] in body[0][:80],
        name,
        repr(body[0][:30]) if body else "(empty)",
    )
    score.count(
        "body_end",
        bool(body) and gold["body_end"] in body[-1],
        name,
        repr(body[-1][-30:]) if body else "(empty)",
    )


def score() -> Score:
    """Read every fixture page and count what came out right."""
    result = Score()
    for name, gold in GOLD.items():
        page = load_page(FIXTURES / name)
        if gold["article"]:
            _score_article(page, gold, result, name)
        else:
            ok = not page.articles and gold["reason"] in (page.error or "")
            result.count("non_article", ok, name, f"{len(page.articles)} articles; {page.error}")
    return result


if __name__ == "__main__":
    s = score()
    print(s.report())
    print(f"idioms taken for figures: {s.right.get('idioms', 0)}")
    if "-v" in sys.argv:
        print("\n".join(s.misses))
