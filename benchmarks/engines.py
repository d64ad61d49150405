"""Side-by-side search engines on the same documents: today's index, SQLite FTS5, tantivy.

Usage::

    python benchmarks/make_corpus.py 100000 /tmp/c100k      # once
    python benchmarks/engines.py [--corpus DIR ...] [--swreader SRC] [--json OUT]

Corpora default to ``/tmp/c10k`` and ``/tmp/c100k``; ``--swreader`` imports swreader from
``SRC`` (default: this checkout), e.g. a ``git archive HEAD`` copy to measure the committed
engine while the working tree changes. Per corpus, a ``--prepare`` subprocess loads the
articles through the page cache (``SWREADER_HOME=/tmp/enginebench_home_<N>``, ``N`` the
directory name without its leading ``c``), pickles the documents (every title, then every
paragraph, numbered as the current index does) to ``/tmp/enginebench_docs_<N>.pkl`` and
counts brute-force matches; then one subprocess per engine (``--engine NAME``) builds it, so
each RSS figure is that engine's own. Progress goes to stderr (partial figures of a slow arm).

FTS5 and tantivy index the same token strings: the folded text (:func:`normalise`) without
its non-word characters, as overlapping character pairs plus its last character alone.
A term of two characters or more is the phrase of its pairs, a one-character term a prefix.
Queries are every prefix of :data:`QUERIES` and :data:`TERMS`, each timed :data:`ROUNDS`
times (median). tantivy is optional: without it that arm is skipped.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import importlib.util
import json
import multiprocessing
import os
import pickle
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ("许昌社会工作", "社工站建设", "臨滄市社會工作", "儿童 关爱")
QUERIES += ("乡镇街道社工站", "社会工作服务中心", "孵化培育體系")
TERMS = ("社", "社工", "关爱")
ROUNDS = 3
TOP = 50
ENGINES = ("current", "fts5", "tantivy")
_STRIP = re.compile(r"[\W_]+")
KEYSTROKES = [q[:k] for q in QUERIES for k in range(1, len(q) + 1)] + list(TERMS)
"""Every query as typed, one character at a time, then the full terms."""
FINALS = list(QUERIES) + list(TERMS)
"""The queries whose recall is reported."""
_TEXTS: list[str] = []  # the documents, for the forked tokenizer workers


def rss_mb(field: str = "VmRSS") -> float:
    """A memory figure of this process from ``/proc/self/status``, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def release() -> None:
    """Collect garbage and hand freed heap back to the system, for a fair RSS."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)


def fold(text: str) -> str:
    """``text`` folded for matching, without its non-word characters."""
    from swreader.core.text.fold import normalise

    return _STRIP.sub("", normalise(text)[0])


def pairs(s: str) -> list[str]:
    """The overlapping character pairs of ``s``: ``社会工作`` → ``社会 会工 工作``."""
    return [s[i : i + 2] for i in range(len(s) - 1)]


def bigrams(s: str) -> str:
    """``社会工作`` → ``社会 会工 工作 作`` (a one-character text is itself)."""
    return " ".join([*pairs(s), s[-1]]) if s else ""


def tokenize(text: str) -> str:
    """The token string indexed for one document."""
    return bigrams(fold(text))


def _tokenize_range(bounds: tuple[int, int]) -> list[str]:
    return [tokenize(t) for t in _TEXTS[bounds[0] : bounds[1]]]


def tokenize_all(texts: list[str], processes: int) -> tuple[list[str], float]:
    """Token strings of every document and the seconds taken (forked workers read texts)."""
    global _TEXTS
    start = time.perf_counter()
    if processes <= 1:
        out = [tokenize(t) for t in texts]
    else:
        _TEXTS = texts
        step = 5000
        chunks = [(i, i + step) for i in range(0, len(texts), step)]
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            out = [t for part in pool.imap(_tokenize_range, chunks) for t in part]
        _TEXTS = []
    return out, time.perf_counter() - start


def query_terms(query: str) -> list[str]:
    """The distinct folded, stripped terms of a query."""
    return list(dict.fromkeys(t for t in map(fold, query.split()) if t))


def log(message: str) -> None:
    """A progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


