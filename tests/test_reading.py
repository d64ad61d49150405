"""Decoding: every encoding users send, line endings, and files that cannot be read."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swreader.core.pages.corpus import load_corpus, load_page
from swreader.core.text.clean import strip_pinyin
from swreader.core.text.reading import UnreadableError, decode_bytes, normalise_text

from .conftest import SEEDS

SIMPLIFIED = (SEEDS / "001_15155fc0929d2e77.txt").read_text(encoding="utf-8")
# Big5 has no simplified forms: use the traditional web page's article text.
TRADITIONAL = strip_pinyin(
    "\n\n".join(
        line.strip()
        for line in (SEEDS / "004_f988601a15226abb.txt").read_text(encoding="utf-8").split("\n")
        if len(line.strip()) > 30 and "|" not in line
    )
)


@pytest.mark.parametrize(
    ("codec", "prefix"),
    [
        ("utf_8", b""),
        ("utf_8", codecs.BOM_UTF8),
        ("utf_16_le", codecs.BOM_UTF16_LE),
        ("utf_16_be", codecs.BOM_UTF16_BE),
        ("gb18030", b""),
        ("gbk", b""),
    ],
)
def test_simplified_page_in_every_encoding(codec: str, prefix: bytes) -> None:
    decoded = decode_bytes(prefix + SIMPLIFIED.encode(codec))
    assert decoded.text == normalise_text(SIMPLIFIED)


def test_big5_page() -> None:
    data = TRADITIONAL.encode("big5", errors="ignore")
    decoded = decode_bytes(data)
    assert decoded.encoding.replace("_", "").lower().startswith(("big5", "cp950"))
    assert "社會工作孵化培育基地" in decoded.text


def test_short_gb18030_file_is_still_recognised() -> None:
    assert (
        decode_bytes("许昌市社会工作行业协会成立".encode("gb18030")).text
        == "许昌市社会工作行业协会成立"
    )


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_line_endings_are_normalised(ending: str) -> None:
    decoded = decode_bytes(SIMPLIFIED.replace("\n", ending).encode("utf-8"))
    assert "\r" not in decoded.text
    assert decoded.text == normalise_text(SIMPLIFIED)


def test_odd_spaces_are_normalised() -> None:
    assert normalise_text("社工\u00a0站\u200b建设\t全覆盖  ") == "社工 站建设 全覆盖"


def test_crlf_gb18030_page_parses_like_the_original(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(SIMPLIFIED.replace("\n", "\r\n").encode("gb18030"))
    page = load_page(path)
    assert page.error is None
    assert next(a.title for a in page.articles) == "许昌市社会工作行业协会成立"
    assert len(page.articles) == 3


def test_truncated_utf8_keeps_what_is_there() -> None:
    data = SIMPLIFIED.encode("utf-8")[:-2]
    decoded = decode_bytes(data)
    assert decoded.truncated
    assert decoded.text.endswith("\ufffd")
    assert decoded.text[:-1] in SIMPLIFIED


def test_truncated_gb18030_keeps_what_is_there() -> None:
    data = SIMPLIFIED[:400].encode("gb18030")[:-1]
    decoded = decode_bytes(data)
    assert decoded.text.startswith(normalise_text(SIMPLIFIED[:300]))


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty file"), (b"  \n\r\n ", "empty file"), (b"\x00\x01\x02PK\x03\x04" * 50, "binary")],
)
def test_unreadable_files_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableError, match=reason):
        decode_bytes(data)


def test_bad_files_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "c_chrome.txt").write_text(
        "首頁 | 版面導航 | 標題導航\n第01版:頭版\n第02版:新聞\n", encoding="utf-8"
    )
    (tmp_path / "d_good.txt").write_text(SIMPLIFIED, encoding="utf-8")
    corpus = load_corpus([tmp_path, tmp_path / "missing.txt"])
    problems = {path.name: reason for path, reason in corpus.problems}
    assert problems["a_empty.txt"] == "empty file"
    assert "binary" in problems["b_binary.txt"]
    assert "chrome" in problems["c_chrome.txt"]
    assert "missing.txt" in problems
    assert len(corpus.articles) == 3
    chrome_page = next(p for p in corpus.pages if p.stem == "c_chrome")
    assert chrome_page.text is not None and "版面導航" in chrome_page.text  # still viewable


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_no_bytes_crash_the_reader(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except UnreadableError as err:
        assert str(err)
        return
    assert isinstance(decoded.text, str)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                SIMPLIFIED.encode("utf-8")[:200],
                "■ 本报记者".encode(),
                b"\n\n",
                b"\r\n",
                b"\xff\xfe",
                b"(\xe6\x8d\xae",
                "雄安新區(qū):".encode(),
                b"?",
                "\ue2c4".encode(),
                b"- 1.",
                b"\x00",
            ]
        )
        | st.binary(max_size=64),
        max_size=30,
    )
)
def test_no_page_crashes_the_loader(
    tmp_path_factory: pytest.TempPathFactory, chunks: list[bytes]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "page.txt"
    path.write_bytes(b"".join(chunks))
    page = load_page(path)
    assert page.error or page.articles
    for article in page.articles:
        for d in article.damaged:
            assert 0 <= d.start < d.end <= len(article.paragraphs[d.paragraph].text)
