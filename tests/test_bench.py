"""The benchmarks run end to end on a small synthetic archive (figures printed, not judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_a_failing_warm_child_shows_its_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """The warm half runs in a child: when it fails, its error reaches the reader."""
    monkeypatch.syspath_prepend(str(BENCH))
    import bench  # benchmarks/bench.py

    child = tmp_path / "child"
    child.write_text("#!/bin/sh\necho 'the child failed: no home' >&2\nexit 3\n")
    child.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(child))
    with pytest.raises(subprocess.CalledProcessError):
        bench._warm_apart(tmp_path)
    assert "the child failed: no home" in capfd.readouterr().err
