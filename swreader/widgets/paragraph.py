"""One paragraph, wrapped by cell width with Chinese line-breaking rules and highlights.

A paragraph may be a million characters long (a page whose text was never cut into
paragraphs), so :class:`ParagraphView` draws with Textual's line API: each call to
:meth:`ParagraphView.render_line` builds only the one line Textual asks for, from the cached
wrap ranges and the highlights that fall on that line. Building the whole paragraph as one
Rich ``Text`` and slicing it per line (as before) cost O(n) per line, O(n²) per paint.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from operator import itemgetter

from rich.style import Style
from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual
from textual.widget import Widget

from swreader.core.pages.model import Kind
from swreader.core.pages.present import ShownParagraph
from swreader.core.text.wrap import wrapped

#: The longest line we set, in cells: past this, reading Chinese gets tiring.
MEASURE = 76
#: Paragraphs shorter than this are wrapped when drawn; longer ones are wrapped ahead of time
#: by the reader's worker thread (see :func:`prewrap`), so the UI thread finds them wrapped.
PREWRAP_CHARS = 2000

_Mark = tuple[int, int, str]
_start_of = itemgetter(0)


def measure(width: int) -> int:
    """The line length, in cells, for a paragraph whose content is ``width`` cells wide."""
    return max(2, min(width, MEASURE))


def display_text(paragraph: ShownParagraph) -> str:
    """The text a paragraph shows: its text, after a bullet for list items."""
    return ("• " if paragraph.kind is Kind.LIST else "") + paragraph.text


def prewrap(paragraphs: Iterable[ShownParagraph], widths: Iterable[int]) -> None:
    """Wrap the long paragraphs at each content width, filling the wrap cache.

    Safe to call from a worker thread: it only fills :func:`~swreader.core.text.wrap.wrapped`'s
    cache, which is thread-safe.

    Args:
        paragraphs: The paragraphs about to be shown.
        widths: The content widths they are likely to get.
    """
    measures = {measure(w) for w in widths}
    for paragraph in paragraphs:
        if len(paragraph.text) >= PREWRAP_CHARS:
            text = display_text(paragraph)
            for m in measures:
                wrapped(text, m)


class ParagraphView(Widget):
    """Shows one :class:`ShownParagraph`; wraps it itself (Textual wraps only at spaces)."""

    DEFAULT_CSS = """
    ParagraphView { height: auto; margin-bottom: 1; }
    ParagraphView.-subhead { text-style: bold; color: $accent; margin-top: 1; }
    ParagraphView.-caption { color: $text-muted; text-style: italic; padding-left: 2; }
    ParagraphView.-list { padding-left: 2; margin-bottom: 0; }
    """

    COMPONENT_CLASSES = {
        "paragraph--count",
        "paragraph--money",
        "paragraph--percent",
        "paragraph--area",
        "paragraph--date",
        "paragraph--other",
        "paragraph--damaged",
        "paragraph--match",
        "paragraph--current",
    }

    def __init__(self, paragraph: ShownParagraph, index: int) -> None:
        super().__init__(classes=f"-{paragraph.kind.value}")
        self.index = index
        self.current: tuple[int, int] | None = None
        self.paragraph = paragraph

    @property
    def paragraph(self) -> ShownParagraph:
        """The paragraph shown; setting it (another script) drops what was cached for it."""
        return self._paragraph

    @paragraph.setter
    def paragraph(self, paragraph: ShownParagraph) -> None:
        self._paragraph = paragraph
        # Kept so that the wrap cache is hit with the very same string object: hashing and
        # comparing a new copy of a long paragraph would cost O(n) on every lookup.
        self._text = display_text(paragraph)
        self._marks: dict[int, dict[int, list[_Mark]]] = {}

    def _measure(self, width: int) -> int:
        return measure(width)

    def line_ranges(self, width: int | None = None) -> Sequence[tuple[int, int]]:
        """The ``(start, end)`` of each rendered line at ``width`` (default: current)."""
        return wrapped(self._text, self._measure(width or self.content_size.width or MEASURE))

    def _offset(self) -> int:
        return 2 if self.paragraph.kind is Kind.LIST else 0

    def line_of(self, offset: int) -> int:
        """The rendered line that shows character ``offset`` of the paragraph text.

        Offsets before the text give the first line, offsets past it the last.
        """
        ranges = self.line_ranges()
        return max(0, bisect_right(ranges, offset + self._offset(), key=_start_of) - 1)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.line_ranges(width))

    def _style(self, kind: str) -> Style:
        name = f"paragraph--{kind}"
        if name not in self.COMPONENT_CLASSES:
            name = "paragraph--other"
        return self.get_component_rich_style(name, partial=True)

    def _marks_by_line(self, width: int) -> dict[int, list[_Mark]]:
        """The highlights (figures, matches, damage) of each line, in the paragraph's order.

        One pass over the spans with a binary search each, cached per line measure: a span
        that crosses lines is listed on each of them.
        """
        key = self._measure(width)
        if (cached := self._marks.get(key)) is not None:
            return cached
        ranges = self.line_ranges(width)
        shift = self._offset()
        by_line: dict[int, list[_Mark]] = {}
        for span in self.paragraph.spans:
            start, end = span.start + shift, span.end + shift
            if start >= end:
                continue
            first = bisect_right(ranges, start, key=_start_of) - 1
            last = bisect_right(ranges, end - 1, key=_start_of) - 1
            for n in range(max(first, 0), last + 1):
                by_line.setdefault(n, []).append((start, end, span.kind))
        self._marks[key] = by_line
        return by_line

    def render_line(self, y: int) -> Strip:
        """Draw line ``y`` alone: its slice of the text with the highlights that touch it."""
        width = self.size.width
        ranges = self.line_ranges(width)
        if not 0 <= y < len(ranges):
            return Strip.blank(width, self.visual_style.rich_style)
        a, b = ranges[y]
        line = Text(self._text[a:b], no_wrap=True, overflow="crop")
        marks = list(self._marks_by_line(width).get(y, ()))
        if self.current is not None:
            shift = self._offset()
            marks.append((self.current[0] + shift, self.current[1] + shift, "current"))
        for start, end, kind in marks:
            # Clipped by hand: rich reads a negative start as counted from the end.
            lo, hi = max(start, a) - a, min(end, b) - a
            if lo < hi:
                line.stylize(self._style(kind), lo, hi)
        return self._strip(line, y, width)

    def _strip(self, line: Text, y: int, width: int) -> Strip:
        """Render one line the way Textual renders a widget's ``Text``, selection included."""
        content = Content.from_rich_text(line, console=self.app.console)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            style = VisualStyle.from_styles(self.screen.get_component_styles("screen--selection"))
            content = content.stylize(style, start, len(content.plain) if end == -1 else end)
        strips = Visual.to_strips(self, content, width, 1, self.visual_style, apply_selection=False)
        strip = strips[0] if strips else Strip.blank(width, self.visual_style.rich_style)
        # Offsets tell Textual which character is under the mouse, for selecting text: the
        # line was rendered alone (as line 0), so give it its place in the paragraph.
        return strip.apply_offsets(0, y)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, from the same lines as drawn."""
        lines = "\n".join(self._text[a:b] for a, b in self.line_ranges())
        return selection.extract(lines), "\n"

    def set_current(self, span: tuple[int, int] | None) -> None:
        """Mark the span of the figure being visited (or none)."""
        self.current = span
        self.refresh()


class HeaderView(Widget):
    """The article's header lines (kicker, title, subtitle, meta), wrapped like paragraphs."""

    DEFAULT_CSS = "HeaderView { height: auto; }"

    def __init__(self, lines: list[Text], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines = lines

    def _wrapped(self, width: int) -> list[Text]:
        out: list[Text] = []
        for line in self.lines:
            # divide() cuts the Text in one pass; slicing it once per line was O(n) each.
            cuts = [a for a, _ in wrapped(line.plain, measure(width))[1:]]
            out += line.divide(cuts)
        return out

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(len(wrapped(line.plain, measure(width))) for line in self.lines)

    def render(self) -> Text:
        lines = self._wrapped(self.content_size.width or MEASURE)
        return Text("\n", no_wrap=True).join(lines)
