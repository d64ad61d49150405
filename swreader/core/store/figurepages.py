"""Pages of figure rows for a view: counted, filtered and sorted where the rows are.

A view of 250,000 figures (10,000 articles) cannot read them all when it opens: building
the rows alone takes seconds (:mod:`~swreader.core.store.figurequery`). It asks a
:class:`FigureSource` how many rows match a :class:`FigureQuery` and for one page of them
at a time, in the order it shows:

* :class:`StoreSource` asks the figure store: filters, order, ``LIMIT`` and ``OFFSET`` in
  SQL (at 250,000 figures: a page in reading order in ~3 ms, a sorted one in 60 to 150 ms,
  the count ~25 ms; a page deep in a sorted order costs more, as SQLite sorts up to it:
  ~0.6 s at offset 100,000);
* :class:`MemorySource` holds rows in memory (computed from the articles while the store is
  still being built) and sorts them as the store does, so a view does not tell them apart.

Sorting, either way: empty values last in either direction, ties in reading order; subjects
and places folded, so both scripts sort together; kinds by their key (``count``, ``money``),
not by the name a view shows for them. Every call may block: call from a worker thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol, TypeVar, cast

from swreader.core.pages.figtable import FigureRow, filter_rows
from swreader.core.store.figurequery import DamagedFigures, FigureQueries
from swreader.core.store.figurework import folded

__all__ = ["ORDERS", "FigureQuery", "FigureSource", "MemorySource", "StoreSource", "sort_key"]


@dataclass(frozen=True, slots=True)
class FigureQuery:
    """The filters of a view (as :func:`~swreader.core.pages.figtable.filter_rows`).

    Attributes:
        subject: Part of the subject, either script.
        kind: A kind, exactly.
        region: A province or city, either script.
    """

    subject: str | None = None
    kind: str | None = None
    region: str | None = None


class FigureSource(Protocol):
    """Where a view's rows come from: counted, and read a page at a time."""

    def count(self, query: FigureQuery) -> int:
        """How many rows match ``query``."""

    def page(
        self, query: FigureQuery, order_by: str | None, descending: bool, offset: int, limit: int
    ) -> list[FigureRow]:
        """The rows ``offset`` to ``offset + limit`` of those matching ``query``, sorted.

        Args:
            query: The filters.
            order_by: One of :data:`ORDERS`; ``None``: reading order.
            descending: Reverse the order (empty values stay last).
            offset: Skip this many first.
            limit: At most this many rows; -1: every row from ``offset``.
        """

    def all_for_chart(self, subject: str, kind: str | None, region: str | None) -> list[FigureRow]:
        """Every row of ``subject`` (part of it, either script), in reading order."""


_T = TypeVar("_T")


def _region(row: FigureRow) -> tuple[str, str]:
    return folded(row.province), folded(row.city)


# What the store sorts by (figurequery._ORDER), for rows in memory: the test that puts a row
# with the column last (empty), and its sort key.
_KEYS: dict[str, tuple[Callable[[FigureRow], bool], Callable[[FigureRow], object]]] = {
    "text": (lambda r: False, lambda r: r.text),
    "value": (lambda r: r.value is None, lambda r: r.value),
    "kind": (lambda r: False, lambda r: r.kind),
    "subject": (lambda r: r.subject is None, lambda r: (folded(r.subject), r.subject)),
    "region": (lambda r: r.region == "", _region),
    "date": (lambda r: r.date is None, lambda r: r.date),
    "title": (lambda r: False, lambda r: r.title),
}
#: The columns a view can sort by, in both sources.
ORDERS: tuple[str, ...] = tuple(_KEYS)


def sort_key(order_by: str) -> tuple[Callable[[FigureRow], bool], Callable[[FigureRow], object]]:
    """``(is empty, key)`` of a row for ``order_by``, as the store sorts it.

    Raises:
        ValueError: ``order_by`` is not one of :data:`ORDERS`.
    """
    if order_by not in _KEYS:
        raise ValueError(f"cannot order by {order_by!r}: not one of {ORDERS}")
    return _KEYS[order_by]


