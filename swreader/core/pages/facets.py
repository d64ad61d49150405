"""Facets for browsing: by source, by region (province → city) and by page.

The sidebar shows these groups; a :class:`Filter` picks the articles under one node.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from swreader.core.pages.model import Article
from swreader.core.text.convert import simplify_chars as _fold

#: The label of the paper's own reporting (articles with no ``(据…)`` line).
OWN_REPORTING = "本报"
#: The label of articles whose region could not be told.
NO_REGION = "未注明地区"


@dataclass(frozen=True, slots=True)
class Filter:
    """A selection of articles.

    Attributes:
        kind: ``all``, ``source``, ``province``, ``city``, ``page`` or ``bookmarks``.
        value: The source, province, city or page; ``None`` for ``all`` and ``bookmarks``.
        province: For ``city``, the province it belongs to.
    """

    kind: str = "all"
    value: str | None = None
    province: str | None = None

    def matches(self, article: Article, bookmarks: Collection[str] = ()) -> bool:
        """True when ``article`` belongs to this selection."""
        if self.kind == "all":
            return True
        if self.kind == "source":
            if self.value == OWN_REPORTING:
                return article.own_reporting
            return _fold(self.value or "") in {_fold(s) for s in article.sources}
        if self.kind == "province":
            return (article.province or NO_REGION) == self.value
        if self.kind == "city":
            return article.province == self.province and article.city == self.value
        if self.kind == "page":
            return article.page == self.value
        if self.kind == "bookmarks":
            return article.id in bookmarks
        return False

    def describe(self) -> str:
        """A short label for the status bar, e.g. ``来源: 本报`` or ``地区: 河南 › 许昌``."""
        if self.kind == "all":
            return "全部"
        if self.kind == "source":
            return f"来源: {self.value}"
        if self.kind == "province":
            return f"地区: {self.value}"
        if self.kind == "city":
            return f"地区: {self.province} › {self.value}"
        if self.kind == "page":
            return f"页面: {self.value}"
        return "书签"


def select(
    articles: Iterable[Article], selection: Filter, bookmarks: Collection[str] = ()
) -> list[Article]:
    """The articles under ``selection``, in their original order."""
    return [a for a in articles if selection.matches(a, bookmarks)]


def sources(articles: Iterable[Article]) -> list[tuple[str, int]]:
    """Sources with article counts: the paper's own reporting first, then outlets by count."""
    # Outlets are grouped whatever script the page used: 河北新聞網 is 河北新闻网.
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    own = 0
    for article in articles:
        if article.own_reporting:
            own += 1
        for source in article.sources:
            names.setdefault(_fold(source), source)
        counts.update({_fold(s) for s in article.sources})
    ranked = sorted(((names[k], n) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0]))
    return ([(OWN_REPORTING, own)] if own else []) + ranked


def regions(articles: Iterable[Article]) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Provinces with counts, each with its cities and their counts; unknown region last."""
    provinces: Counter[str] = Counter()
    cities: dict[str, Counter[str]] = {}
    for article in articles:
        province = article.province or NO_REGION
        provinces[province] += 1
        if article.city:
            cities.setdefault(province, Counter())[article.city] += 1
    ordered = sorted(provinces.items(), key=lambda kv: (kv[0] == NO_REGION, -kv[1], kv[0]))
    return [
        (name, count, sorted(cities.get(name, Counter()).items(), key=lambda kv: (-kv[1], kv[0])))
        for name, count in ordered
    ]


def pages(articles: Iterable[Article]) -> list[tuple[str, int]]:
    """Pages with article counts, in file order."""
    counts: Counter[str] = Counter(a.page for a in articles)
    return list(counts.items())
