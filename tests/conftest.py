"""Shared fixtures: the real seed pages, and an isolated user home for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from swreader.core.pages.corpus import Corpus, bundled_seeds, load_corpus
from swreader.core.pages.model import Article

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
OPENCC_CASES = ROOT.parent / "shared" / "opencc-testcases" / "testcases.json"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own SWREADER_HOME, so no test touches the user's state."""
    home = tmp_path_factory.mktemp("swreader-home")
    monkeypatch.setenv("SWREADER_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def opencc_cases_file() -> Path:
    """OpenCC's own conversion cases (``shared/`` beside the clone), or skip saying where."""
    if not OPENCC_CASES.is_file():
        pytest.skip(f"OpenCC test cases not found at {OPENCC_CASES} (expected beside the clone)")
    return OPENCC_CASES


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """The bundled seeds, parsed once per session."""
    return load_corpus([bundled_seeds()])


@pytest.fixture(scope="session")
def articles(corpus: Corpus) -> list[Article]:
    """Every article of the seeds."""
    return corpus.articles


def by_title(articles: list[Article], fragment: str) -> Article:
    """The one article whose title contains ``fragment``."""
    found = [a for a in articles if fragment in a.title]
    assert len(found) == 1, (fragment, [a.title for a in found])
    return found[0]
