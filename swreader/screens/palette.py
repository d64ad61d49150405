"""A command-palette provider that jumps to any article by fuzzy title."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider

from swreader.core.text.convert import convert

if TYPE_CHECKING:
    from swreader.screens.main import MainScreen


class ArticleCommands(Provider):
    """``ctrl+p``, then type part of a title: open that article."""

    async def search(self, query: str) -> Hits:
        screen: MainScreen = self.screen  # type: ignore[assignment]
        matcher = self.matcher(query)
        for article in screen.corpus.articles:
            title = convert(article.title, screen.script)
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(screen.open_article, article.id),
                    help="Open this article",
                )

    async def discover(self) -> Hits:
        screen: MainScreen = self.screen  # type: ignore[assignment]
        for article in screen.corpus.articles[:20]:
            title = convert(article.title, screen.script)
            yield Hit(1.0, title, partial(screen.open_article, article.id), help="Open")
