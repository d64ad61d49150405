"""One regex pass over a text to tell whether a per-character table would change it.

Folding and simplifying translate text through tables learned one character at a time, as
characters are met. Checking a text against such a table with sets costs a lot for CJK
text: ``set.issuperset(text)`` builds a set of the text's characters (~100 ns a character,
a quarter of a whole fold) and ``str.translate`` with a dict costs ~190 ns a character even
when nothing changes. A character-class regex search takes ~4 ns a character.

:class:`CharGates` holds two such regexes, compiled from the tables at one moment: the
characters not yet learned, and the characters that change. The tables only grow, so a text
with no character outside the learned ones holds only characters whose fate was known at
compile time, and the second regex then answers for it exactly. A text with newer characters
falls back to the sets; after enough of those, the regexes are compiled again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set

__all__ = ["CharGates", "char_class"]


def char_class(chars: Set[str], negate: bool = False) -> re.Pattern[str]:
    """A regex matching one character of ``chars`` (``negate``: one not in it)."""
    body = "".join(map(re.escape, sorted(chars)))
    if not body:
        return re.compile(r"(?s:.)" if negate else r"(?!)")
    return re.compile(f"[{'^' if negate else ''}{body}]")


class CharGates:
    """Regexes over a learned table, as it was when they were compiled.

    Args:
        regate_after: Texts with characters learned since the last compile before compiling
            again (~15 ms for 7,000 characters): new characters are many at first, then rare.
    """

    def __init__(self, regate_after: int = 64) -> None:
        self.regate_after = regate_after
        # (a character not learned at compile time, a character that changes), swapped as
        # one value so that a thread never pairs one compile's regex with another's.
        self._compiled: tuple[re.Pattern[str], re.Pattern[str]] | None = None
        self._misses = 0

    def plain(self, text: str, learn: Callable[[str], tuple[Set[str], Set[str]]]) -> bool:
        """Whether no character of ``text`` changes.

        Args:
            text: Any text.
            learn: Called when ``text`` holds characters newer than the gates: learns them
                and returns ``(seen, changed)``, every character learned so far and those
                the table changes. A character must be in ``changed`` before it is in
                ``seen`` (learners add to ``seen`` last), so that a thread learning at the
                same moment cannot leave a changing character out of a gate that knows it.
        """
        compiled = self._compiled
        if compiled is not None and compiled[0].search(text) is None:
            return compiled[1].search(text) is None
        seen, changed = learn(text)
        if compiled is None or self._misses >= self.regate_after:
            unseen = char_class(seen, negate=True)  # ``seen`` first: see above
            self._compiled = (unseen, char_class(changed))
            self._misses = 0
        else:
            self._misses += 1
        return changed.isdisjoint(text)

    def knows(self, text: str) -> bool:
        """Whether every character of ``text`` was learned when the gates were compiled."""
        compiled = self._compiled
        return compiled is not None and compiled[0].search(text) is None
