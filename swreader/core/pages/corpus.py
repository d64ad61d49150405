"""Load pages from files and folders into articles, reporting bad files without stopping."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from swreader.core.pages.model import Article
from swreader.core.pages.parse import NotAnArticle, parse_page
from swreader.core.text.reading import UnreadableError, read_page

#: File name patterns read from directories.
PATTERNS = ("*.txt", "*.html", "*.htm")


@dataclass(slots=True)
class Page:
    """One page file and what became of it.

    Attributes:
        path: The file.
        stem: The file stem, used as the page name.
        text: The decoded text (before cleaning), kept so the original stays viewable.
        encoding: The codec used, or ``None`` when the file could not be read.
        articles: The articles cut out of it.
        error: Why the file was skipped, or ``None``.
    """

    path: Path
    stem: str
    text: str | None = None
    encoding: str | None = None
    articles: list[Article] = field(default_factory=list)
    error: str | None = None

    @property
    def short_path(self) -> str:
        """The file and its folder (``…/2023-10-24/06.txt``): enough to tell dated pages apart."""
        parts = self.path.parts
        tail = str(Path(*parts[-2:])) if parts else ""
        return f"…/{tail}" if len(parts) > 2 else tail


@dataclass(slots=True)
class Corpus:
    """All pages read from the given paths."""

    pages: list[Page] = field(default_factory=list)

    @property
    def articles(self) -> list[Article]:
        """Every article, in page order."""
        return [a for page in self.pages for a in page.articles]

    @property
    def problems(self) -> list[tuple[Path, str]]:
        """``(path, reason)`` for every page that was skipped."""
        return [(p.path, p.error) for p in self.pages if p.error]


def bundled_seeds() -> Path:
    """The folder of bundled seed pages, in an installed wheel or in a checkout."""
    installed = resources.files("swreader") / "seeds"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parents[3] / "seeds"


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand files and directories (recursively, ``*.txt``) into page files, sorted.

    Paths that do not exist are yielded as given so the loader can report them.
    """
    for path in paths:
        if path.is_dir():
            found: set[Path] = set()
            for pattern in PATTERNS:
                found.update(p for p in path.rglob(pattern) if p.is_file())
            yield from sorted(found)
        else:
            yield path


def load_page(path: Path) -> Page:
    """Read and parse one file. Never raises: problems land in ``Page.error``."""
    page = Page(path=path, stem=path.stem)
    try:
        decoded = read_page(path)
    except UnreadableError as err:
        page.error = str(err)
        return page
    page.text, page.encoding = decoded.text, decoded.encoding
    try:
        page.articles = parse_page(decoded.text, page=path.stem, path=os.fspath(path))
    except RecursionError:
        page.error = "page structure too deeply nested to parse"
        return page
    except NotAnArticle as err:
        page.error = str(err)
        return page
    if not page.articles:
        page.error = (
            "no article text (only navigation chrome or headlines)"
            if decoded.text.strip()
            else "no text"
        )
    return page


def load_corpus(paths: Iterable[Path]) -> Corpus:
    """Load every page under ``paths``.

    Args:
        paths: Files or directories.

    Returns:
        The corpus; skipped files are listed in ``Corpus.problems``.
    """
    return Corpus([load_page(p) for p in iter_files(paths)])
