"""Reading the stored figures: filters and order in SQL, rows checked as they are built.

The reading half of :class:`~swreader.core.store.figurestore.FigureStore` (which owns the
tables and builds them; see there). Filters behave as
:func:`~swreader.core.pages.figtable.filter_rows`: subject and region in either script,
compared folded in SQL; article ids are passed as one JSON array (``json_each``), a table of
them without writing one, so a read never takes a write lock nor opens a transaction on a
connection another thread may be using.

Cost at 250,000 figures (10,000 articles): a :class:`FigureRow` takes ~5 µs to build, so all
rows take seconds; a view asks for a screenful (``limit``) and :meth:`FigureQueries.count`.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
from collections.abc import Collection

from swreader.core.pages.figtable import CSV_COLUMNS, FigureRow
from swreader.core.store.figurework import FIGURE_COLUMNS, folded

__all__ = ["ARTICLE_COLUMNS", "DamagedFigures", "FigureQueries"]

#: The article columns of a row, stored once per article.
ARTICLE_COLUMNS = ("article_id", "title", "region", "province", "city", "date")

# A place matches as in filter_rows: the query inside it (河南 in 河南), or it at the query's
# start (河南 in 河南省); the query is bound four times.
_PLACE = "({k} != '' AND (instr({k}, ?) > 0 OR substr(?, 1, length({k})) = {k}))"
_REGION = f"({_PLACE.format(k='a.province_key')} OR {_PLACE.format(k='a.city_key')})"
#: ``order_by`` → (the test putting empty values last, the sort keys); ``a.`` needs the join.
_ORDER: dict[str, tuple[str | None, tuple[str, ...]]] = {
    **{c: (f"f.{c} IS NULL", (f"f.{c}",)) for c in ("value", "low", "high", "bound", "role")},
    **{c: (None, (f'f."{c}"',)) for c in ("text", "approximate", "unit", "kind")},
    **{c: (None, (f'f."{c}"',)) for c in ("paragraph", "start", "end")},
    "subject": ("f.subject IS NULL", ("f.subject_key", "f.subject")),
    "article_id": (None, ("a.article_id",)),
    "title": (None, ("a.title",)),
    "region": ("a.region = ''", ("a.province_key", "a.city_key")),
    "province": ("a.province IS NULL", ("a.province_key",)),
    "city": ("a.city IS NULL", ("a.city_key",)),
    "date": ("a.date IS NULL", ("a.date",)),
}
_JOIN = " JOIN figure_articles a ON a.set_id = f.set_id AND a.article = f.article"
_SELECT = ", ".join(f'f."{c}"' for c in ("article", *FIGURE_COLUMNS))


def _sound_types() -> frozenset[tuple[type, ...]]:
    """Every sound ``tuple(map(type, row))`` of a figure row read back (64 of them)."""
    integer, text, maybe_text, maybe_number = (int,), (str,), (str, type(None)), (float, type(None))
    columns = [integer, text, maybe_number, integer, maybe_text, text, text, maybe_text]
    columns += [maybe_text, integer, integer, integer, maybe_number, maybe_number]
    return frozenset(itertools.product(*columns))


#: One set lookup per row checks all its types (~0.5 µs): nothing of a wrong type reaches a
#: view (a value read as text would fail only when drawn).
_SOUND = _sound_types()

_Meta = tuple[str, str, str, str | None, str | None, str | None]


class DamagedFigures(ValueError):
    """A stored figure set is not all there, or holds values of the wrong type."""


class FigureQueries:
    """Queries on the figure tables of :attr:`conn`, under :attr:`_lock`."""

    conn: sqlite3.Connection
    _lock: threading.RLock
    _meta: dict[tuple[int, int], dict[int, _Meta]]

    def _set(self, sig: str) -> tuple[int, int, int, int] | None:
        """``(id, saved, articles, figures)`` of the set ``sig``, or ``None``."""
        row = self.conn.execute(
            "SELECT id, saved, articles, figures FROM figure_sets WHERE signature = ?", (sig,)
        ).fetchone()
        if row is not None and not all(type(x) is int for x in row):
            raise DamagedFigures("its entry holds values of the wrong type")
        return row

    def _entry(self, sig: str) -> tuple[int, int, int, int]:
        """:meth:`_set`, which must be there (``KeyError`` if not)."""
        found = self._set(sig)
        if found is None:
            raise KeyError(f"no figures are stored under {sig!r}")
        return found

    def _found(self, sig: str) -> tuple[int, int]:
        return self._entry(sig)[:2]

    def _articles(self, set_id: int, saved: int) -> dict[int, _Meta]:
        """The article columns of a set, read once and kept (a stored set never changes)."""
        key = (set_id, saved)
        meta = self._meta.get(key)
        if meta is None:
            sql = f"SELECT article, {', '.join(ARTICLE_COLUMNS)} FROM figure_articles"
            meta = {}
            one: dict[object, object] = {}  # one string per region, province, city and date
            for number, *values in self.conn.execute(sql + " WHERE set_id = ?", (set_id,)):
                if not (
                    type(number) is int
                    and all(type(v) is str for v in values[:3])
                    and all(v is None or type(v) is str for v in values[3:])
                ):
                    raise DamagedFigures("an article's entry holds values of the wrong type")
                values[2:] = [one.setdefault(v, v) for v in values[2:]]
                meta[number] = tuple(values)  # type: ignore[assignment]
            self._meta = {key: meta}  # only the set read last: the view's
        return meta

    def _where(
        self,
        set_id: int,
        article_ids: Collection[str] | None,
        subject: str | None,
        kind: str | None,
        region: str | None,
    ) -> tuple[str, list[object]]:
        """The WHERE clause of the filters, and its parameters."""
        clauses, params = ["f.set_id = ?"], [set_id]
        if kind:
            clauses.append("f.kind = ?")
            params.append(kind)
        if want := folded(subject):
            clauses.append("instr(f.subject_key, ?) > 0")
            params.append(want)
        of_articles, more = [], []
        if want := folded(region):
            of_articles.append(_REGION)
            more += [want] * 4
        if article_ids is not None:
            of_articles.append("a.article_id IN (SELECT value FROM json_each(?))")
            more.append(json.dumps(list(article_ids)))
        if of_articles:
            clauses.append(
                "f.article IN (SELECT a.article FROM figure_articles a WHERE a.set_id = ?"
                + "".join(f" AND {c}" for c in of_articles)
                + ")"
            )
            params += [set_id, *more]
        return " AND ".join(clauses), params

    @staticmethod
    def _order(order_by: str | None, descending: bool) -> tuple[bool, str]:
        """Whether the query needs the articles joined, and its ORDER BY terms."""
        if order_by is None:
            return False, "f.seq"
        if order_by not in _ORDER:
            raise ValueError(f"cannot order by {order_by!r}: not one of {CSV_COLUMNS}")
        empty, keys = _ORDER[order_by]
        way = " DESC" if descending else ""
        # Empty values last either way; ties in reading order.
        terms = [*([empty] if empty else []), *(k + way for k in keys), "f.seq"]
        return any(t.startswith("a.") for t in terms), ", ".join(terms)

    def rows(
        self,
        sig: str,
        *,
        article_ids: Collection[str] | None = None,
        subject: str | None = None,
        kind: str | None = None,
        region: str | None = None,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[FigureRow]:
        """The stored rows of ``sig`` matching every filter given (as ``filter_rows``).

        Args:
            sig: The set.
            article_ids: Only the figures of these articles (the view's selection).
            subject: Part of the subject, either script (``社工站`` finds ``乡镇社工站``).
            kind: A kind, exactly.
            region: A province or city, either script (``河南``, ``新乡``, ``河南省``).
            order_by: A column of :data:`CSV_COLUMNS`; default: reading order. Subjects
                and places sort folded, so both scripts sort together; empty values come
                last either way, ties in reading order.
            descending: Reverse the order of ``order_by``.
            limit: At most this many rows (a view's first screenfuls).
            offset: Skip this many first.

        Raises:
            KeyError: Nothing is stored under ``sig``.
            ValueError: ``order_by`` is not a column.
            DamagedFigures: A row read is damaged (:meth:`forget` it, and build again).
        """
        join, order = self._order(order_by, descending)
        with self._lock:
            set_id, saved = self._found(sig)
            where, params = self._where(set_id, article_ids, subject, kind, region)
            meta = self._articles(set_id, saved)
            sql = f"SELECT {_SELECT} FROM figures f{_JOIN if join else ''} WHERE {where}"
            sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
            params += [-1 if limit is None else limit, offset]
            out: list[FigureRow] = []
            append, sound = out.append, _SOUND
            # One string per distinct unit, kind, bound, subject: a third of the memory of
            # many rows (SQLite hands out a new str for every value).
            one = {None: None}.setdefault
            try:
                for row in self.conn.execute(sql, params):
                    if tuple(map(type, row)) not in sound:
                        raise DamagedFigures("a figure holds values of the wrong type")
                    number, text, value, approx, bound, unit, kind_, subj, role, *at = row
                    append(FigureRow(text, value, approx == 1, one(bound, bound),
                                     one(unit, unit), one(kind_, kind_), one(subj, subj),
                                     one(role, role), *meta[number], *at))  # fmt: skip
            except KeyError as err:
                raise DamagedFigures(f"a figure of article {err} whose entry is gone") from err
            except sqlite3.OperationalError as err:
                if "decode" not in str(err):
                    raise  # a locked or missing library is not damage
                raise DamagedFigures(str(err)) from err  # a text that is not UTF-8
            return out

    def count(
        self,
        sig: str,
        *,
        article_ids: Collection[str] | None = None,
        subject: str | None = None,
        kind: str | None = None,
        region: str | None = None,
    ) -> int:
        """How many rows :meth:`rows` gives with these filters and no limit.

        Without filters, the number the set's entry keeps (no scan: ~25 ms fewer at 250,000
        figures, when a view opens); :meth:`~FigureStore.check` holds it to the rows.

        Raises:
            KeyError: Nothing is stored under ``sig``.
        """
        with self._lock:
            if article_ids is None and not (kind or folded(subject) or folded(region)):
                return self._entry(sig)[3]
            set_id, _ = self._found(sig)
            where, params = self._where(set_id, article_ids, subject, kind, region)
            counted = self.conn.execute(f"SELECT count(*) FROM figures f WHERE {where}", params)
            return int(counted.fetchone()[0])

    def subjects(self, sig: str, kind: str | None = None) -> list[tuple[str, int]]:
        """The subjects of ``sig`` and how many figures count each, most common first.

        Subjects that fold alike (``社工站`` and the same in the other script) are one, under
        the form most of its figures write. Ties go by the folded subject.

        Args:
            sig: The set.
            kind: Only figures of this kind.

        Raises:
            KeyError: Nothing is stored under ``sig``.
        """
        with self._lock:
            set_id, _ = self._found(sig)
            sql = "SELECT subject_key, subject, count(*) FROM figures WHERE set_id = ?"
            sql += " AND subject IS NOT NULL" + (" AND kind = ?" if kind else "")
            sql += " GROUP BY subject_key, subject"
            found = self.conn.execute(sql, (set_id, kind) if kind else (set_id,)).fetchall()
        totals: dict[str, list] = {}  # folded → [figures, the most written form, its figures]
        for key, subject, n in found:
            if not isinstance(subject, str):
                continue  # damage: the check finds it; a picker simply lacks it
            seen = totals.setdefault(str(key), [0, subject, 0])
            seen[0] += n
            if n > seen[2]:
                seen[1:] = [subject, n]
        ranked = sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))
        return [(best, total) for _, (total, best, _n) in ranked]
