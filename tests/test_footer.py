"""The key bar: rebuilt once per burst of binding changes, and showing the bindings current then."""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from swreader.app import make_app
from swreader.widgets.footer import KeyFooter
from tests.pilot import footer_label, settle


async def test_a_burst_of_binding_changes_rebuilds_the_keys_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rebuilt: list[Widget] = []
    recompose = Widget.recompose

    async def counted(self: Widget) -> None:
        rebuilt.append(self)
        await recompose(self)

    app = make_app(ui="zh-Hans")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Widget, "recompose", counted)

        def footers() -> int:
            return len([w for w in rebuilt if isinstance(w, KeyFooter)])

        for _ in range(6):  # as a screen's start does: widgets mounted, focus, labels
            app.screen.refresh_bindings()
        await pilot.press("t")  # with one change: `t` is relabelled to where it goes next
        await settle(pilot)
        assert footers() == 1
        # A burst that leaves the keys as they are (focus moving, say) rebuilds nothing.
        for _ in range(6):
            app.screen.refresh_bindings()
        await pilot.pause(0.2)
        assert footers() == 1
        await pilot.press("t")  # a later change is shown
        await settle(pilot)
        assert footers() == 2


async def test_the_keys_show_the_bindings_as_they_are_after_the_burst() -> None:
    app = make_app(ui="zh-Hans")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = footer_label(app, "t")
        await pilot.press("t")  # the toggle relabels `t` to where it goes next
        await settle(pilot)
        assert footer_label(app, "t") != before


async def test_keys_are_made_in_the_footers_style_not_restyled() -> None:
    app = make_app(ui="zh-Hans")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        keys = list(footer.query(FooterKey))
        assert len(keys) > 5
        for key in keys:
            if key.has_class("-command-palette"):
                assert key.compact  # as Textual leaves it: its own style
            else:
                assert key.compact == footer.compact
                assert key.has_class("-compact") == footer.compact
