"""The interface speaks the reader's language: 简体, 繁體 or English, from one catalogue."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from swreader import strings
from swreader.app import make_app
from swreader.core.store.userstate import StateStore
from swreader.core.text.convert import LABELS, convert
from swreader.screens import commands
from swreader.widgets.article_list import ArticleList
from swreader.widgets.reader import ReaderView
from swreader.widgets.sidebar import SourceTree
from swreader.widgets.statusbar import StatusBar

from .pilot import footer_label, screen, settle, without_locale

HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile("[A-Za-z]")
#: Strings that are names in their own script or language on purpose (繁體 in a 简体 UI,
#: 简体中文 in an English one), as language and script menus name them.
SELF_NAMED = {k for k in strings.CATALOGUE if k.startswith(("script.", "ui."))}


@pytest.fixture(autouse=True)
def _no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    without_locale(monkeypatch)


@pytest.mark.parametrize(
    ("environ", "ui"),
    [
        ({}, "zh-Hans"),
        ({"LANG": "C.UTF-8"}, "zh-Hans"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-Hans"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-Hant"),
        ({"LANG": "zh_HK.Big5-HKSCS"}, "zh-Hant"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, "zh-Hant"),
        ({"LANG": "zh_TW.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "zh-Hans"),
        ({"LANG": "", "LC_MESSAGES": "en"}, "en"),
    ],
)
def test_the_default_comes_from_the_locale(environ: dict[str, str], ui: str) -> None:
    assert strings.ui_from_locale(environ) == ui


def test_every_binding_is_in_the_catalogue_in_three_languages() -> None:
    for binding in commands.ALL:
        assert binding.id and strings.has(binding.id), binding
    for key, values in strings.CATALOGUE.items():
        assert len(values) == 3 and all(v.strip() for v in values), key
        fields = [{f for _, f, _, _ in Formatter().parse(v) if f} for v in values]
        assert fields[0] == fields[1] == fields[2] - {"s"}, key  # {s}: English plurals


def _without_labels(text: str) -> str:
    for label in [*LABELS.values(), "簡體", "简体"]:
        text = text.replace(label, "")
    return text


def test_each_chinese_language_is_written_in_its_own_script() -> None:
    for key, (hans, hant, _) in strings.CATALOGUE.items():
        if key in SELF_NAMED or key == "search.placeholder":  # 汉字/漢字: both, on purpose
            continue
        assert convert(_without_labels(hans), "simplified") == _without_labels(hans), key
        assert convert(_without_labels(hant), "traditional") == _without_labels(hant), key


def test_english_has_no_chinese_and_chinese_no_english_words() -> None:
    for key, (hans, hant, en) in strings.CATALOGUE.items():
        if key in SELF_NAMED or key.startswith("help.guide"):
            continue  # the guide quotes the keys' Chinese names
        assert not HAN.search(en), (key, en)
        chinese = re.sub(r"\{\w*\}", "", hans + hant)  # fields are not words
        words = [w for w in re.findall("[A-Za-z]+", chinese) if w not in {"SVG"}]
        assert not words, (key, words)


@pytest.mark.parametrize("ui", strings.UI_LANGUAGES)
async def test_no_binding_speaks_another_language(ui: str) -> None:
    """Every live binding, on every node that has ours, and what the footer shows."""
    app = make_app(ui=ui)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        nodes = [app, app.screen, *app.screen.walk_children()]
        seen = 0
        for node in nodes:
            for _, binding in node._bindings:
                if binding.id is None or not strings.has(binding.id):
                    continue
                seen += 1
                _check(ui, binding.description)
        assert seen >= len(commands.ALL) - len(commands.SEARCH + commands.PAGE + commands.HELP)
        for _, binding, _, _ in app.screen.active_bindings.values():
            if binding.show:
                _check(ui, binding.description)
        for command in app.get_system_commands(app.screen):
            if not command.title.startswith(strings.text("palette.ui", ui, name="")):
                _check(ui, command.title)


def _check(ui: str, description: str) -> None:
    if ui == "en":
        assert not HAN.search(description), description
    else:
        assert not LATIN.search(description), description


async def test_the_palette_changes_the_language_and_it_is_remembered() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert screen(app).ui == "zh-Hans" and footer_label(app, "slash") == "搜索"
        command = next(c for c in app.get_system_commands(app.screen) if "English" in c.title)
        command.callback()
        await settle(pilot)
        assert footer_label(app, "slash") == "Search" and footer_label(app, "t") == "Traditional"
        tree = app.screen.query_one(SourceTree)
        assert str(tree.root.children[0].label) == "All articles (15)"
        own = next(n for n in tree.root.children[1].children if n.data.selection.value == "本报")
        assert str(own.label) == "Own reporting (3)"
        status = str(app.screen.query_one(StatusBar).render())
        assert "Original" in status and "15 articles" in status
        assert app.screen.query_one(ArticleList).border_title == "Articles"
        reader = app.screen.query_one(ReaderView)
        assert HAN.search(reader.shown.title)  # the content keeps its own script
        await pilot.press("m")
        await pilot.pause()
        assert any(n.message == "Bookmarked" for n in app._notifications)
        await pilot.press("q")
    assert StateStore().get_setting("ui") == "en"
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert screen(again).ui == "en"
    forced = make_app(ui="zh-Hant")  # the CLI's --ui wins over the remembered choice
    async with forced.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert screen(forced).ui == "zh-Hant" and footer_label(forced, "slash") == "搜尋"


async def test_the_locale_decides_when_nothing_was_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert screen(app).ui == "zh-Hant"
        tree = app.screen.query_one(SourceTree)
        assert str(tree.root.children[2].label).startswith("地區")
        await pilot.press("question_mark")
        await settle(pilot)
        assert "按鍵" in app.screen.query_one("#help").source


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="interface language"):
        make_app(ui="fr")
