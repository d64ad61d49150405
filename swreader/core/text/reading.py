"""Turn the bytes of a page file into clean Unicode text, or say clearly why not.

Pages arrive as UTF-8 (with or without BOM), UTF-16 (with or without BOM), GB18030/GBK or
Big5, with CRLF or CR line endings and odd spaces. Detection is charset-normalizer's; this
module only adds the cheap certainties around it (BOMs, UTF-16's NUL bytes, strict UTF-8,
truncated tails, binary data), a fallback for short CJK files where the detector has too
little to go on, and tolerance for a few corrupted bytes in a page that is clearly in one
encoding: those become U+FFFD, which the parser marks as damaged, and the page is kept.

Only regular files are read (a FIFO would block, ``/dev/zero`` never ends), and never more
than :data:`MAX_BYTES` of them, whatever their size said.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

#: Files larger than this are refused rather than read whole into memory.
MAX_BYTES = 64 * 1024 * 1024

_HAN = re.compile(r"[\u3400-\u9fff]")
# Character classes rather than ``str.translate`` tables: translating CJK text through a
# dict costs a lookup per character, while a regex runs over the characters it leaves alone
# in C, about ten times faster on a page.
#: Deleted: zero-width characters and the BOM (nothing a reader needs), and stray
#: control characters (tab, LF and CR are not among them).
_DROPPED = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Spaces that should read as a plain space: tab, NBSP, the en/em/thin family, narrow NBSP.
_ODD_SPACES = re.compile(r"[\t\xa0\u1680\u2000-\u200a\u202f\u205f]")
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
_ASCII = bytes(range(128))
#: What decoded text has little of unless it is binary: controls (C0 but tab, LF, CR; C1),
#: private use, unpaired surrogates, noncharacters and U+FFFD (a decoder's bad bytes).
#: Random bytes read as UTF-16 are ~13% such characters, as UTF-8 far more.
_SUSPECT = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffd-\uffff]"
)
#: What a Chinese page is made of: ASCII, Latin letters (pinyin), general and CJK
#: punctuation, symbols (■, ①), bopomofo, Han and full-width forms.
_PLAUSIBLE = re.compile(
    r"[\x21-\x7e\xa0-\u024f\u02c7-\u02d9\u2000-\u27bf\u3000-\u312f\u3400-\u4dbf"
    r"\u4e00-\u9fff\uff00-\uffef]"
)
_ERRORS = "swreader.count"


class UnreadableError(Exception):
    """A page that cannot be understood; ``str(err)`` is the reason shown to the user."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a page and how it was read.

    Attributes:
        text: Normalised text (LF line endings, plain spaces).
        encoding: The codec that decoded the bytes, e.g. ``"utf_8"`` or ``"gb18030"``.
        truncated: True when the file ended inside a multibyte character; the partial
            character is kept as U+FFFD (and later reported as damaged), never dropped.
        bad_bytes: How many bytes did not decode (each run became one U+FFFD); stray NUL
            bytes count too.
    """

    text: str
    encoding: str
    truncated: bool = False
    bad_bytes: int = 0


def normalise_text(text: str) -> str:
    """Normalise line endings and spaces without changing any visible character.

    Args:
        text: Decoded text.

    Returns:
        Text with LF line endings, odd spaces turned into plain ones, zero-width
        characters and stray control characters removed, and trailing spaces trimmed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Deleting and replacing commute here: no odd space is dropped and none becomes one.
    text = _ODD_SPACES.sub(" ", _DROPPED.sub("", text))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _han_share(text: str) -> float:
    """Share of Han characters among non-space characters: a cheap sanity score."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    return sum(1 for c in visible if _HAN.match(c)) / len(visible)


class _BadBytes(threading.local):
    """What the counting error handler saw in the current thread's last decode."""

    count = 0
    cut = False


_BAD = _BadBytes()


