"""A digest of what a page's articles say, so a stored search index is known to be current.

Taken once when a page is parsed and kept with it, so that a warm start can tell whether
the index fits the pages without reading a single paragraph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from operator import attrgetter

from swreader.core.pages.corpus import Page
from swreader.core.pages.model import PARSER_VERSION

__all__ = ["page_digest", "pages_signature"]

_SEP = "\uffff"
_kind, _text = attrgetter("kind"), attrgetter("text")


def page_digest(page: Page) -> str:
    """A SHA-1 of every article's paragraph kinds, title and texts.

    The texts themselves are hashed, so that an edit keeping every length still changes
    it. U+FFFF, a noncharacter, separates them: no page has it (decoding makes U+FFFD of
    what it cannot read), so where each paragraph ends is hashed too.
    """
    digest = hashlib.sha1()
    heads, bodies = [], []
    for article in page.articles:
        paragraphs = article.paragraphs
        heads.append(f"{len(paragraphs)}{''.join(map(_kind, paragraphs))}{_SEP}")
        bodies.append(article.title)
        bodies.append(_SEP.join(map(_text, paragraphs)))
    digest.update("".join(heads).encode("utf-8"))
    body = _SEP.join(bodies)
    try:  # UTF-16: mostly the texts' own code units, so the cheapest encoding to make
        digest.update(body.encode("utf-16-le"))
    except UnicodeEncodeError:
        digest.update(body.encode("utf-16-le", "surrogatepass"))
    return digest.hexdigest()


def pages_signature(pages: Iterable[Page]) -> str:
    """A digest of what a search index is built from: every article's id, kinds and texts.

    Each page's texts are hashed once, when it is parsed (:func:`page_digest`, kept with
    the page), so a warm start checks its index without reading a paragraph; pages that
    were not stored are hashed here. The articles' ids are hashed here too: they depend on
    the folder the archive was opened from.
    """
    digest = hashlib.sha1(str(PARSER_VERSION).encode())
    for page in pages:
        page_sig = page.digest or page_digest(page)
        ids = _SEP.join(a.id for a in page.articles)
        # surrogatepass: an id made of a non-UTF-8 file name holds lone surrogates.
        digest.update(f"{page_sig}{_SEP}{ids}{_SEP}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