def time_queries(fn: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    """Median milliseconds of :data:`ROUNDS` calls of ``fn`` per query (round robin)."""
    runs: list[list[float]] = [[] for _ in queries]
    for _ in range(ROUNDS):
        for i, q in enumerate(queries):
            start = time.perf_counter()
            fn(q)
            runs[i].append((time.perf_counter() - start) * 1000)
    return [statistics.median(r) for r in runs]


# -- the arms (each in its own subprocess) -------------------------------------------------


def prepare(corpus: Path, docs: Path) -> dict[str, Any]:
    """Load a corpus, pickle its documents, count brute-force matches of the final queries."""
    from swreader.core.store.pagecache import open_corpus

    start = time.perf_counter()
    articles = open_corpus([corpus])[0].articles
    texts = [a.title for a in articles] + [p.text for a in articles for p in a.paragraphs]
    log(f"loaded {len(articles):,} articles in {time.perf_counter() - start:.1f} s")
    docs.write_bytes(pickle.dumps(texts, protocol=pickle.HIGHEST_PROTOCOL))
    folded = [fold(t) for t in texts]
    truth = {}
    for q in FINALS:
        terms = query_terms(q)
        ids = [d for d, t in enumerate(folded) if all(term in t for term in terms)]
        truth[q] = [len(ids), sum(ids)]
    chars = sum(map(len, texts))
    return {"articles": len(articles), "docs": len(texts), "chars": chars, "truth": truth}


def arm_current(corpus: Path) -> dict[str, Any]:
    """Today's engine: build, time, and check its hits against the brute-force predicate."""
    from swreader.core.search.engine import SearchIndex
    from swreader.core.store.pagecache import open_corpus

    articles = open_corpus([corpus])[0].articles
    release()
    base = rss_mb()
    start = time.perf_counter()
    index = SearchIndex(articles)
    build = time.perf_counter() - start
    log(f"current: built in {build:.1f} s")
    release()
    out = {"build": build, "size": index.memory() / 2**20, "base": base, "rss": rss_mb()}
    ids = {a.id: i for i, a in reversed(list(enumerate(articles)))}  # the first one wins
    out["top"] = time_queries(lambda q: index.search(q, limit=TOP), KEYSTROKES)
    out["count"] = time_queries(lambda q: index.search(q, limit=10**9), KEYSTROKES)
    found = {}
    for q in FINALS:
        terms = query_terms(q)
        hits = index.search(q, limit=10**9)
        uniq = {(ids[h.article_id], h.paragraph): h for h in hits}
        exact = sum(all(t in fold(index.text_of(h)) for t in terms) for h in uniq.values())
        strong = sum(h.score >= 100 for h in uniq.values())
        found[q] = {"hits": len(uniq), "exact": exact, "score100": strong}
    out["found"] = found
    return out


def fts5_query(query: str) -> str:
    """The FTS5 MATCH expression of a query."""
    terms = query_terms(query)
    return " AND ".join(f'"{" ".join(pairs(t))}"' if len(t) > 1 else f'"{t}"*' for t in terms)


def arm_fts5(docs: Path) -> dict[str, Any]:
    """SQLite FTS5, contentless, positions, on disk in a temp dir."""
    texts = pickle.loads(docs.read_bytes())
    release()
    base = rss_mb()
    tokens, tok1 = tokenize_all(texts, 1)
    log(f"fts5: tokenized in {tok1:.1f} s (1 process)")
    pooled, tok2 = tokenize_all(texts, 2)
    log(f"fts5: tokenized in {tok2:.1f} s (2 processes)")
    assert pooled == tokens
    del pooled, texts
    tmp = tempfile.TemporaryDirectory(prefix="enginebench_fts5_")
    path = Path(tmp.name) / "f.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    start = time.perf_counter()
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(b, content='', detail=full, tokenize='ascii')")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO f(rowid, b) VALUES (?, ?)", enumerate(tokens, 1))
    conn.execute("COMMIT")
    insert = time.perf_counter() - start
    conn.execute("INSERT INTO f(f) VALUES('optimize')")
    build = time.perf_counter() - start
    log(f"fts5: built in {build:.1f} s (insert {insert:.1f} s)")
    del tokens
    release()
    out = {"build": build, "insert": insert, "tok1": tok1, "tok2": tok2, "base": base}
    out |= {"rss": rss_mb(), "size": path.stat().st_size / 2**20}

    def top(q: str) -> list[int]:
        sql = "SELECT rowid FROM f WHERE f MATCH ? ORDER BY rowid LIMIT 50"
        return [r for (r,) in conn.execute(sql, (fts5_query(q),))]

    def count(q: str) -> int:
        sql = "SELECT count(*) FROM f WHERE f MATCH ?"
        return conn.execute(sql, (fts5_query(q),)).fetchone()[0]

    out["top"] = time_queries(top, KEYSTROKES)
    out["count"] = time_queries(count, KEYSTROKES)
    sql = "SELECT count(*), coalesce(sum(rowid - 1), 0) FROM f WHERE f MATCH ?"
    out["found"] = {q: list(conn.execute(sql, (fts5_query(q),)).fetchone()) for q in FINALS}
    conn.close()
    tmp.cleanup()
    return out


