"""Article ids that are unique across the whole archive and survive moving it.

The parser names an article after its page: ``<file stem>-<hash of the title>``, with
``-2``, ``-3``… for repeated titles on one page. Two folders of dated pages
(``2023-01-01/06.txt`` and ``2023-01-02/06.txt``) then hold articles of the same id, so an
archive-wide id also says where the page lies **relative to the folder the user opened**:
``2023-01-02/06-1a2b3c4d5e``. A page directly in that folder (the bundled seeds, or a file
named on the command line) keeps the plain id, and moving or renaming the archive folder
changes no id, so bookmarks and reading positions follow the archive. Ids that are still
equal (the same file name and title reached twice) get ``~2``, ``~3``… in page order.

Ids are kept printable: bytes of a file name that are not UTF-8 show as ``\\xff``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from swreader.core.pages.corpus import Page, display_path

__all__ = ["ArchiveIds", "assign_ids", "folder_of"]


def folder_of(path: Path, roots: list[Path]) -> str:
    """The folder of ``path`` relative to the first opened folder that holds it (``""``).

    Args:
        path: A page file.
        roots: The files and folders the user opened, as given.
    """
    return _folder(os.path.dirname(os.path.abspath(path)), roots)


def _folder(parent: str, roots: list[Path]) -> str:
    """:func:`folder_of` for the absolute folder ``parent`` of a page."""
    for root in roots:
        top = os.path.abspath(root)
        if parent == top:
            return ""
        if parent.startswith(top + os.sep):  # only a folder holds folders
            return display_path(Path(os.path.relpath(parent, top)).as_posix())
    return ""


class ArchiveIds:
    """Hands out archive-wide ids page by page, so pages can be shown as they are read.

    Args:
        roots: The files and folders the user opened, as given.
    """

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = list(roots)
        self._seen: dict[str, int] = {}
        # Pages share folders (a day's pages, a site's): each folder is made relative once.
        self._folders: dict[str, str] = {}

    def assign(self, page: Page) -> None:
        """Rename the articles of ``page`` (once per page, in archive order)."""
        parent = os.path.dirname(os.path.abspath(page.path))
        folder = self._folders.get(parent)
        if folder is None:
            folder = self._folders[parent] = _folder(parent, self.roots)
        for article in page.articles:
            base = display_path(article.id)
            base = f"{folder}/{base}" if folder else base
            n = self._seen[base] = self._seen.get(base, 0) + 1
            article.id = base if n == 1 else f"{base}~{n}"


def assign_ids(pages: Iterable[Page], roots: Iterable[Path]) -> None:
    """Give every article of ``pages`` an id unique in the archive (in place, in order)."""
    ids = ArchiveIds(roots)
    for page in pages:
        ids.assign(page)
