"""The fast paths of folding and tokenising give what the plain definitions give."""

from __future__ import annotations

import operator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swreader.core.pages.corpus import load_corpus
from swreader.core.search.tokens import _TOKEN_SAFE, pair_tokens
from swreader.core.text import convert as convert_module
from swreader.core.text import fold as fold_module
from swreader.core.text.convert import simplify_chars, to_simplified
from swreader.core.text.fold import fold, fold_char, normalise
from tests.test_convert import load_opencc_cases

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Simplified, traditional, variant phrases, full-width forms, spaces and odd characters.
_TEXT = st.text(
    alphabet=st.sampled_from(list("社会工作站務臺灣瞭解反覆憑藉著名ＡＢ１２ 　\t㎡%$，。x7")),
    max_size=40,
)


def _seed_texts() -> list[str]:
    corpus = load_corpus([SEEDS])
    texts = [a.title for a in corpus.articles]
    texts += [p.text for a in corpus.articles for p in a.paragraphs]
    assert len(texts) > 100
    return texts


def test_fold_is_normalise_without_offsets_on_the_seeds() -> None:
    for text in _seed_texts():
        assert fold(text) == normalise(text)[0]


def test_fold_is_normalise_without_offsets_on_openccs_cases(opencc_cases_file: Path) -> None:
    cases = load_opencc_cases(opencc_cases_file)
    texts = [text for _, text, _ in cases] + [expected for _, _, expected in cases]
    assert len(texts) > 100
    for text in texts:
        assert fold(text) == normalise(text)[0]


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_fold_is_the_per_character_fold_of_any_text(text: str) -> None:
    folded = fold(text)
    assert folded == normalise(text)[0]
    # Phrases rewrite in place: as long as the fold character by character.
    assert len(folded) == len("".join(fold_char(c) for c in text))


def _unseen_traditional(seen: set[str] = fold_module._SEEN) -> list[str]:
    """Traditional characters not in ``seen`` (by default: not folded yet)."""
    found = []
    for point in range(0x6000, 0x9FFF):
        char = chr(point)
        if char not in seen and to_simplified(char) != char:
            found.append(char)
        if len(found) == 3:
            return found
    pytest.fail("no unseen traditional character left")


def test_characters_met_after_the_gates_were_compiled_still_fold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gates = fold_module._GATES
    fold("社会工作")  # the gates are compiled
    monkeypatch.setattr(gates, "regate_after", 10**9)  # and are not compiled again
    compiled = gates._compiled
    assert compiled is not None
    new, later, third = _unseen_traditional()
    for _ in range(2):  # unknown to the gates, then learned but still unknown to them
        assert fold(f"社工{new}站") == f"社工{fold_char(new)}站"
        folded, offsets = normalise(f"{later} 社工")
        assert folded == f"{fold_char(later)}社工"
        assert offsets is not None and offsets[1] == 2  # the space dropped, mapped back
    assert gates._compiled is compiled
    assert not gates.knows(new)
    # Once enough texts held newer characters, the gates are compiled again and know them.
    monkeypatch.setattr(gates, "regate_after", 0)
    assert fold(third) == fold_char(third)
    assert gates._compiled is not compiled
    assert gates.knows(new + later + third)
    assert not gates.plain(new, fold_module._learned) and gates.plain("社工", fold_module._learned)
    assert fold(f"社工{new}") == f"社工{fold_char(new)}"


def test_simplify_chars_is_t2s_character_by_character(monkeypatch: pytest.MonkeyPatch) -> None:
    for text in _seed_texts():
        assert simplify_chars(text) == "".join(to_simplified(c) for c in text)
    monkeypatch.setattr(convert_module._chars_gates, "regate_after", 10**9)
    new = _unseen_traditional(convert_module._chars_seen)[0]
    for _ in range(2):  # unknown to the gates, then learned but still unknown to them
        assert simplify_chars(f"社工{new}") == f"社工{to_simplified(new)}"
    assert not convert_module._chars_gates.knows(new)


def _pairs_plainly(text: str) -> str:
    s = text.translate(_TOKEN_SAFE)
    if len(s) < 2:
        return s
    return " ".join(map(operator.add, s, s[1:])) + " " + s[-1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Zs"]), max_size=30))
def test_pair_tokens_are_the_character_pairs_then_the_last(text: str) -> None:
    assert pair_tokens(text) == _pairs_plainly(text)


def test_pair_tokens_of_figures_and_broken_text() -> None:
    assert pair_tokens("社会工作") == "社会 会工 工作 作"
    assert pair_tokens("70%") == "70 0％ ％"
    assert pair_tokens("$5") == "＄5 5"
    assert pair_tokens("社\udc80") == "社\udc80 \udc80"  # a lone surrogate survives
    assert pair_tokens("社") == "社"
    assert pair_tokens("") == ""
