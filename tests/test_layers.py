"""Layer contracts: the tree explains the design only while imports keep to it.

The same contracts harlequin states with import-linter, checked here from the sources'
own import statements (every ``import``, at any depth, ``TYPE_CHECKING`` blocks included):

* the core never imports Textual, nor the UI;
* ``system`` and ``text`` import nothing else of the core;
* ``pages`` may use ``text`` and ``system``;
* ``search`` may use ``text``, ``pages`` and ``system``;
* ``store`` may use ``text``, ``pages`` and ``system``, never ``search``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "swreader"
CORE = PACKAGE / "core"
ROLES = ("system", "text", "pages", "search", "store")
#: For each core role, the other roles it may import.
ALLOWED: dict[str, set[str]] = {
    "system": set(),
    "text": set(),
    "pages": {"text", "system"},
    "search": {"text", "pages", "system"},
    "store": {"text", "pages", "system"},
}
UI = ("swreader.app", "swreader.screens", "swreader.widgets", "swreader.screens.commands")
UI += (
    "swreader.widgets.messages",
    "swreader.screens.testing",
    "swreader.screenshots",
    "swreader.cli",
)
MAX_LINES = 400


def imported(source: str) -> set[str]:
    """Every module named by an import statement in ``source``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # ``from swreader.core import text`` names the subpackage in the alias.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def violations(role: str, source: str) -> list[str]:
    """The imports of a module of core ``role`` that break a contract."""
    bad = []
    for name in sorted(imported(source)):
        top = name.split(".")[0]
        if top == "textual" or name.startswith(UI):
            bad.append(name)
        elif name.startswith("swreader.core."):
            other = name.split(".")[2]
            if other in ROLES and other != role and other not in ALLOWED[role]:
                bad.append(name)
    return bad


def _core_modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(CORE).parts
        out.append((parts[0] if len(parts) > 1 else "", path))
    return out


def test_every_core_module_lives_in_a_role() -> None:
    loose = [p.name for role, p in _core_modules() if role == "" and p.name != "__init__.py"]
    assert loose == []
    assert {role for role, _ in _core_modules() if role} == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_role_keeps_its_contract(role: str) -> None:
    broken = {
        str(path.relative_to(CORE)): bad
        for r, path in _core_modules()
        if r == role and (bad := violations(role, path.read_text(encoding="utf-8")))
    }
    assert broken == {}


def test_the_checker_sees_a_broken_contract() -> None:
    """Guards the guard: each kind of violation is caught."""
    assert violations("store", "from swreader.core.search.engine import SearchIndex")
    assert violations("text", "from swreader.core.pages import model")
    assert violations("pages", "import textual.app")
    assert violations("search", "def f():\n    from swreader.widgets.reader import ReaderView\n")
    assert violations("store", "from swreader.core import search")  # the role as a name
    assert violations("text", "from swreader.core.pages import x")
    assert not violations("search", "from swreader.core.pages.model import Article")


def test_no_module_is_over_the_size_limit() -> None:
    sizes = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert sizes == {}


def test_importing_the_whole_core_and_cli_loads_no_textual() -> None:
    code = (
        "import sys, pkgutil, importlib, swreader.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'swreader.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import swreader.cli\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_only_the_ui_imports_textual() -> None:
    """Textual is imported by the UI (app, screens, widgets and their entry points) only."""
    outside = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(("swreader", *path.relative_to(PACKAGE).with_suffix("").parts))
        module = module.removesuffix(".__init__")
        if module.startswith(UI):
            continue
        if any(name.split(".")[0] == "textual" for name in imported(path.read_text("utf-8"))):
            outside.append(module)
    assert outside == []
