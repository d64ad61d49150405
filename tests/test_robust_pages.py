"""Robustness of page reading: ids, captions, pathological pages, and a fuzz of the parser.

The fuzz mutates real-looking pages (the seeds and the real-page fixtures) the way files
get damaged or mangled: lines deleted, duplicated and shuffled, bytes flipped, text
re-encoded. Whatever comes in, parsing never raises anything but :class:`NotAnArticle`,
and every article it gives is well formed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swreader.core.pages.corpus import Page
from swreader.core.pages.ids import assign_ids, folder_of
from swreader.core.pages.model import Article, Kind
from swreader.core.pages.parse import NotAnArticle, parse_page
from swreader.core.text.reading import UnreadableError, decode_bytes

from .conftest import SEEDS

REAL = Path(__file__).parent / "fixtures" / "realpages"
PAGES = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + [
    p.read_text(encoding="utf-8")
    for p in sorted(REAL.glob("*.txt"))
    if p.name[:2] in {"02", "08", "12", "24", "27", "33", "36", "49"}
]


def _articles(text: str) -> list[Article]:
    try:
        return parse_page(text, page="p", path="p.txt")
    except NotAnArticle:
        return []


def _well_formed(articles: list[Article]) -> None:
    ids = [a.id for a in articles]
    assert len(ids) == len(set(ids))
    for a in articles:
        assert a.title and a.paragraphs
        assert any(p.kind is not Kind.CAPTION for p in a.paragraphs)
        for f in a.figures:
            text = a.paragraphs[f.paragraph].text
            assert 0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.text
        for d in a.damaged:
            assert 0 <= d.start < d.end <= len(a.paragraphs[d.paragraph].text)


_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.sampled_from(PAGES), st.data())
def test_mutated_lines_never_break_the_parser(page: str, data: st.DataObject) -> None:
    lines = page.split("\n")
    for _ in range(data.draw(st.integers(0, 6))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap", "cut"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            k = data.draw(st.integers(0, len(lines[i])))
            lines[i : i + 1] = [lines[i][:k], lines[i][k:]]
    if data.draw(st.booleans()):
        lines = data.draw(st.permutations(lines))
    _well_formed(_articles("\n".join(lines)))


@_FUZZ
@given(
    st.sampled_from(PAGES),
    st.sampled_from(["utf-8", "gb18030", "big5", "utf-16", "utf-16-le"]),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4),
)
def test_flipped_and_reencoded_bytes_never_break_reading(
    page: str, codec: str, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(page.encode(codec, errors="replace"))
    for where, byte in flips:
        data[int(where * (len(data) - 1))] = byte
    try:
        decoded = decode_bytes(bytes(data))
    except UnreadableError:
        return
    _well_formed(_articles(decoded.text))


def test_a_paragraph_mentioning_a_photo_credit_is_not_a_caption() -> None:
    text = (
        "县民政局规范社工机构宣传\n\n■ 本报记者 张三\n\n"
        "县民政局近日印发通知，要求社工机构发布活动照片时必须注明图片来源，"
        "不得随意转载他人拍摄的照片，未经当事人同意不得发布服务对象的正面照片，"
        "违者将被约谈并限期整改。\n\n(据县民政局)"
    )
    [article] = parse_page(text, page="p")
    assert [p.kind for p in article.paragraphs] == [Kind.BODY]


def test_twenty_thousand_equal_titles_parse_in_linear_time() -> None:
    def page(n: int) -> str:
        item = "简讯\n\n■ 本报记者 张三\n\n这是第{}条简讯，社工站开展了服务，居民都很满意。\n\n(据本报)"
        return "\n\n".join(item.format(i) for i in range(n))

    timings = []
    for n in (2_000, 20_000):
        start = time.perf_counter()
        articles = parse_page(page(n), page="p")
        timings.append(time.perf_counter() - start)
        assert len({a.id for a in articles}) == n
    # Ten times the articles may cost ten times the time (and some noise), never a hundred.
    assert timings[1] < 30 * timings[0]


def _page(path: str, *titles: str) -> Page:
    articles = [
        Article(id=f"{Path(path).stem}-{t}", page=Path(path).stem, path=path, title=t)
        for t in titles
    ]
    return Page(path=Path(path), stem=Path(path).stem, articles=articles)


def test_ids_are_unique_across_folders_and_survive_a_moved_archive(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    for day in ("2023-01-01", "2023-01-02"):
        (archive / day).mkdir(parents=True)
    pages = [_page(str(archive / d / "06.txt"), "简讯") for d in ("2023-01-01", "2023-01-02")]
    pages.append(_page(str(archive / "07.txt"), "简讯", "简讯"))
    assign_ids(pages, [archive])
    ids = [a.id for p in pages for a in p.articles]
    assert ids == ["2023-01-01/06-简讯", "2023-01-02/06-简讯", "07-简讯", "07-简讯~2"]
    moved = tmp_path / "elsewhere"
    again = [_page(str(moved / d / "06.txt"), "简讯") for d in ("2023-01-01", "2023-01-02")]
    assign_ids(again, [moved])
    assert [a.id for p in again for a in p.articles] == ids[:2]


def test_a_page_opened_by_name_keeps_its_plain_id(tmp_path: Path) -> None:
    assert folder_of(tmp_path / "a" / "06.txt", [tmp_path / "a" / "06.txt"]) == ""
    assert folder_of(tmp_path / "a" / "b" / "06.txt", [tmp_path]) == "a/b"


def test_undecodable_file_names_give_printable_ids(tmp_path: Path) -> None:
    name = Path(tmp_path / "arch" / (b"\xff".decode("utf-8", "surrogateescape")) / "06.txt")
    pages = [_page(str(name), "简讯")]
    assign_ids(pages, [tmp_path / "arch"])
    [article] = pages[0].articles
    assert article.id == "\\xff/06-简讯"
    article.id.encode("utf-8")  # printable: no lone surrogates


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_ids_do_not_change(seed: Path) -> None:
    articles = parse_page(seed.read_text(encoding="utf-8"), page=seed.stem, path=str(seed))
    pages = [Page(path=seed, stem=seed.stem, articles=articles)]
    before = [a.id for a in articles]
    assign_ids(pages, [SEEDS])
    assert [a.id for a in articles] == before


def test_same_file_name_and_title_in_two_folders_are_two_articles(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from swreader.cli import cli

    page = "简讯\n\n■ 本报记者 张三\n\n{}社工站开门了，居民都来参加活动，大家都很满意。\n\n(据本报)"
    for day, place in (("2023-01-01", "东城"), ("2023-01-02", "西城")):
        (tmp_path / day).mkdir()
        (tmp_path / day / "06.txt").write_text(page.format(place), encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(tmp_path)])
    import json

    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"].split("/")[0] for r in rows] == ["2023-01-01", "2023-01-02"]
    assert len({r["id"] for r in rows}) == 2
    found = CliRunner().invoke(cli, ["search", "西城", str(tmp_path), "--json"])
    [hit] = [json.loads(line) for line in found.stdout.splitlines()]
    assert hit["id"] == rows[1]["id"]