def arm_tantivy(docs: Path) -> dict[str, Any]:
    """tantivy: whitespace tokenizer with positions, a u64 fast field for document order."""
    import tantivy

    texts = pickle.loads(docs.read_bytes())
    release()
    base = rss_mb()
    tokens, tok1 = tokenize_all(texts, 1)
    log(f"tantivy: tokenized in {tok1:.1f} s (1 process)")
    del texts
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("b", tokenizer_name="whitespace", index_option="position")
    sb.add_unsigned_field("rank", fast=True)
    schema = sb.build()
    tmp = tempfile.TemporaryDirectory(prefix="enginebench_tantivy_")
    index = tantivy.Index(schema, path=tmp.name)
    start = time.perf_counter()
    writer = index.writer(512_000_000, num_threads=2)
    for d, t in enumerate(tokens):
        doc = tantivy.Document()
        doc.add_text("b", t)
        doc.add_unsigned("rank", d)
        writer.add_document(doc)
    added = time.perf_counter() - start
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build = time.perf_counter() - start
    log(f"tantivy: built in {build:.1f} s (adding {added:.1f} s)")
    del tokens
    release()
    searcher = index.searcher()
    size = sum(p.stat().st_size for p in Path(tmp.name).iterdir()) / 2**20
    out = {"build": build, "insert": added, "tok1": tok1, "base": base, "rss": rss_mb()}
    out |= {"size": size, "segments": searcher.num_segments}

    def term(t: str) -> tantivy.Query:
        # A phrase needs two tokens or more (one panics); a regex prefix has no expansion cap.
        if len(t) == 1:
            return tantivy.Query.regex_query(schema, "b", re.escape(t) + ".*")
        if len(t) == 2:
            return tantivy.Query.term_query(schema, "b", t)
        return tantivy.Query.phrase_query(schema, "b", pairs(t))

    def query(q: str) -> tantivy.Query:
        parts = [term(t) for t in query_terms(q)]
        must = [(tantivy.Occur.Must, p) for p in parts]
        return parts[0] if len(parts) == 1 else tantivy.Query.boolean_query(must)

    asc = tantivy.Order.Asc
    out["top"] = time_queries(
        lambda q: searcher.search(query(q), TOP, order_by_field="rank", order=asc).hits,
        KEYSTROKES,
    )
    # A limit of 0 panics in the binding (0.27): count with a top-1 collector.
    out["count"] = time_queries(
        lambda q: searcher.search(query(q), 1, count=True, order_by_field="rank").count,
        KEYSTROKES,
    )
    total = {"s": {"sum": {"field": "rank"}}}
    out["found"] = {
        q: [
            searcher.search(query(q), 1, count=True).count,
            int(searcher.aggregate(query(q), total)["s"]["value"] or 0),
        ]
        for q in FINALS
    }
    tmp.cleanup()
    return out


# -- the driver -----------------------------------------------------------------------------


