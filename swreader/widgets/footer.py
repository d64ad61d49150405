"""Textual's footer, recomposed once per burst of binding changes rather than once per change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """The key bar: Textual's :class:`~textual.widgets.Footer`, its rebuilds coalesced.

    Textual's footer schedules a full recompose for every change of the screen's bindings.
    A screen's start changes them several times in a row (each widget mounted, focus set,
    the labels put in the interface language): at start eight rebuilds of 15 keys each,
    about 0.1 s apiece on the UI thread, which also starve the loading worker of the GIL.
    Here a change only marks the footer stale; one rebuild after the next refresh shows
    the bindings as they are by then.

    Each key is also made in the footer's style: a key starts compact and Textual's footer
    then binds it to its own (not compact), and each of the two class changes restyles the
    key, about 4 ms apiece.
    """

    _stale = False
    #: The keys as last composed (see :meth:`_keys`); ``None``: none drawn yet.
    _shown: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None  # what is drawn now
        for widget in super().compose():
            # The palette's key is not bound to the footer: it keeps its own style.
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Mark the keys stale, and rebuild them once the burst of changes is over."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return  # as Footer: redrawn when the app gets the focus back
        if self.is_attached and screen is self.screen and not self._stale:
            self._stale = True
            self.call_after_refresh(self._rebuild)

    def _keys(self) -> tuple[object, ...]:
        """What the bar shows of the screen's bindings: each shown key as it is drawn."""
        shown = self.screen.active_bindings.values()
        return (
            self.compact,
            *(
                (b.key, b.description, b.action, b.group, on, tip)
                for _, b, on, tip in shown
                if b.show
            ),
        )

    async def _rebuild(self) -> None:
        self._stale = False
        # Most changes of the bindings (focus moving, a screen resumed) leave the keys as
        # they were: opening and closing the search box rebuilt them six times, ~12 ms each.
        if self._keys() != self._shown:
            await self.recompose()
