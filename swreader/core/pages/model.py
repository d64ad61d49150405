"""The article model shared by the parser, the exporter, search and the UI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

#: Bump when parsing or folding changes, so every cached page and index is made again.
PARSER_VERSION = 6


class Kind(StrEnum):
    """What a paragraph is on the page."""

    BODY = "body"
    SUBHEAD = "subhead"
    CAPTION = "caption"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class Figure:
    """A key figure (a quantity) found in a paragraph.

    Attributes:
        text: The figure as written, e.g. ``"60余万元"``.
        kind: ``count``, ``money``, ``percent``, ``area``, ``date``, ``duration``, ``ordinal``…
        paragraph: Index of the paragraph in its article.
        start: Character offset of the figure in the paragraph text.
        end: End offset (exclusive).
    """

    text: str
    kind: str
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Damaged:
    """A run of mojibake kept in the text so the reader can mark it."""

    paragraph: int
    start: int
    end: int


@dataclass(slots=True)
class Paragraph:
    """One paragraph of an article, already rejoined and cleaned."""

    kind: Kind
    text: str


class _Body:
    """An :class:`Article` field of its body, read from the library on first use.

    A warm start keeps only the articles' headers in memory (the list, the sidebar and the
    ranking need nothing else); the paragraphs come back when something reads them: the
    reader opening the article, a search hit's snippet, an export (see
    :meth:`Article.defer_body`).
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: object, owner: type | None = None) -> list[object] | None:
        if obj is None:
            return None  # the dataclass default: "not given", made a fresh list on first use
        state = obj.__dict__
        value = state.get(self.slot)
        if value is None:
            load = state.pop("_load", None)
            if load is not None:
                load(obj)
                value = state.get(self.slot)
            if value is None:
                value = state[self.slot] = []
        return value

    def __set__(self, obj: object, value: list[object] | None) -> None:
        obj.__dict__[self.slot] = value


# Not slots: the body fields are descriptors (see _Body); the __dict__ this costs per
# article is far less than the paragraphs a warm start no longer holds.
@dataclass(repr=False)
class Article:
    """One article cut out of a page.

    Attributes:
        id: Stable identifier: page stem plus a hash of the normalised title.
        page: The file stem of the page the article came from.
        path: The page's path, as given.
        title: The headline, in the page's own script.
        kicker: The region line printed above the title, if any.
        subtitle: A second headline line, if any.
        byline: The reporters' names, from ``■ 本报记者 …``.
        sources: Outlets named in the closing ``(据…)`` line, in order.
        province: Short province name (``河南``), or ``None``.
        city: Short prefecture, municipal district or new-area name, or ``None``.
        date: ISO date shown on the page, or ``None``.
        paragraphs: Body paragraphs with their kinds.
        damaged: Mojibake spans, offsets relative to their paragraph.
        found_figures: The key figures once :attr:`figures` has found them, else ``None``.
    """

    id: str
    page: str
    path: str
    title: str
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    sources: list[str] = field(default_factory=list)
    province: str | None = None
    city: str | None = None
    date: str | None = None
    paragraphs: list[Paragraph] = _Body()  # type: ignore[assignment]
    damaged: list[Damaged] = _Body()  # type: ignore[assignment]
    found_figures: list[Figure] | None = field(default=None, repr=False, compare=False)

    def header(self) -> Article:
        """A copy without the body (paragraphs, damage, figures), knowing how long it is."""
        head = Article.__new__(Article)
        state = dict(self.__dict__)
        # Not len(self.paragraphs): a header's copy must not read its body from the library.
        state["_count"] = self.paragraph_count
        for body in ("_paragraphs", "_damaged", "_load"):
            state.pop(body, None)
        state["found_figures"] = None
        head.__dict__.update(state)
        return head

    def defer_body(self, load: Callable[[Article], None]) -> None:
        """Have ``load(article)`` set the body (``paragraphs``, ``damaged``) on first use."""
        self.__dict__["_load"] = load

    @property
    def body_loaded(self) -> bool:
        """Whether the paragraphs are in memory."""
        return self.__dict__.get("_paragraphs") is not None

    @property
    def paragraph_count(self) -> int:
        """How many paragraphs the article has, without reading them from the library."""
        if not self.body_loaded and "_count" in self.__dict__:
            return int(self.__dict__["_count"])
        return len(self.paragraphs)

    def __repr__(self) -> str:
        # Short, and without the body: Textual names each worker by the repr of its
        # arguments, so the generated repr read a header's body from the library (and
        # formatted every paragraph) on the UI thread whenever the reader opened one.
        count = self.paragraph_count
        return f"Article(id={self.id!r}, title={self.title!r}, paragraphs={count})"

    def __getstate__(self) -> dict[str, object]:
        # A header's loader reads the library of this process: it is not stored.
        state = dict(self.__dict__)
        state.pop("_load", None)
        return state

    @property
    def figures(self) -> list[Figure]:
        """Key figures, offsets relative to their paragraph.

        Found on first use and kept. They follow from the paragraphs alone, and at ~25 per
        article holding them for a whole archive would cost ~40 MB at 10,000 articles (and a
        third of the parsing time), for the few articles a reader actually opens.
        """
        if self.found_figures is None:
            # Imported on first use: its patterns cost ~40 ms of a start that shows no body.
            from swreader.core.text.figures import find_figures

            self.found_figures = [
                Figure(f.text, f.kind, n, f.start, f.end)
                for n, paragraph in enumerate(self.paragraphs)
                for f in find_figures(paragraph.text)
            ]
        return self.found_figures

    def marks(self) -> list[list[tuple[int, int, str]]]:
        """Per paragraph, its ``(start, end, kind)`` marks: figure kinds, then ``damaged``."""
        out: list[list[tuple[int, int, str]]] = [[] for _ in self.paragraphs]
        for f in self.figures:
            out[f.paragraph].append((f.start, f.end, f.kind))
        for d in self.damaged:
            out[d.paragraph].append((d.start, d.end, "damaged"))
        return out

    @property
    def region_label(self) -> str:
        """``"province·city"``, or the province alone, or ``""`` when no place is known."""
        return "·".join(x for x in (self.province, self.city) if x)

    @property
    def own_reporting(self) -> bool:
        """True when the paper reported the story itself (no ``(据…)`` line)."""
        return not self.sources