def run(args: list[str], home: str) -> dict[str, Any] | None:
    """Run this script in a subprocess; its JSON answer, or None if it failed."""
    env = dict(os.environ, SWREADER_HOME=home)
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        log(f"{' '.join(args)}: exit status {done.returncode}")
        return None
    return json.loads(done.stdout)


def compare(corpus: Path, source: Path) -> dict[str, Any]:
    """Prepare one corpus and run every engine on it, each in its own subprocess."""
    name = corpus.name.removeprefix("c")
    home, docs = f"/tmp/enginebench_home_{name}", f"/tmp/enginebench_docs_{name}.pkl"
    common = ["--corpus", str(corpus), "--docs-pickle", docs, "--swreader", str(source)]
    prep = run(["--prepare", *common], home)
    if prep is None:
        raise SystemExit(f"could not load {corpus}")
    log(f"{name}: {prep['articles']:,} articles, {prep['docs']:,} documents")
    arms: dict[str, Any] = {}
    for engine in ENGINES:
        if engine == "tantivy" and importlib.util.find_spec("tantivy") is None:
            print("tantivy not installed: arm skipped", flush=True)
            continue
        arms[engine] = run(["--engine", engine, *common], home)
    return {"name": name, "prep": prep, "arms": arms}


def _p(values: Sequence[float]) -> str:
    """``p50 / p95`` of some times (nearest rank)."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(values):.2f} / {p95:.2f}"


def report(results: list[dict[str, Any]]) -> str:
    """The comparison as Markdown tables."""
    lines = [
        "| corpus | engine | build s | tokenize s (1 / 2 proc) | size MB"
        " | RSS base → built (peak) MB | top-50 p50 / p95 ms | full count p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for res in results:
        for engine, a in res["arms"].items():
            if a is None:
                lines.append(f"| {res['name']} | {engine} | failed | | | | | |")
                continue
            tok = f"{a['tok1']:.1f}" if "tok1" in a else "(in build)"
            tok += f" / {a['tok2']:.1f}" if "tok2" in a else ""
            lines.append(
                f"| {res['name']} | {engine} | {a['build']:.1f} | {tok} | {a['size']:.0f}"
                f" | {a['base']:.0f} → {a['rss']:.0f} ({a['peak']:.0f})"
                f" | {_p(a['top'])} | {_p(a['count'])} |"
            )
    lines += ["", "Documents found: brute force; current exact (all hits); fts5; tantivy", ""]
    names = [r["name"] for r in results]
    head = "".join(f" {n} brute | {n} current | {n} fts5 | {n} tantivy |" for n in names)
    lines += [f"| query |{head}", "|---|" + "---:|" * 4 * len(results)]
    for q in FINALS:
        row = f"| {q} |"
        for res in results:
            truth = res["prep"]["truth"][q]
            row += f" {truth[0]:,} |"
            for engine in ENGINES:
                a = res["arms"].get(engine)
                if a is None:
                    row += " – |"
                elif engine == "current":
                    f = a["found"][q]
                    row += f" {f['exact']:,} ({f['hits']:,}) |"
                else:
                    # ≠: not the brute-force set (count, sum of document numbers)
                    row += f" {a['found'][q][0]:,}{'' if a['found'][q] == truth else ' ≠'} |"
        lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append")
    parser.add_argument("--swreader", type=Path, default=ROOT, help="where swreader is")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--engine", choices=ENGINES, help="(subprocess) build one engine")
    parser.add_argument("--prepare", action="store_true", help="(subprocess) load a corpus")
    parser.add_argument("--docs-pickle", type=Path, help="(subprocess) the documents")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.swreader))
    if args.prepare or args.engine:
        (corpus,) = args.corpus
        if args.prepare:
            out = prepare(corpus, args.docs_pickle)
        elif args.engine == "current":
            out = arm_current(corpus)
        else:
            out = (arm_fts5 if args.engine == "fts5" else arm_tantivy)(args.docs_pickle)
        out["peak"] = rss_mb("VmHWM")
        print(json.dumps(out, ensure_ascii=False))
        return
    results = []
    for corpus in args.corpus or [Path("/tmp/c10k"), Path("/tmp/c100k")]:
        results.append(compare(corpus, args.swreader))
        print(report(results) + "\n", flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
