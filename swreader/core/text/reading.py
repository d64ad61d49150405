"""Turn the bytes of a page file into clean Unicode text, or say clearly why not.

Pages arrive as UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5, with
CRLF or CR line endings and odd spaces. Detection is charset-normalizer's; this module only
adds the cheap certainties around it (BOMs, strict UTF-8, truncated tails, binary data) and
a fallback for short CJK files where the detector has too little to go on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

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
    """

    text: str
    encoding: str
    truncated: bool = False


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


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    """Decode data that starts with a byte-order mark, replacing a truncated tail."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf_32_le"),
        (codecs.BOM_UTF32_BE, "utf_32_be"),
        (codecs.BOM_UTF8, "utf_8"),
        (codecs.BOM_UTF16_LE, "utf_16_le"),
        (codecs.BOM_UTF16_BE, "utf_16_be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), codec
    return None


def _decode_utf8(data: bytes) -> tuple[str, bool] | None:
    """Strict UTF-8, tolerating only a multibyte character cut off at the very end."""
    try:
        return data.decode("utf_8"), False
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            return data[: err.start].decode("utf_8") + "\ufffd", True
        return None


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes mean this is not a text page."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.05


def _detect(data: bytes) -> tuple[str, str, bool] | None:
    """Ask charset-normalizer; fall back to strict CJK codecs for short or cut files."""
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        text = str(best)
        if _han_share(text) > 0.2:
            return text, best.encoding, False
    # The detector needs more text than a short page gives it, and a file cut inside a
    # character confuses it: try the CJK codecs strictly, trimming up to one partial char.
    candidates: list[tuple[float, str, str, bool]] = []
    for codec in ("gb18030", "big5"):
        for cut in range(0, 3):
            chunk = data[: len(data) - cut] if cut else data
            try:
                text = chunk.decode(codec)
            except UnicodeDecodeError:
                continue
            if cut:
                text += "\ufffd"
            candidates.append((_han_share(text), codec, text, bool(cut)))
            break
    if candidates:
        share, codec, text, cut = max(candidates)
        if share > 0.2:
            return text, codec, cut
    if best is not None and best.encoding:
        return str(best), best.encoding, False
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
    return Decoded(normalise_text(text), codec, False)


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
    bom = _decode_bom(data)
    if bom is not None:
        text, codec = bom
        return Decoded(normalise_text(text), codec, text.endswith("\ufffd"))
    if _looks_binary(data):
        raise UnreadableError("binary data, not a text page")
    declared = _declared_charset(data)
    if declared is not None:
        return declared
    utf8 = _decode_utf8(data)
    if utf8 is not None:
        return Decoded(normalise_text(utf8[0]), "utf_8", utf8[1])
    detected = _detect(data)
    if detected is None:
        raise UnreadableError("could not recognise the text encoding")
    text, codec, truncated = detected
    return Decoded(normalise_text(text), codec, truncated)


def read_page(path: Path) -> Decoded:
    """Read and decode one page file.

    Args:
        path: The file to read.

    Returns:
        The decoded text.

    Raises:
        UnreadableError: The file cannot be read or understood; the message says why.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableError(f"file too large ({size // 1048576} MiB; the limit is 64 MiB)")
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableError(err.strerror or str(err)) from err
    return decode_bytes(data)
