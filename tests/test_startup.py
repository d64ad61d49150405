"""Start-up: ``swreader --help`` loads no heavy module, ``export`` and ``search`` no Textual.

Each command runs in a fresh interpreter (``sys.modules`` of this one already holds
everything), on the bundled seeds and a throwaway ``SWREADER_HOME``; the child writes the
names of the modules it ended up with to a file. Nothing here times anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from swreader import cli as cli_module
from swreader.cli import cli

#: Modules ``--help`` must not import: each costs tens of milliseconds or more.
HEAVY = ("textual", "swreader.core.search", "opencc", "pypinyin", "rapidfuzz", "numpy")

#: Run ``main()`` with the given arguments, then list ``sys.modules`` into argv[1].
_CHILD = """
import json, sys
out, args = sys.argv[1], sys.argv[2:]
sys.argv = ["swreader", *args]
from swreader.cli import main
try:
    main()
except SystemExit:
    pass
with open(out, "w", encoding="utf-8") as f:
    json.dump(sorted(sys.modules), f)
"""


def _modules_after(args: list[str], tmp_path: Path) -> set[str]:
    """The modules a fresh interpreter has loaded after ``swreader ARGS``."""
    out = tmp_path / "modules.json"
    env = {**os.environ, "SWREADER_HOME": str(tmp_path / "home"), "PYTHONIOENCODING": "utf-8"}
    subprocess.run(
        [sys.executable, "-c", _CHILD, str(out), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
        timeout=300,
    )
    return set(json.loads(out.read_text(encoding="utf-8")))


def _loaded(modules: set[str], package: str) -> list[str]:
    return sorted(m for m in modules if m == package or m.startswith(package + "."))


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"], ["--ui", "fr"]])
def test_help_imports_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    modules = _modules_after(args, tmp_path)
    assert "click" in modules  # the child did run the command line
    assert {name: _loaded(modules, name) for name in HEAVY} == {name: [] for name in HEAVY}


def test_importing_the_cli_loads_none_of_the_rest() -> None:
    code = "import sys, swreader.cli; print(sorted(m for m in sys.modules if 'swreader' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(["swreader", "swreader.cli", "swreader.serve"])


def test_the_reader_loads_no_figure_tables_before_its_first_frame() -> None:
    # The figures' subjects pull in the gazetteer and the figure patterns (~0.1 s): the
    # figures view, or the figures read when an article opens, loads them; the start not.
    code = "import json, sys, swreader.app; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert "swreader.screens.figures_actions" in loaded  # the app is all there...
    late = {
        "swreader.core.pages.subjects",
        "swreader.core.pages.regions",
        "swreader.core.text.figures",
    }
    assert loaded & late == set()  # ...but for these


@pytest.mark.parametrize("args", [["export"], ["search", "社工"], ["search", "xuchang", "--json"]])
def test_export_and_search_load_no_textual(args: list[str], tmp_path: Path) -> None:
    modules = _modules_after(args, tmp_path)
    assert "swreader.core.pages.corpus" in modules  # the command did open the pages
    assert _loaded(modules, "textual") == []
    if args[0] == "export":
        assert _loaded(modules, "swreader.core.search") == []  # no index for an export


def test_option_choices_equal_the_real_ones() -> None:
    """The CLI's copies of the choices (kept light on purpose) match their sources."""
    from swreader.core.text.convert import SCRIPTS
    from swreader.serve import DEFAULT_HOST, DEFAULT_PORT
    from swreader.strings import UI_LANGUAGES

    assert cli_module.SCRIPTS == SCRIPTS
    assert cli_module.UI_LANGUAGES == UI_LANGUAGES
    for name, command in cli.commands.items():
        params = {p.name: p for p in command.params}
        if "script" in params:
            assert isinstance(params["script"].type, click.Choice), name
            assert tuple(params["script"].type.choices) == SCRIPTS, name
        if "ui" in params:
            assert isinstance(params["ui"].type, click.Choice), name
            assert tuple(params["ui"].type.choices) == UI_LANGUAGES, name
    serve = {p.name: p.default for p in cli.commands["serve"].params}
    assert (serve["host"], serve["port"]) == (DEFAULT_HOST, DEFAULT_PORT)


def test_limit_zero_asks_the_engine_for_every_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swreader.core.search.engine import SearchIndex

    monkeypatch.setenv("SWREADER_HOME", str(tmp_path / "home"))
    seen: list[object] = []
    real = SearchIndex.search

    def spy(self: SearchIndex, query: str, **kwargs: object) -> list:
        seen.append(kwargs.get("limit"))
        return real(self, query, limit=50)  # the engine's own None is not under test here

    monkeypatch.setattr(SearchIndex, "search", spy)
    runner = CliRunner()
    assert runner.invoke(cli, ["search", "社工", "--limit", "0"]).exit_code == 0
    assert runner.invoke(cli, ["search", "社工", "-n", "3"]).exit_code == 0
    assert seen == [None, 3]
    assert runner.invoke(cli, ["search", "社工", "-n", "-1"]).exit_code == 2
    assert "0 shows every hit" in runner.invoke(cli, ["search", "--help"]).output


def test_limit_zero_shows_every_hit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWREADER_HOME", str(tmp_path / "home"))
    runner = CliRunner()

    def hits(*args: str) -> list[dict]:
        result = runner.invoke(cli, ["search", "社工", "--json", *args])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.stdout.splitlines()]

    every, first = hits("-n", "0"), hits()
    assert len(first) == 20 < len(every)  # the seeds have more than 20 hits for 社工
    where = {(h["id"], h["paragraph"]) for h in every}
    assert {(h["id"], h["paragraph"]) for h in first} <= where
