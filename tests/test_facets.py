"""Sidebar facets: counts, order, and grouping that ignores the page's script."""

from __future__ import annotations

import dataclasses

from swreader.core.pages import facets
from swreader.core.pages.facets import Filter
from swreader.core.pages.model import Article


def test_sources_own_reporting_first_then_by_count(articles: list[Article]) -> None:
    groups = facets.sources(articles)
    assert groups[0] == ("本报", 3)
    assert sum(n for name, n in groups[1:]) == 13  # one article names two outlets


def test_same_outlet_in_either_script_is_one_source(articles: list[Article]) -> None:
    trad = next(a for a in articles if a.sources == ["河北新聞網"])
    twin = dataclasses.replace(trad, id="twin", sources=["河北新闻网"])
    groups = dict(facets.sources([trad, twin]))
    assert groups == {"河北新聞網": 2}
    picked = facets.select([trad, twin], Filter("source", "河北新聞網"))
    assert [a.id for a in picked] == [trad.id, "twin"]


def test_regions_province_then_city(articles: list[Article]) -> None:
    regions = {name: (count, dict(cities)) for name, count, cities in facets.regions(articles)}
    assert regions["河南"] == (2, {"许昌": 1, "新乡": 1})
    assert regions["重庆"] == (1, {"沙坪坝": 1})
    assert regions["河北"] == (1, {"雄安新区": 1})
    assert facets.select(articles, Filter("city", "许昌", "河南"))[0].title.startswith("许昌")


def test_pages_in_file_order(articles: list[Article]) -> None:
    assert [n for _, n in facets.pages(articles)] == [4, 3, 4, 3, 1]