class StoreSource:
    """The rows of one stored set, optionally of some articles only (a view's selection).

    Counts are kept: a stored set never changes, and the count of everything (the ``M`` of
    "N of M") is asked at every filter.

    A set that turns out damaged, or a library that cannot be read, does not end the view:
    from then on the rows come from ``fallback`` (the same figures computed from the
    articles), and ``on_loss`` hears why, once.

    Args:
        store: The figure store (:class:`~swreader.core.store.figurestore.FigureStore`).
        sig: The set.
        article_ids: Only the figures of these articles; ``None``: every article.
        fallback: Where the rows come from if the store fails; without one, errors rise.
        on_loss: Called (in the worker that met it) with the error and whether the set is
            damaged (:class:`DamagedFigures`: forget it, so it is built again) rather than
            only unreadable now (a locked or vanished library).
    """

    def __init__(
        self,
        store: FigureQueries,
        sig: str,
        article_ids: Collection[str] | None = None,
        *,
        fallback: FigureSource | None = None,
        on_loss: Callable[[Exception, bool], object] | None = None,
    ) -> None:
        self.store, self.sig = store, sig
        self.article_ids = None if article_ids is None else list(article_ids)
        self.fallback, self.on_loss = fallback, on_loss
        self._counts: dict[FigureQuery, int] = {}
        self._lost = False
        self._lock = threading.Lock()

    def _read(self, stored: Callable[[], _T], instead: Callable[[FigureSource], _T]) -> _T:
        """``stored()``; once the store has failed (and there is a fallback), ``instead``."""
        if not self._lost:  # lost only with a fallback: without one, errors rise
            try:
                return stored()
            except (DamagedFigures, KeyError, sqlite3.Error) as err:
                if self.fallback is None:
                    raise
                with self._lock:
                    first, self._lost = not self._lost, True
                if first and self.on_loss is not None:
                    self.on_loss(err, not isinstance(err, sqlite3.Error))
        return instead(cast(FigureSource, self.fallback))

    def _filters(self, query: FigureQuery) -> dict[str, object]:
        return {
            "article_ids": self.article_ids,
            "subject": query.subject,
            "kind": query.kind,
            "region": query.region,
        }

    def count(self, query: FigureQuery) -> int:
        """How many stored rows match ``query`` (~25 ms at 250,000 figures, then kept)."""
        found = self._counts.get(query)
        if found is None:

            def stored() -> int:
                return self.store.count(self.sig, **self._filters(query))  # type: ignore[arg-type]

            found = self._read(stored, lambda other: other.count(query))
            if not self._lost:
                self._counts[query] = found
        return found

    def page(
        self, query: FigureQuery, order_by: str | None, descending: bool, offset: int, limit: int
    ) -> list[FigureRow]:
        """One page, sorted in SQL (see :meth:`FigureSource.page`)."""
        if order_by is not None:
            sort_key(order_by)  # only what MemorySource sorts too: the two stay alike

        def stored() -> list[FigureRow]:
            return self.store.rows(
                self.sig,
                **self._filters(query),  # type: ignore[arg-type]
                order_by=order_by,
                descending=descending,
                limit=limit,
                offset=offset,
            )

        return self._read(
            stored, lambda other: other.page(query, order_by, descending, offset, limit)
        )

    def all_for_chart(self, subject: str, kind: str | None, region: str | None) -> list[FigureRow]:
        """Every stored row of ``subject``, in reading order (~165 ms for 6,600 rows)."""
        return self.page(FigureQuery(subject, kind, region), None, False, 0, -1)


class MemorySource:
    """Rows in memory, read once from ``load`` (in the first worker that asks).

    The last query's matching rows and the last order of them are kept, so that paging on
    sorts nothing again.

    Args:
        load: Gives every row of the view, in reading order (it may take long: the figures
            of articles computed on demand).
    """

    def __init__(self, load: Callable[[], list[FigureRow]]) -> None:
        self._load = load
        self._rows: list[FigureRow] | None = None
        self._lock = threading.Lock()  # two workers (a page, a chart) may ask at once
        self._matching: tuple[FigureQuery, list[FigureRow]] | None = None
        self._sorted: tuple[tuple[FigureQuery, str | None, bool], list[FigureRow]] | None = None

    def rows(self) -> list[FigureRow]:
        """Every row, read the first time."""
        with self._lock:
            if self._rows is None:
                self._rows = self._load()
            return self._rows

    def _matching_rows(self, query: FigureQuery) -> list[FigureRow]:
        rows = self.rows()
        with self._lock:
            if self._matching is not None and self._matching[0] == query:
                return self._matching[1]
        found = filter_rows(rows, subject=query.subject, kind=query.kind, region=query.region)
        with self._lock:
            self._matching = (query, found)
        return found

    def count(self, query: FigureQuery) -> int:
        """How many rows match ``query``."""
        return len(self._matching_rows(query))

    def _ordered(
        self, query: FigureQuery, order_by: str | None, descending: bool
    ) -> list[FigureRow]:
        key = (query, order_by, descending)
        with self._lock:
            if self._sorted is not None and self._sorted[0] == key:
                return self._sorted[1]
        rows = self._matching_rows(query)
        if order_by is not None:
            empty, by = sort_key(order_by)
            present = [r for r in rows if not empty(r)]
            # Stable, even reversed: ties stay in reading order, as the store's ``f.seq``.
            present.sort(key=by, reverse=descending)  # type: ignore[arg-type]
            rows = present + [r for r in rows if empty(r)]
        with self._lock:
            self._sorted = (key, rows)
        return rows

    def page(
        self, query: FigureQuery, order_by: str | None, descending: bool, offset: int, limit: int
    ) -> list[FigureRow]:
        """One page (see :meth:`FigureSource.page`)."""
        rows = self._ordered(query, order_by, descending)
        return rows[offset:] if limit < 0 else rows[offset : offset + limit]

    def all_for_chart(self, subject: str, kind: str | None, region: str | None) -> list[FigureRow]:
        """Every row of ``subject``, in reading order."""
        return filter_rows(self.rows(), subject=subject, kind=kind, region=region)
