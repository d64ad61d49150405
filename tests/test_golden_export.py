"""The export of the bundled seeds, in every script, byte for byte.

``tests/golden/seeds-SCRIPT.jsonl`` is what ``swreader export --script SCRIPT`` printed when
the parser was last reviewed. A change to parsing, regions, figures or conversion that
alters any field shows up here as a diff to review; regenerate the files deliberately with
``python -m swreader export --script SCRIPT > tests/golden/seeds-SCRIPT.jsonl``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from swreader.cli import cli
from swreader.core.text.convert import SCRIPTS

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("script", SCRIPTS)
def test_seed_export_is_unchanged(script: str) -> None:
    result = CliRunner().invoke(cli, ["export", "--script", script])
    assert result.exit_code == 0, result.output
    expected = (GOLDEN / f"seeds-{script}.jsonl").read_text(encoding="utf-8")
    got = result.stdout
    if got != expected:  # name the first article that differs, not a 60 KB blob
        for n, (a, b) in enumerate(zip(got.splitlines(), expected.splitlines(), strict=False)):
            assert a == b, f"article {n} differs"
    assert got == expected
