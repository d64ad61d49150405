"""Synthesise an archive of N articles from the seed pages: ``make_corpus.py N DIR``.

Articles are recombined from the seeds' own titles, kickers, bylines, paragraphs and source
lines, about the seeds' length, laid out as real pages: print pages of three articles
(simplified), and one page in five as a traditional web page with chrome and a headline
list. The output is deterministic for a given N (seeded random).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from swreader.core.pages.corpus import bundled_seeds, load_corpus
from swreader.core.pages.model import Kind
from swreader.core.text.convert import convert

PER_PAGE = 3
TARGET_CHARS = 3000


def _pools() -> tuple[list[str], list[str], list[str], list[str]]:
    corpus = load_corpus([bundled_seeds()])
    articles = corpus.articles
    titles = [convert(a.title, "simplified") for a in articles]
    bodies = [
        convert(p.text, "simplified")
        for a in articles
        for p in a.paragraphs
        if p.kind is Kind.BODY and len(p.text) > 40 and "?" not in p.text
    ]
    subheads = [
        convert(p.text, "simplified")
        for a in articles
        for p in a.paragraphs
        if p.kind is Kind.SUBHEAD
    ]
    sources = sorted({convert(s, "simplified") for a in articles for s in a.sources})
    return titles, bodies, subheads, sources


def _article(
    rng: random.Random, n: int, pools: tuple[list[str], ...], *, last: bool = True
) -> tuple[str, list[str], str]:
    titles, bodies, subheads, sources = pools
    title = f"{rng.choice(titles)}({n})"
    paragraphs: list[str] = []
    size = 0
    while size < TARGET_CHARS:
        if paragraphs and rng.random() < 0.12:
            paragraphs.append(rng.choice(subheads))
        text = rng.choice(bodies)
        paragraphs.append(text)
        size += len(text)
    # The paper's own reporting (byline, no source line) only ends a page: in print it is
    # followed by a headline the parser may take for a subhead, as a reader might.
    own = last and rng.random() < 0.5
    closing = "" if own else f"(据{rng.choice(sources)})"
    return title, paragraphs, closing


def _print_page(rng: random.Random, start: int, pools: tuple[list[str], ...]) -> str:
    out = [""]
    for n in range(start, start + PER_PAGE):
        title, paragraphs, closing = _article(rng, n, pools, last=n == start + PER_PAGE - 1)
        out.append(title)
        if not closing:
            out.append("■ 本报记者 皮磊")
        out += paragraphs
        if closing:
            out.append(closing)
    return "\n\n".join(out) + "\n"


def _web_page(rng: random.Random, n: int, pools: tuple[list[str], ...]) -> str:
    title, paragraphs, closing = _article(rng, n, pools)
    trad = [convert(p, "traditional") for p in paragraphs]
    head = [
        "首頁 | 版面導航 | 標題導航",
        "   第06版:社會工作",
        "   第07版:社會工作",
        convert(title, "traditional"),
        "",
        "版面目錄",
        "",
        "新聞內容",
        "2023年10月24日 星期二上一期下一期",
        convert(title, "traditional"),
        "",
    ]
    body = ["    " + p + "\n" for p in trad]
    tail = ["    " + convert(closing or "(据河北新闻网)", "traditional")]
    return "\n".join(head) + "\n" + "\n".join(body) + "\n" + "\n".join(tail) + "\n"


def make(n_articles: int, out: Path, seed: int = 7) -> int:
    """Write pages holding ``n_articles`` articles into ``out``; return the page count."""
    rng = random.Random(seed)
    pools = _pools()
    out.mkdir(parents=True, exist_ok=True)
    made = pages = 0
    while made < n_articles:
        folder = out / f"{pages // 500:03d}"
        folder.mkdir(exist_ok=True)
        if pages % 5 == 4:
            text, count = _web_page(rng, made, pools), 1
        else:
            count = min(PER_PAGE, n_articles - made)
            text = _print_page(rng, made, pools)
            if count < PER_PAGE:
                text = _web_page(rng, made, pools)
                count = 1
        (folder / f"page_{pages:06d}.txt").write_text(text, encoding="utf-8")
        made += count
        pages += 1
    return pages


def main() -> None:
    """Command line: ``make_corpus.py N DIR``."""
    if len(sys.argv) != 3:
        sys.exit("usage: make_corpus.py N DIR")
    pages = make(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {pages} pages to {sys.argv[2]}")


if __name__ == "__main__":
    main()
