"""One paragraph, wrapped by cell width with Chinese line-breaking rules and highlights."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from swreader.core.pages.model import Kind
from swreader.core.pages.present import ShownParagraph
from swreader.core.text.wrap import wrap_ranges

#: The longest line we set, in cells: past this, reading Chinese gets tiring.
MEASURE = 76


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
        self.paragraph = paragraph
        self.index = index
        self.current: tuple[int, int] | None = None

    def _measure(self, width: int) -> int:
        return max(2, min(width, MEASURE))

    def line_ranges(self, width: int | None = None) -> list[tuple[int, int]]:
        """The ``(start, end)`` of each rendered line at ``width`` (default: current)."""
        text = self._display_text()
        return wrap_ranges(text, self._measure(width or self.content_size.width or MEASURE))

    def _display_text(self) -> str:
        prefix = "• " if self.paragraph.kind is Kind.LIST else ""
        return prefix + self.paragraph.text

    def _offset(self) -> int:
        return 2 if self.paragraph.kind is Kind.LIST else 0

    def line_of(self, offset: int) -> int:
        """The rendered line that shows character ``offset`` of the paragraph text."""
        target = offset + self._offset()
        for n, (start, end) in enumerate(self.line_ranges()):
            if start <= target < end:
                return n
        return 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap_ranges(self._display_text(), self._measure(width)))

    def _style(self, kind: str) -> Style:
        name = f"paragraph--{kind}"
        if name not in self.COMPONENT_CLASSES:
            name = "paragraph--other"
        return self.get_component_rich_style(name, partial=True)

    def render(self) -> Text:
        text = Text(self._display_text(), no_wrap=True, overflow="crop")
        shift = self._offset()
        for span in self.paragraph.spans:
            text.stylize(self._style(span.kind), span.start + shift, span.end + shift)
        if self.current is not None:
            start, end = self.current
            text.stylize(self._style("current"), start + shift, end + shift)
        lines = [text[a:b] for a, b in self.line_ranges()]
        return Text("\n", no_wrap=True).join(lines)

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
        measure = max(2, min(width, MEASURE))
        out: list[Text] = []
        for line in self.lines:
            out += [line[a:b] for a, b in wrap_ranges(line.plain, measure)]
        return out

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._wrapped(width))

    def render(self) -> Text:
        lines = self._wrapped(self.content_size.width or MEASURE)
        return Text("\n", no_wrap=True).join(lines)
