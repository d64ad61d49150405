"""Files and folders that used to hang, crash or be misread: deep trees, FIFOs, devices,
damaged bytes, the same folder twice, UTF-16 without BOM, names that are not UTF-8."""

from __future__ import annotations

import codecs
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swreader.core.pages import corpus as corpus_module
from swreader.core.pages.corpus import display_path, iter_files, load_page
from swreader.core.text import reading
from swreader.core.text.reading import UnreadableError, decode_bytes, normalise_text, read_page

from .conftest import SEEDS

GOLDEN = Path(__file__).parent / "golden"
PAGE = SEEDS / "001_15155fc0929d2e77.txt"  # three articles
SIMPLIFIED = PAGE.read_text(encoding="utf-8")
# Big5 has no simplified forms: the traditional web page, without what Big5 cannot hold.
TRADITIONAL = (
    (SEEDS / "004_f988601a15226abb.txt")
    .read_text(encoding="utf-8")
    .encode("big5", errors="ignore")
    .decode("big5")
)
SEED_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
NAMES = sorted(SEED_TEXTS)


def _export(*args: str | os.PathLike[str], home: Path) -> subprocess.CompletedProcess[str]:
    """``swreader export ARGS`` in a child process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "swreader", "export", *map(os.fspath, args)],
        env={**os.environ, "SWREADER_HOME": os.fspath(home)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _rows(result: subprocess.CompletedProcess[str]) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def _remove_tree(top: Path) -> None:
    """rmtree without recursion (shutil's recurses, and pytest's clean-up uses it)."""
    order, stack = [], [os.fspath(top)]
    while stack:
        folder = stack.pop()
        order.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.unlink(entry.path)
    for folder in reversed(order):
        os.rmdir(folder)


# 1. Deep trees and linked folders.


def test_export_of_a_folder_nested_1000_deep(tmp_path: Path) -> None:
    top = tmp_path / "deep"
    folder = os.fspath(top)
    os.mkdir(folder)
    try:
        for _ in range(1000):  # os.makedirs recurses too
            folder = os.path.join(folder, "d")
            os.mkdir(folder)
        Path(folder, "page.txt").write_bytes(PAGE.read_bytes())
        result = _export(top, home=tmp_path / "home")
        assert result.returncode == 0, result.stderr[-2000:]
        assert len(_rows(result)) == 3
    finally:
        _remove_tree(top)


def test_linked_folders_are_followed_once_and_loops_end(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "a").mkdir(parents=True)
    outside.mkdir()
    (root / "a" / "x.txt").write_text("x", encoding="utf-8")
    (outside / "y.htm").write_text("y", encoding="utf-8")
    (root / "a" / "loop").symlink_to(root)  # back up: a loop
    (root / "b").symlink_to(root / "a")  # a folder seen already
    (root / "ext").symlink_to(outside)  # a folder seen only through its link
    assert list(iter_files([root])) == [root / "a" / "x.txt", root / "ext" / "y.htm"]


def test_files_come_in_sorted_path_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "a-b.htm", "a/z.html", "a/b/c.txt", "A.txt", "c.HTML", "n.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    rglob = sorted(
        p for pattern in corpus_module.PATTERNS for p in tmp_path.rglob(pattern) if p.is_file()
    )
    assert list(iter_files([tmp_path, missing])) == [*rglob, missing]


# 2. Only regular files, never more than MAX_BYTES.


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_device_named_on_the_command_line_are_refused(tmp_path: Path) -> None:
    fifo, zero = tmp_path / "f.txt", tmp_path / "z.txt"
    os.mkfifo(fifo)  # with no writer: opening it for reading would block forever
    zero.symlink_to("/dev/zero")  # reading it never ends
    result = _export(fifo, zero, PAGE, home=tmp_path / "home")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"swreader: {fifo}: not a regular file (fifo)",
        f"swreader: {zero}: not a regular file (character device)",
    ]
    assert len(_rows(result)) == 3


def test_reading_is_bounded_whatever_the_size_says(monkeypatch: pytest.MonkeyPatch) -> None:
    maps = Path("/proc/self/maps")  # a regular file of size 0 with a few KB in it
    if not maps.is_file():
        pytest.skip("no /proc")
    monkeypatch.setattr(reading, "MAX_BYTES", 256)
    with pytest.raises(UnreadableError, match="too large"):
        read_page(maps)


def test_a_file_at_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_BYTES", 4096)
    data = SIMPLIFIED.encode("utf-8")[:4096]
    (tmp_path / "at.txt").write_bytes(data)
    (tmp_path / "over.txt").write_bytes(data + b"x")
    assert read_page(tmp_path / "at.txt").text
    with pytest.raises(UnreadableError, match="too large"):
        read_page(tmp_path / "over.txt")
    with pytest.raises(UnreadableError, match=r"not a regular file \(directory\)"):
        read_page(tmp_path)


def _common(a: str, b: str) -> int:
    """Length of the common prefix of ``a`` and ``b``."""
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


# 3. A few bad bytes in a page that is clearly in one encoding.


def test_export_keeps_a_page_with_one_bad_byte(tmp_path: Path) -> None:
    data = bytearray(PAGE.read_bytes())
    at = data.index("提升全市".encode()) + 1  # inside a Han character of the body
    data[at] = 0xFF
    (tmp_path / "page.txt").write_bytes(bytes(data))
    result = _export(tmp_path / "page.txt", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    rows = _rows(result)
    assert len(rows) == 3
    assert sum(len(r["damaged"]) for r in rows) >= 1
    assert any("\ufffd" in p["text"] for r in rows for p in r["paragraphs"])


@pytest.mark.parametrize(
    ("text", "codec", "flips"),
    [
        (SIMPLIFIED, "utf_8", 120),
        (SIMPLIFIED, "gb18030", 40),
        (TRADITIONAL, "big5", 40),
        (SIMPLIFIED, "utf_16_le", 40),
        (SIMPLIFIED, "utf_16_be", 40),
    ],
    ids=["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"],
)
def test_one_bad_byte_never_drops_a_page(text: str, codec: str, flips: int) -> None:
    clean = normalise_text(text)
    data = text.encode(codec)
    rng = random.Random(codec)
    for _ in range(flips):
        damaged = bytearray(data)
        at = rng.randrange(len(damaged))
        damaged[at] = rng.randrange(256)
        decoded = decode_bytes(bytes(damaged))
        assert codecs.lookup(decoded.encoding).name.startswith(codecs.lookup(codec).name[:4])
        if codec == "utf_8":  # UTF-8 resynchronises at once: the damage stays local
            prefix, suffix = _common(decoded.text, clean), _common(decoded.text[::-1], clean[::-1])
            assert prefix + suffix >= len(clean) - 2, at
        if decoded.text.count("\ufffd") > clean.count("\ufffd"):
            assert decoded.bad_bytes >= 1


def test_a_gbk_page_with_little_chinese_is_not_taken_for_damaged_utf8() -> None:
    # Its few non-ASCII bytes are nearly all bad as UTF-8. (That the detector then says
    # cp1252 is another matter: there is too little Chinese to go on.)
    text = "Social work station 社工站 " + "x" * 2000
    assert decode_bytes(text.encode("gbk")).encoding != "utf_8"


# 4. The same file reached twice.


def test_the_same_folder_given_twice_is_listed_once(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(SEEDS)
    result = _export(SEEDS, SEEDS, SEEDS / "000_eb087be58cc3fb1e.txt", link, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(_rows(result)) == 15
    # Exactly the export of the seeds given once (the golden file is that), in that order.
    assert result.stdout == (GOLDEN / "seeds-original.jsonl").read_text(encoding="utf-8")


def test_a_linked_file_counts_as_its_target(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_bytes(PAGE.read_bytes())
    (tmp_path / "alias.txt").symlink_to(tmp_path / "page.txt")
    files = list(iter_files([tmp_path / "page.txt", tmp_path, tmp_path / "alias.txt"]))
    assert files == [tmp_path / "page.txt"]


# 5. UTF-16 without BOM; a BOM followed by binary data.


@pytest.mark.parametrize("codec", ["utf_16_le", "utf_16_be"])
@pytest.mark.parametrize(
    "text", [SIMPLIFIED, TRADITIONAL, "许昌市社会工作行业协会成立\n"], ids=["gb", "big5", "title"]
)
def test_utf16_without_bom(codec: str, text: str) -> None:
    decoded = decode_bytes(text.encode(codec))
    assert decoded.encoding == codec
    assert decoded.text == normalise_text(text)


@pytest.mark.parametrize(
    "bom", [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]
)
@pytest.mark.parametrize(
    "junk",
    [random.Random(5).randbytes(4096), b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4],
    ids=["random", "png"],
)
def test_bom_then_binary_is_refused(bom: bytes, junk: bytes) -> None:
    with pytest.raises(UnreadableError, match="binary data, not a text page"):
        decode_bytes(bom + junk)


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF8, "utf_8"), (codecs.BOM_UTF16_LE, "utf_16_le")]
)
def test_a_bom_and_nothing_else_is_an_empty_file(bom: bytes, codec: str) -> None:
    with pytest.raises(UnreadableError, match="empty file"):
        decode_bytes(bom + " \r\n".encode(codec))


def test_export_utf16_without_bom_and_refuses_bom_then_binary(tmp_path: Path) -> None:
    (tmp_path / "a_utf16.txt").write_bytes(SIMPLIFIED.encode("utf_16_le"))
    (tmp_path / "b_junk.txt").write_bytes(codecs.BOM_UTF16_LE + random.Random(1).randbytes(8192))
    result = _export(tmp_path, home=tmp_path / "home")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"swreader: {tmp_path / 'b_junk.txt'}: binary data, not a text page"
    ]
    assert len(_rows(result)) == 3


# 6. File names that are not UTF-8.


def test_display_path_escapes_what_cannot_be_printed() -> None:
    assert display_path(Path(os.fsdecode(b"dir/\xff\xfe.txt"))) == "dir/\\xff\\xfe.txt"
    assert display_path("社工/新\n闻.txt") == "社工/新\\x0a闻.txt"
    assert display_path(b"a/\xe7\xa4\xbe.txt") == "a/社.txt"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names must be UTF-8 here")
def test_a_page_whose_name_is_not_utf8_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "dated"
    folder.mkdir()
    name = os.fsdecode(b"\xff.txt")
    (folder / name).write_bytes(PAGE.read_bytes())
    files = list(iter_files([folder]))
    assert files == [folder / name]
    page = load_page(files[0])
    assert page.error is None and len(page.articles) == 3
    assert page.stem == "\\xff"
    assert page.short_path == "…/dated/\\xff.txt"
    for article in page.articles:  # what export, the library and the UI print must encode
        assert article.page == "\\xff"
        article.id.encode("utf-8")


# Fuzz: whatever the bytes, decode_bytes says UnreadableError or gives text.


#: utf_8_sig and utf_16 write a BOM; the others none.
_CODECS = ["utf_8", "utf_8_sig", "gbk", "gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be"]


def _encoded(name: str, codec: str) -> bytes:
    return (TRADITIONAL if codec == "big5" else SEED_TEXTS[name]).encode(codec)


def _encodable(name: str, codec: str) -> bool:
    try:
        _encoded(name, codec)
    except UnicodeEncodeError:
        return False  # e.g. seed 004's traditional characters have no GBK form
    return True


@pytest.mark.parametrize(
    ("name", "codec"), [(n, c) for n in NAMES for c in _CODECS if _encodable(n, c)]
)
def test_seed_pages_reencoded_decode_to_the_same_text(name: str, codec: str) -> None:
    text = TRADITIONAL if codec == "big5" else SEED_TEXTS[name]
    assert decode_bytes(_encoded(name, codec)).text == normalise_text(text)


_BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]


@st.composite
def _page_bytes(draw: st.DrawFn) -> bytes:
    name, codec = draw(st.sampled_from(NAMES)), draw(st.sampled_from(_CODECS))
    try:
        data = _encoded(name, codec)
    except UnicodeEncodeError:
        data = _encoded(name, "utf_8")
    kind = draw(st.sampled_from(["cut", "splice", "bom_junk", "random"]))
    if kind == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "splice":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(max_size=64)) + data[at + draw(st.integers(0, 64)) :]
    if kind == "bom_junk":
        return draw(st.sampled_from(_BOMS)) + draw(st.binary(max_size=2048))
    return draw(st.binary(max_size=2048))


@settings(max_examples=150, deadline=None)
@given(_page_bytes())
def test_decode_bytes_raises_nothing_but_unreadable(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except UnreadableError as err:
        assert str(err)
        return
    assert isinstance(decoded.text, str) and decoded.bad_bytes >= 0
    decoded.text.encode("utf-8")  # no lone surrogates escape


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(NAMES),
    st.sampled_from(["utf_8", "utf_16_le", "utf_16_be"]),
    st.integers(400, 100_000),
)
def test_a_cut_page_keeps_what_is_there(name: str, codec: str, cut: int) -> None:
    text = SEED_TEXTS[name]
    data = text.encode(codec)[:cut]
    decoded = decode_bytes(data)
    kept = decoded.text.removesuffix("\ufffd")
    assert normalise_text(text).startswith(kept.rstrip())
    assert decoded.truncated == decoded.text.endswith("\ufffd")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names must be UTF-8 here")
def test_export_names_a_file_that_is_not_utf8_readably(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / os.fsdecode(b"\xff.txt")).write_bytes(PAGE.read_bytes())
    (folder / os.fsdecode(b"\xfe.txt")).write_bytes(b"\x00" * 64)
    result = _export(folder, home=tmp_path / "home")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"swreader: {folder}/\\xfe.txt: binary data, not a text page"
    ]
    assert {row["page"] for row in _rows(result)} == {"\\xff"}