def _count_bad(err: UnicodeError) -> tuple[str, int]:
    """Replace undecodable bytes with U+FFFD, as ``errors="replace"`` does, counting them."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    _BAD.count += err.end - err.start
    _BAD.cut = err.end >= len(err.object) and any(
        word in err.reason for word in ("end of data", "incomplete", "truncated")
    )
    return "\ufffd", err.end


codecs.register_error(_ERRORS, _count_bad)


def _decode_counting(data: bytes, codec: str) -> tuple[str, int, bool]:
    """Decode with U+FFFD for bad bytes; also return how many there were and if the end was cut."""
    _BAD.count, _BAD.cut = 0, False
    text = data.decode(codec, _ERRORS)
    return text, _BAD.count, _BAD.cut


def _non_ascii(data: bytes) -> int:
    return len(data.translate(None, _ASCII))


def _looks_binary_text(text: str) -> bool:
    """Decoded text that is mostly controls, private use and U+FFFD was binary data."""
    sample = text[:65536]
    return len(_SUSPECT.findall(sample)) > len(sample) * 0.05


def _finish(text: str, codec: str, truncated: bool = False, bad: int = 0) -> Decoded:
    """Normalise decoded text; a stray NUL (a damaged byte, not a character) becomes U+FFFD."""
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "\ufffd")
    return Decoded(normalise_text(text), codec, truncated, bad + nuls)


def _decode_bom(data: bytes) -> Decoded | None:
    """Decode data that starts with a byte-order mark, replacing bad bytes.

    Raises:
        UnreadableError: Nothing follows the mark, or what follows is binary data.
    """
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf_32_le"),
        (codecs.BOM_UTF32_BE, "utf_32_be"),
        (codecs.BOM_UTF8, "utf_8"),
        (codecs.BOM_UTF16_LE, "utf_16_le"),
        (codecs.BOM_UTF16_BE, "utf_16_be"),
    ):
        if data.startswith(bom):
            text, bad, _ = _decode_counting(data[len(bom) :], codec)
            if not text.strip():
                raise UnreadableError("empty file")
            # Two bytes such as FF FE are as likely the start of some binary format.
            if _looks_binary_text(text):
                raise UnreadableError("binary data, not a text page")
            return _finish(text, codec, text.endswith("\ufffd"), bad)
    return None


def _decode_utf16_unmarked(data: bytes) -> Decoded | None:
    """UTF-16 without a BOM: ASCII code units put a NUL byte on every other position.

    Han code units rarely have a NUL byte (一 is U+4E00), so the NULs of newlines, digits
    and spaces sit nearly all at odd offsets (little-endian) or at even ones (big-endian).
    The candidate must then decode (but for a few bad bytes) into what a Chinese page is
    made of: random bytes read as UTF-16 are under half Han and ASCII.
    """
    sample = data[:65536]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if not max(even, odd) or min(even, odd) * 4 > max(even, odd):
        return None
    codec = "utf_16_le" if odd > even else "utf_16_be"
    text, bad, cut = _decode_counting(data, codec)
    visible = re.sub(r"\s+", "", text[:32768])
    if bad * 100 > len(data) or len(_PLAUSIBLE.findall(visible)) < len(visible) * 0.9:
        return None
    if _han_share(visible) <= 0.2 and not visible.isascii():
        return None
    return _finish(text, codec, cut, bad)


def _decode_utf8(data: bytes) -> Decoded | None:
    """UTF-8, if it clearly is: strict, or with a few bad bytes among many good characters.

    GBK and Big5 pages read as UTF-8 have well over half their non-ASCII bytes bad, so
    one in twenty bad is still clearly UTF-8 (a corrupted page, kept with U+FFFD marks).
    """
    try:
        return _finish(data.decode("utf_8"), "utf_8")
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            text = data[: err.start].decode("utf_8") + "\ufffd"
            return _finish(text, "utf_8", True, len(data) - err.start)
    text, bad, cut = _decode_counting(data, "utf_8")
    if bad * 20 > _non_ascii(data):
        return None
    return _finish(text, "utf_8", cut, bad)


def _looks_binary(data: bytes) -> bool:
    """Many NUL or control bytes mean this is not a text page.

    A NUL or two in a long page is a corrupted byte, not a binary file (those have NULs
    everywhere); a short file gets no such benefit of the doubt.
    """
    sample = data[:65536]
    if sample.count(0) * 1000 > len(sample):
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.05


def _detect(data: bytes) -> Decoded | None:
    """Ask charset-normalizer; fall back to the CJK codecs for short, cut or damaged files.

    A codec that does not decode strictly may have a few bad bytes; the bar is high (one
    in 200 of the non-ASCII bytes) because UTF-8 read as GB18030 has only ~3% bad and GBK
    read as Big5 ~1%.
    """
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        text = str(best)
        if _han_share(text) > 0.2:
            return _finish(text, best.encoding)
    # The detector needs more text than a short page gives it, and a file cut inside a
    # character confuses it: try the CJK codecs strictly, trimming up to one partial char,
    # else with a few bad bytes. Big5 bytes always read as GB18030 (as nonsense): a Big5
    # page with one bad byte must still be a candidate for Big5, so both codecs are tried.
    candidates: list[tuple[float, str, str, bool, int]] = []
    for codec in ("gb18030", "big5"):
        for cut in range(0, 3):
            try:
                text = (data[: len(data) - cut] if cut else data).decode(codec)
            except UnicodeDecodeError:
                continue
            text += "\ufffd" if cut else ""
            candidates.append((_han_share(text), codec, text, bool(cut), cut))
            break
        else:
            text, bad, truncated = _decode_counting(data, codec)
            if bad * 200 <= _non_ascii(data):
                candidates.append((_han_share(text), codec, text, truncated, bad))
    if candidates:
        share, codec, text, truncated, bad = max(candidates)
        if share > 0.2:
            return _finish(text, codec, truncated, bad)
    if best is not None and best.encoding:
        return _finish(str(best), best.encoding)
    return None


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,20})""", re.IGNORECASE
)
# What a page declares and what its bytes really are: GB2312 and GBK pages use GB18030's
# wider repertoire in practice, Big5 pages HKSCS characters.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def _declared_charset(data: bytes) -> Decoded | None:
    """Decode a saved HTML page by its own ``<meta charset>``, if it declares one that fits.

    A declaration is trusted before guessing (browsers do the same), but only if the bytes
    decode under it without error; a page saved in UTF-8 that still says GBK falls through.
    """
    head = data[:4096]
    if b"<" not in head:
        return None
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    codec = _WIDER.get(name, name)
    try:
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    return _finish(text, codec)


