"""``swreader export``: JSON Lines on stdout, problems on stderr, grep-like exit status."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from swreader.cli import cli
from swreader.core.text.convert import convert

FIELDS = {
    "id",
    "page",
    "title",
    "kicker",
    "subtitle",
    "byline",
    "sources",
    "province",
    "city",
    "date",
    "script",
    "paragraphs",
    "figures",
    "damaged",
}


def _export(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(cli, ["export", *args])
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, rows, result.stderr


def test_export_bundled_seeds() -> None:
    code, rows, err = _export()
    assert code == 0, err
    assert len(rows) == 15
    assert all(set(r) == FIELDS for r in rows)
    assert all(r["script"] == "original" for r in rows)
    assert {r["page"] for r in rows} == {
        p.stem for p in (Path(__file__).parents[1] / "seeds").glob("*.txt")
    }


def test_ids_stable_across_runs() -> None:
    assert [r["id"] for r in _export()[1]] == [r["id"] for r in _export()[1]]


def test_offsets_refer_to_exported_text_in_every_script() -> None:
    for script in ("original", "simplified", "traditional", "taiwan", "hongkong"):
        code, rows, _ = _export("--script", script)
        assert code == 0
        for row in rows:
            assert row["script"] == script
            for fig in row["figures"]:
                text = row["paragraphs"][fig["paragraph"]]["text"]
                assert text[fig["start"] : fig["end"]] == fig["text"]
            for dmg in row["damaged"]:
                text = row["paragraphs"][dmg["paragraph"]]["text"]
                assert 0 <= dmg["start"] < dmg["end"] <= len(text)


def test_script_converts_everything() -> None:
    rows = {r["id"]: r for r in _export("--script", "traditional")[1]}
    plain = {r["id"]: r for r in _export()[1]}
    xuchang = next(r for r in rows.values() if r["title"].startswith("許昌"))
    assert xuchang["title"] == "許昌市社會工作行業協會成立"
    assert xuchang["province"] == convert(plain[xuchang["id"]]["province"], "traditional")
    simplified = next(r for r in _export("--script", "simplified")[1] if "雄安" in r["title"])
    assert simplified["title"] == "雄安新区:持续推进社会工作孵化培育体系建设"


def test_bad_file_reported_on_stderr_and_exit_1(tmp_path: Path) -> None:
    good = Path(__file__).parents[1] / "seeds" / "001_15155fc0929d2e77.txt"
    (tmp_path / "good.txt").write_bytes(good.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    code, rows, err = _export(str(tmp_path))
    assert code == 1
    assert len(rows) == 3
    assert err.strip() == f"swreader: {tmp_path / 'empty.txt'}: empty file"


def test_export_reads_saved_html_and_names_non_articles(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "realpages"
    for name in ("37_html_portal_ganzhou_yudu.html", "49_list_headlines_portal.txt"):
        (tmp_path / name).write_bytes((fixtures / name).read_bytes())
    code, rows, err = _export(str(tmp_path))
    assert code == 1  # one page gave no article
    assert [r["page"] for r in rows] == ["37_html_portal_ganzhou_yudu"]
    assert rows[0]["title"] and "<" not in rows[0]["title"]
    assert all("<" not in p["text"] for p in rows[0]["paragraphs"])
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(
        "49_list_headlines_portal.txt: not a news article (list of headlines)"
    )
