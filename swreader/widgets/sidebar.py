"""The sidebar: sources, regions (province → city), pages and bookmarks, with counts."""

from __future__ import annotations

from dataclasses import dataclass

from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from swreader import strings
from swreader.core.pages import facets
from swreader.core.pages.facets import Filter
from swreader.core.pages.model import Article
from swreader.screens import commands
from swreader.widgets.messages import FilterSelected


@dataclass(frozen=True, slots=True)
class _Node:
    """A node: a fixed branch (``key``, a catalogue key) or a label from the data."""

    label: str
    count: int
    selection: Filter | None
    key: str | None = None


class SourceTree(Tree[_Node]):
    """A tree of facets; selecting a node posts :class:`SourceTree.FilterSelected`."""

    BINDINGS = commands.SIDEBAR

    script: reactive[str] = reactive("original")
    ui: reactive[str] = reactive(strings.DEFAULT_UI)

    def __init__(self, **kwargs: object) -> None:
        super().__init__("swreader", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2

    def _label(self, node: _Node) -> str:
        if node.label.startswith("⚠"):
            return node.label  # a skipped page: its name and reason, as they are
        if node.key is not None:  # a branch: in the interface language
            return f"{strings.text(node.key, self.ui)} ({node.count})"
        if node.selection is not None and node.selection.kind == "page":
            return f"{node.label} ({node.count})"  # a file name: never converted
        return f"{strings.data_label(node.label, self.ui, self.script)} ({node.count})"

    def _add(self, parent: TreeNode[_Node], node: _Node, *, leaf: bool) -> TreeNode[_Node]:
        label = self._label(node)
        if leaf:
            return parent.add_leaf(label, data=node)
        return parent.add(label, data=node, expand=True)

    def populate(
        self,
        articles: list[Article],
        bookmarks: list[tuple[str, str]],
        skipped: list[tuple[str, str]] = (),  # type: ignore[assignment]
    ) -> None:
        """Rebuild the tree.

        Args:
            articles: The articles to group.
            bookmarks: ``(article_id, title)`` of the bookmarks.
            skipped: ``(page stem, reason)`` of pages that gave no articles; they are
                listed under the pages too, so their original text stays one click away.
        """
        self.clear()
        root = self.root
        self._add(root, _Node("", len(articles), Filter(), "sidebar.all"), leaf=True)
        src = self._add(root, _Node("", len(articles), None, "sidebar.sources"), leaf=False)
        for name, count in facets.sources(articles):
            self._add(src, _Node(name, count, Filter("source", name)), leaf=True)
        reg = self._add(root, _Node("", len(articles), None, "sidebar.regions"), leaf=False)
        for province, count, cities in facets.regions(articles):
            node = _Node(province, count, Filter("province", province))
            branch = self._add(reg, node, leaf=not cities)
            for city, n in cities:
                self._add(branch, _Node(city, n, Filter("city", city, province)), leaf=True)
        count = len(facets.pages(articles))
        pages = self._add(root, _Node("", count, None, "sidebar.pages"), leaf=False)
        pages.collapse()  # an archive has thousands of pages: open on demand
        for page, count in facets.pages(articles):
            self._add(pages, _Node(page, count, Filter("page", page)), leaf=True)
        for page, reason in skipped:
            label = f"⚠ {page}: {reason}"
            pages.add_leaf(label, data=_Node(label, 0, Filter("page", page)))
        self._add(
            root, _Node("", len(bookmarks), Filter("bookmarks"), "sidebar.bookmarks"), leaf=True
        )

    def watch_ui(self) -> None:
        """Relabel every node in the new interface language."""
        self.watch_script()

    def watch_script(self) -> None:
        """Relabel every node in the new script, except page file names.

        Pages are skipped whole: an archive of 100,000 articles has ~40,000 of them, and
        walking them took ~0.5 s of every toggle.
        """
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.data is not None:
                label = self._label(node.data)
                if str(node.label) != label:
                    node.set_label(label)
                if node.data.key == "sidebar.pages":
                    continue
            stack.extend(node.children)

    def set_bookmark_count(self, count: int) -> None:
        """Update the count on the bookmarks node."""
        for node in self.root.children:
            if node.data and node.data.selection and node.data.selection.kind == "bookmarks":
                node.data = _Node(node.data.label, count, node.data.selection, node.data.key)
                node.set_label(self._label(node.data))

    def on_tree_node_selected(self, event: Tree.NodeSelected[_Node]) -> None:
        event.stop()
        data = event.node.data
        if data is not None and data.selection is not None:
            self.post_message(FilterSelected(data.selection))