def decode_bytes(data: bytes) -> Decoded:
    """Decode the bytes of one page.

    Args:
        data: The raw file content.

    Returns:
        The decoded, normalised text.

    Raises:
        UnreadableError: The data is empty, binary, or in no encoding we can recognise.
    """
    if not data.strip():
        raise UnreadableError("empty file")
    decoded = _decode_bom(data) or _decode_utf16_unmarked(data)
    if decoded is not None:
        return decoded
    if _looks_binary(data):
        raise UnreadableError("binary data, not a text page")
    decoded = _declared_charset(data) or _decode_utf8(data) or _detect(data)
    if decoded is None:
        raise UnreadableError("could not recognise the text encoding")
    return decoded


_KINDS = (
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
)
# O_NONBLOCK: should the path become a FIFO between stat() and open(), open() must not wait
# for a writer. O_NOCTTY: a terminal never becomes our controlling one. O_BINARY: Windows.
_OPEN_FLAGS = os.O_RDONLY | sum(
    getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_NOCTTY", "O_BINARY", "O_CLOEXEC")
)


def _check_regular(st: os.stat_result) -> None:
    """Refuse anything but a regular file of at most :data:`MAX_BYTES`."""
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "special file")
        raise UnreadableError(f"not a regular file ({kind})")
    if st.st_size > MAX_BYTES:
        raise UnreadableError(f"file too large ({st.st_size // 1048576} MiB; the limit is 64 MiB)")


def _read_bounded(file: BinaryIO, expected: int) -> bytes:
    """Read to the end of ``file``, but never more than ``MAX_BYTES + 1`` bytes.

    The first read asks for one byte more than the size said, so a file that grew (or one
    whose size is meaningless, as in /proc) is noticed and read on in bounded steps.
    """
    chunks: list[bytes] = []
    total, want = 0, expected + 1
    while total <= MAX_BYTES:
        chunk = file.read(min(want, MAX_BYTES + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = 1 << 20
    return b"".join(chunks)


def read_page(path: Path) -> Decoded:
    """Read and decode one page file.

    Args:
        path: The file to read; a symlink is judged by what it points to.

    Returns:
        The decoded text.

    Raises:
        UnreadableError: The file cannot be read or understood, is not a regular file, or
            is larger than :data:`MAX_BYTES`; the message says why.
    """
    try:
        # Before opening: opening a FIFO blocks, and opening some devices does things.
        _check_regular(os.stat(path))
        fd = os.open(path, _OPEN_FLAGS)
        with open(fd, "rb") as file:
            st = os.fstat(file.fileno())
            _check_regular(st)  # it may have been replaced since
            data = _read_bounded(file, st.st_size)
    except OSError as err:
        raise UnreadableError(err.strerror or str(err)) from err
    if len(data) > MAX_BYTES:
        raise UnreadableError("file too large (it grew past the limit of 64 MiB)")
    return decode_bytes(data)
