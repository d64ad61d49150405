"""Load pages from files and folders into articles, reporting bad files without stopping.

Folders are walked without recursion (an archive may be nested deeper than Python's stack),
following symlinked folders but entering each folder once, so a link loop ends. A file
reached twice (the same folder given twice, a folder and a file in it, a link) is read
once, under the first path it was reached by.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from swreader.core.pages.model import Article

#: File name patterns read from directories.
PATTERNS = ("*.txt", "*.html", "*.htm")
# Matched against os.path.normcase(name): case-sensitive on POSIX, not on Windows, as
# Path.rglob was.
_PATTERN = re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in PATTERNS))
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")

#: A directory or a file's identity: (st_dev, st_ino) of a folder, plus a name for a file.
_Identity = tuple[object, ...]


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as it can be printed: bytes that are not UTF-8 as ``\\xff``.

    A name that is not UTF-8 reaches Python as lone surrogates (surrogateescape), which no
    terminal, JSON line or SQLite text can take. Control characters are escaped too, so a
    newline in a name cannot split a ``swreader: PATH: reason`` line.

    Args:
        path: A file name or path.

    Returns:
        The path, readable and safe to encode as UTF-8.
    """
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


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
        digest: :func:`~swreader.core.pages.digest.page_digest` of it, once stored.
    """

    path: Path
    stem: str
    text: str | None = None
    encoding: str | None = None
    articles: list[Article] = field(default_factory=list)
    error: str | None = None
    digest: str | None = None

    @property
    def short_path(self) -> str:
        """The file and its folder (``…/2023-10-24/06.txt``): enough to tell dated pages apart."""
        parts = self.path.parts
        tail = display_path(Path(*parts[-2:])) if parts else ""
        return f"…/{tail}" if len(parts) > 2 else tail


@dataclass(slots=True)
class Corpus:
    """All pages read from the given paths.

    Attributes:
        pages: The pages, in file order.
        taken: What the library needs to keep a snapshot of this open (an opaque value of
            :mod:`swreader.core.store.heads`), or ``None``: not opened through it.
        signature: The pages' :func:`~swreader.core.pages.digest.pages_signature` when it
            is known (a snapshot read back keeps it), else ``None``. Set only on a corpus
            whose pages are not changed afterwards.
    """

    pages: list[Page] = field(default_factory=list)
    taken: object | None = field(default=None, repr=False, compare=False)
    signature: str | None = field(default=None, repr=False, compare=False)

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


def _entries(folder: str | os.PathLike[str]) -> list[os.DirEntry[str]]:
    """A folder's entries sorted by name; none if it cannot be listed.

    Sorting siblings by name and walking depth-first yields files in the order of sorted
    paths (``a/x.txt`` before ``a.txt``), the order Path.rglob's results were sorted into.
    An unreadable folder is skipped, as rglob skipped it.
    """
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: os.path.normcase(e.name))
    except OSError:
        return []


def _identity(folder: str) -> _Identity:
    """A folder's (st_dev, st_ino); its real path where the file system gives no inode."""
    try:
        st = os.stat(folder or os.curdir)  # not DirEntry.stat(): no st_ino on Windows
    except OSError:
        return ("path", os.path.realpath(folder))
    return (st.st_dev, st.st_ino) if st.st_ino else ("path", os.path.realpath(folder))


def _folder_id(folder: str, cache: dict[str, _Identity]) -> _Identity:
    if folder not in cache:
        cache[folder] = _identity(folder)
    return cache[folder]


def _file_id(path: str, cache: dict[str, _Identity]) -> _Identity:
    """The resolved file: its real folder's identity and its name.

    Cheaper than stat-ing every file of an archive, and it names the same file however
    it was reached (stat's st_ino and a folder listing's d_ino disagree on overlayfs).
    """
    real = os.path.realpath(path)
    folder, name = os.path.split(real)
    return (*_folder_id(folder, cache), name)


def _walk(
    root: Path, seen: set[_Identity], cache: dict[str, _Identity]
) -> Iterator[tuple[Path, _Identity]]:
    """Page files under ``root`` with their identities, each folder entered at most once."""
    root_id = _folder_id(os.path.realpath(root), cache)
    if root_id in seen:
        return
    seen.add(root_id)
    # An explicit stack of (folder identity, remaining entries) instead of recursion.
    stack = [(root_id, iter(_entries(root)))]
    while stack:
        folder_id, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        try:
            if entry.is_dir():  # follows a symlink
                ident = _identity(entry.path)
                if ident not in seen:
                    seen.add(ident)
                    stack.append((ident, iter(_entries(entry.path))))
            elif _PATTERN.match(os.path.normcase(entry.name)) and entry.is_file():
                if entry.is_symlink():
                    yield Path(entry.path), _file_id(entry.path, cache)
                else:
                    yield Path(entry.path), (*folder_id, entry.name)
        except OSError:
            continue  # vanished or unreadable while we looked: as if it were not there


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand files and folders (recursively, see :data:`PATTERNS`) into page files.

    Each folder's files come sorted; each file only once, under the first path that
    reached it. Paths that do not exist are yielded as given so the loader can report
    them, and so are files named directly whatever their kind (the loader says why it
    cannot read a FIFO).
    """
    seen_folders: set[_Identity] = set()
    seen_files: set[_Identity] = set()
    cache: dict[str, _Identity] = {}
    for path in paths:
        if path.is_dir():
            found = _walk(path, seen_folders, cache)
        else:
            found = iter([(path, _file_id(os.fspath(path), cache))])
        for file, ident in found:
            if ident not in seen_files:
                seen_files.add(ident)
                yield file


def load_page(path: Path) -> Page:
    """Read and parse one file. Never raises: problems land in ``Page.error``."""
    # Imported here: a warm start reads stored pages only, and the parser's imports (its
    # patterns, the gazetteer) cost ~0.14 s of every start.
    from swreader.core.pages.parse import NotAnArticle, parse_page
    from swreader.core.text.reading import UnreadableError, read_page

    # The stem names the page in ids, exports and the UI: it must be printable text.
    page = Page(path=path, stem=display_path(path.stem))
    try:
        decoded = read_page(path)
    except UnreadableError as err:
        page.error = str(err)
        return page
    page.text, page.encoding = decoded.text, decoded.encoding
    try:
        page.articles = parse_page(decoded.text, page=page.stem, path=os.fspath(path))
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
