"""The core must stay Textual-free: it is the library, the UI is a thin layer on top."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "swreader" / "core"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_sources_never_import_textual() -> None:
    offenders = [p.name for p in CORE.rglob("*.py") if "textual" in _imports(p)]
    assert offenders == []


def test_core_sources_never_import_the_ui_layer() -> None:
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(
                    ("swreader.app", "swreader.screens", "swreader.widgets")
                ), (path.name, node.module)


def test_importing_the_whole_core_loads_no_textual() -> None:
    code = (
        "import sys, pkgutil, importlib, swreader.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__): importlib.import_module('swreader.core.' + m.name)\n"
        "import swreader.cli\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
