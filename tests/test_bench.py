"""The benchmarks run end to end on a small synthetic archive (figures printed, not judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
KEYS = {
    "articles",
    "cold_index_s",
    "warm_open_s",
    "search_p50_ms",
    "search_p95_ms",
    "naive_search_p50_ms",
    "toggle_ms",
    "peak_rss_mb",
    "warm_peak_rss_mb",
}


def test_make_corpus_and_bench_json(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), "40", str(archive)], check=True)
    assert len(list(archive.rglob("*.txt"))) >= 14
    out = subprocess.run(
        [sys.executable, str(BENCH / "bench.py"), str(archive), "--json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(out.stdout)  # the figures, for whoever reads the CI log
    figures = json.loads(out.stdout)
    assert set(figures) >= KEYS
    assert figures["articles"] == 40
    assert all(isinstance(figures[k], (int, float)) and figures[k] >= 0 for k in KEYS)
