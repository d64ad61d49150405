"""``swreader figures`` and the rows behind it: CSV, JSON Lines, filters, either script.

The command object is invoked directly, and through the ``swreader`` group that registers it
lazily; every test has its own ``SWREADER_HOME`` (the autouse fixture of ``conftest.py``), so
the first run of each computes the figures and stores them in the library.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from swreader.core.pages.corpus import bundled_seeds, load_corpus
from swreader.core.pages.figtable import (
    CSV_COLUMNS,
    FigureRow,
    figure_rows,
    filter_rows,
    to_json,
    write_csv,
)
from swreader.core.pages.model import Article
from swreader.core.text.figures import KINDS
from swreader.figures_cli import KINDS as CLI_KINDS
from swreader.figures_cli import figures

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
XIONGAN = SEEDS / "004_f988601a15226abb.txt"  # traditional script, 河北·雄安新区


def run(*args: str) -> str:
    """The output of ``swreader figures ARGS``, which must succeed."""
    result = CliRunner().invoke(figures, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def read_csv(output: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(output, newline=""))
    header = next(reader)
    assert tuple(header) == CSV_COLUMNS
    return [dict(zip(header, line, strict=True)) for line in reader]


@pytest.fixture(scope="module")
def seed_rows() -> list[FigureRow]:
    return [row for a in load_corpus([bundled_seeds()]).articles for row in figure_rows(a)]


# --- the rows ----------------------------------------------------------------------------------


def test_rows_join_value_subject_and_article(seed_rows: list[FigureRow]) -> None:
    (row,) = [r for r in seed_rows if r.text == "近700萬元"]
    assert (row.value, row.approximate, row.bound, row.unit, row.kind) == (
        7_000_000,
        True,
        "about",
        "元",
        "money",
    )
    assert (row.subject, row.role) == ("財政資金", None)
    assert (row.region, row.province, row.city, row.date) == (
        "河北·雄安新区",
        "河北",
        "雄安新区",
        "2023-10-24",
    )
    assert row.title.startswith("雄安新區")
    (to,) = [r for r in seed_rows if r.text == "550人"]
    assert (to.subject, to.role, to.value) == ("持證社會工作專業人才", "to", 550)


def test_rows_point_at_their_figure(seed_rows: list[FigureRow]) -> None:
    articles: dict[str, Article] = {a.id: a for a in load_corpus([bundled_seeds()]).articles}
    for row in seed_rows:
        text = articles[row.article_id].paragraphs[row.paragraph].text
        assert text[row.start : row.end] == row.text


def test_filter_by_subject_kind_and_region_in_either_script(seed_rows: list[FigureRow]) -> None:
    stations = filter_rows(seed_rows, subject="社工站")
    assert {r.text for r in stations} >= {"118个", "106个", "35個"}
    # The query and the subject may be in either script.
    assert filter_rows(seed_rows, subject="服務機構") == filter_rows(seed_rows, subject="服务机构")
    assert {r.text for r in filter_rows(seed_rows, subject="服务机构")} >= {"1家", "24家"}
    assert {r.text for r in filter_rows(seed_rows, subject="持證社會工作")} == {"30人", "550人"}
    assert {r.text for r in filter_rows(seed_rows, subject="持证社会工作")} == {"30人", "550人"}
    assert {r.text for r in filter_rows(seed_rows, subject="持证")} > {"30人", "550人"}
    money = filter_rows(seed_rows, kind="money")
    assert money and all(r.kind == "money" for r in money)
    henan = filter_rows(seed_rows, region="河南")
    assert henan and {r.province for r in henan} == {"河南"}
    assert filter_rows(seed_rows, region="河南省") == henan
    assert {r.city for r in filter_rows(seed_rows, region="新乡")} == {"新乡"}
    assert filter_rows(seed_rows, region="雄安新區") == filter_rows(seed_rows, region="雄安新区")
    both = filter_rows(seed_rows, subject="社工站", kind="count", region="河南")
    assert {r.text for r in both} == {"118个", "106个"}
    assert filter_rows(seed_rows, region="火星") == []


def test_json_keeps_the_column_order_and_whole_numbers(seed_rows: list[FigureRow]) -> None:
    record = to_json(next(r for r in seed_rows if r.text == "1.3万人"))
    assert tuple(record) == CSV_COLUMNS
    assert record["value"] == 13000 and isinstance(record["value"], int)
    assert record["low"] is None


def test_write_csv_counts_its_rows(seed_rows: list[FigureRow]) -> None:
    out = io.StringIO(newline="")
    assert write_csv(seed_rows, out) == len(seed_rows)
    assert len(read_csv(out.getvalue())) == len(seed_rows)
    out = io.StringIO(newline="")
    write_csv(seed_rows[:2], out, header=False)
    assert len(list(csv.reader(io.StringIO(out.getvalue())))) == 2


# --- the command -------------------------------------------------------------------------------


def test_the_kinds_are_the_patterns_kinds() -> None:
    assert CLI_KINDS == KINDS


def test_csv_opens_in_the_csv_module_with_the_documented_header() -> None:
    rows = read_csv(run("--csv"))
    assert len(rows) > 80
    (row,) = [r for r in rows if r["text"] == "60余万元"]
    assert (row["value"], row["approximate"], row["bound"], row["unit"]) == (
        "600000",
        "true",
        "at least",
        "元",
    )
    assert row["subject"] == "资金" and row["kind"] == "money" and row["region"] == "重庆·沙坪坝"
    assert int(row["paragraph"]) >= 0 and int(row["end"]) > int(row["start"])


def test_csv_of_nothing_is_a_header() -> None:
    assert read_csv(run("--csv", "--region", "火星")) == []


def test_subject_kind_and_region_filter_the_output() -> None:
    stations = read_csv(run("--csv", "--subject", "社工站"))
    assert stations and all("社工站" in r["subject"] for r in stations)
    counts = read_csv(run("--csv", "--kind", "count"))
    assert counts and {r["kind"] for r in counts} == {"count"}
    henan = read_csv(run("--csv", "--region", "河南"))
    assert henan and {r["province"] for r in henan} == {"河南"}
    assert read_csv(run("--csv", "--region", "臺灣")) == []  # the seeds hold none
    both = read_csv(run("--csv", "--subject", "社工站", "--kind", "count", "--region", "河南"))
    assert {r["text"] for r in both} == {"118个", "106个"}


def test_json_gives_one_object_per_line() -> None:
    lines = run("--json", "--region", "河北").splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(tuple(r) == CSV_COLUMNS for r in records)
    assert {r["province"] for r in records} == {"河北"}
    (to,) = [r for r in records if r["text"] == "550人"]
    assert (to["value"], to["subject"], to["role"]) == (550, "持證社會工作專業人才", "to")


def test_paths_are_read_and_the_table_is_the_default() -> None:
    output = run(str(XIONGAN), "--kind", "money")
    (line,) = output.splitlines()
    assert "近700萬元" in line and "≈7,000,000 元" in line and "財政資金" in line
    assert "河北·雄安新区" in line and "2023-10-24" in line


def test_csv_and_json_together_are_refused() -> None:
    result = CliRunner().invoke(figures, ["--csv", "--json"])
    assert result.exit_code == 2
    assert "--csv and --json" in result.output


def test_an_unknown_kind_is_refused() -> None:
    assert CliRunner().invoke(figures, ["--kind", "weight"]).exit_code == 2


def test_a_missing_file_is_reported_and_sets_the_status(tmp_path: Path) -> None:
    result = CliRunner().invoke(figures, [str(tmp_path / "missing.txt"), "--csv"])
    assert result.exit_code == 1
    assert read_csv(result.stdout) == []
    assert "missing.txt" in result.stderr


def test_the_swreader_group_runs_it_and_a_second_run_reads_the_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from swreader.cli import cli
    from swreader.core.store import figurework

    first = CliRunner().invoke(cli, ["figures", "--csv"])
    assert first.exit_code == 0, (first.output, first.exception)
    assert len(read_csv(first.stdout)) > 80

    def computed_again(article: Article) -> list[FigureRow]:
        raise AssertionError("the figures were computed again")

    monkeypatch.setattr(figurework, "figure_rows", computed_again)
    second = CliRunner().invoke(cli, ["figures", "--csv"])
    assert second.exit_code == 0, (second.output, second.exception)
    assert second.stdout == first.stdout
    henan = CliRunner().invoke(cli, ["figures", "--csv", "--region", "河南", "--kind", "count"])
    assert {r["province"] for r in read_csv(henan.stdout)} == {"河南"}


def test_swreader_help_lists_it() -> None:
    from swreader.cli import cli

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    (line,) = [x for x in result.output.splitlines() if x.strip().startswith("figures ")]
    assert "List the key figures of PATH" in line
    assert "figures" in CliRunner().invoke(cli, ["figures", "--help"]).output
