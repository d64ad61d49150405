"""A warm start holds the articles' headers only; paragraphs come from the library on use."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from swreader.core.pages.corpus import bundled_seeds
from swreader.core.search.persist import cached_index
from swreader.core.store.pagecache import open_corpus

SEEDS = bundled_seeds()


def _archive(folder: Path, copies: int) -> Path:
    """``copies`` folders of the seed pages (each copy is its own set of articles)."""
    for n in range(copies):
        sub = folder / f"{n:03d}"
        sub.mkdir(parents=True)
        for seed in SEEDS.glob("*.txt"):
            (sub / seed.name).write_bytes(seed.read_bytes())
    return folder


def test_a_warm_start_reads_no_paragraph_until_one_is_used(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a", 3)
    first, _ = open_corpus([archive])
    expected = {a.id: [p.text for p in a.paragraphs] for a in first.articles}
    cached_index(first)

    corpus, notices = open_corpus([archive])
    index = cached_index(corpus)  # a warm start: the stored index fits without the texts
    assert notices == [] and not any(a.body_loaded for a in corpus.articles)
    assert [a.paragraph_count for a in corpus.articles] == [len(v) for v in expected.values()]

    opened = corpus.articles[4]
    assert [p.text for p in opened.paragraphs] == expected[opened.id]
    page = next(p for p in corpus.pages if any(a is opened for a in p.articles))
    siblings = {a.id for a in page.articles}
    assert {a.id for a in corpus.articles if a.body_loaded} == siblings  # its page, no more

    hits = index.search("社工站")  # a hit's text is read for its snippet, on demand
    assert hits and all(index.snippet(h)[0] for h in hits)
    assert {a.id: [p.text for p in a.paragraphs] for a in corpus.articles} == expected


def _held(archive: Path, read_bodies: bool) -> int:
    """Bytes allocated by a warm open (and, if asked, by reading every body)."""
    gc.collect()
    tracemalloc.start()
    corpus, _ = open_corpus([archive])
    if read_bodies:
        for article in corpus.articles:
            assert article.paragraphs
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del corpus
    return held


def test_memory_does_not_grow_with_articles_never_opened(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a", 12)
    open_corpus([archive])  # cold: parse and store
    headers = _held(archive, read_bodies=False)
    everything = _held(archive, read_bodies=True)
    assert headers < everything / 2, (headers, everything)


def test_an_articles_repr_reads_no_body(tmp_path: Path) -> None:
    # Textual names a worker by the repr of its arguments: the reader's conversion worker
    # gets the article, so a repr that read the body did it on the UI thread.
    archive = _archive(tmp_path / "a", 1)
    open_corpus([archive])
    corpus, _ = open_corpus([archive])
    article = corpus.articles[0]
    text = repr(article)
    assert not article.body_loaded
    assert article.id in text and f"paragraphs={article.paragraph_count}" in text
