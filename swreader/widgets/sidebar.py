"""The sidebar: sources, regions (province → city), pages and bookmarks, with counts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text, TextType
from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from swreader import strings
from swreader.core.pages.facets import Filter, Groups
from swreader.screens import commands
from swreader.widgets.messages import FilterSelected

#: The longest (s) one turn of adding page leaves keeps the UI thread; the rest follows in
#: later turns, so a key is answered in between (38,000 leaves take ~1.3 s here)...
_SLICE = 0.02
#: ...each after this pause (s): a turn queued at once would run at once, as the widget
#: takes its next message without yielding to the event loop.
_PAUSE = 0.01
#: Page leaves added between two looks at the clock.
_STEP = 100


@dataclass(frozen=True, slots=True)
class _Node:
    """A node: a fixed branch (``key``, a catalogue key) or a label from the data."""

    label: str
    count: int
    selection: Filter | None
    key: str | None = None


class SourceTree(Tree[_Node]):
    """A tree of facets; selecting a node posts :class:`SourceTree.FilterSelected`.

    The tree is filled from counted :class:`~swreader.core.pages.facets.Groups` (counted
    off the UI thread) and updated in place as an archive loads: nodes are relabelled and
    new ones added, so the cursor and the branches the reader opened stay as they were, and
    a refresh costs the pages that are new, not all of them again.
    """

    BINDINGS = commands.SIDEBAR

    script: reactive[str] = reactive("original")
    ui: reactive[str] = reactive(strings.DEFAULT_UI)

    def __init__(self, **kwargs: object) -> None:
        super().__init__("swreader", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        #: The fixed branches, made by the first :meth:`populate`.
        self._branches: dict[str, TreeNode[_Node]] = {}
        #: The ``(page, count)`` rows the page leaves show, to find what is new cheaply.
        self._pages_shown: tuple[tuple[str, int], ...] = ()
        #: The groups shown (or being shown: page leaves are added a slice at a time).
        self._groups = Groups()
        self._filling = False

    def process_label(self, label: TextType) -> Text:
        """Labels are plain text: a page or outlet named ``[draft]`` is not markup.

        Textual parses a ``str`` label as markup, which hid ``[draft]`` (a style tag) and
        cost a third of the time of adding a node.
        """
        if isinstance(label, str):
            label = Text(label)
        if "\n" not in label.plain:  # one line already (TreeNode processes labels again)
            return label
        return super().process_label(label)

    def _label(self, node: _Node) -> str:
        if node.label.startswith("⚠"):
            return node.label  # a skipped page: its name and reason, as they are
        if node.key is not None:  # a branch: in the interface language
            return f"{strings.text(node.key, self.ui)} ({node.count})"
        if node.selection is not None and node.selection.kind == "page":
            return f"{node.label} ({node.count})"  # a file name: never converted
        return f"{strings.data_label(node.label, self.ui, self.script)} ({node.count})"

    def _add(
        self, parent: TreeNode[_Node], node: _Node, *, leaf: bool, before: int | None = None
    ) -> TreeNode[_Node]:
        label = self._label(node)
        if leaf:
            return parent.add_leaf(label, data=node, before=before)
        return parent.add(label, data=node, expand=True, before=before)

    def _show(self, tree_node: TreeNode[_Node], node: _Node) -> None:
        """Let ``tree_node`` show ``node`` (relabelled only when it changed)."""
        if tree_node.data != node:
            tree_node.data = node
            tree_node.set_label(self._label(node))

    def _sync_leaves(
        self, parent: TreeNode[_Node], wanted: Sequence[_Node], start: int = 0, *, trim: bool = True
    ) -> None:
        """Make the leaves of ``parent`` from ``start`` on show ``wanted``, reusing nodes.

        Nodes are reused rather than removed and added again: besides keeping the cursor,
        Textual's ``remove_children`` finds each child with ``list.index`` (quadratic).
        With ``trim``, leaves after them are removed.
        """
        children = parent.children
        for n, node in enumerate(wanted, start):
            if n < len(children):
                self._show(children[n], node)
            else:
                self._add(parent, node, leaf=True)
        while trim and len(children) > start + len(wanted):  # fewer: not while loading
            children[-1].remove()

    def populate(self, groups: Groups, bookmarks: int) -> None:
        """Show ``groups``, updating the tree in place.

        Args:
            groups: The counted sources, regions and pages; skipped pages are listed under
                the pages too, so their original text stays one click away.
            bookmarks: How many bookmarks there are.
        """
        if not self._branches:
            self._build_branches()
        branches = self._branches
        self._show(branches["all"], _Node("", groups.total, Filter(), "sidebar.all"))
        self._show(branches["sources"], _Node("", groups.total, None, "sidebar.sources"))
        self._show(branches["regions"], _Node("", groups.total, None, "sidebar.regions"))
        self._show(branches["pages"], _Node("", len(groups.pages), None, "sidebar.pages"))
        self.set_bookmark_count(bookmarks)
        sources = [_Node(name, n, Filter("source", name)) for name, n in groups.sources]
        self._sync_leaves(branches["sources"], sources)
        self._sync_regions(groups)
        self._groups = groups
        # The page leaves (one per file: 38,000 at 100k articles) are made only once their
        # branch is open: making them took ~1 s of the UI thread while a warm library
        # loaded, beside the loader, before the index could answer.
        if self._branches["pages"].is_expanded and not self._filling:
            self._sync_pages()  # (while filling, the turn already queued takes these groups)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[_Node]) -> None:
        if event.node is self._branches.get("pages") and not self._filling:
            self._sync_pages()

    def _build_branches(self) -> None:
        root = self.root
        for name, leaf, selection in (
            ("all", True, Filter()),
            ("sources", False, None),
            ("regions", False, None),
            ("pages", False, None),
            ("bookmarks", True, Filter("bookmarks")),
        ):
            node = _Node("", 0, selection, f"sidebar.{name}")
            self._branches[name] = self._add(root, node, leaf=leaf)
        self._branches["pages"].collapse()  # an archive has thousands of pages: open on demand

    def _sync_regions(self, groups: Groups) -> None:
        branch = self._branches["regions"]
        children = branch.children
        for n, (province, count, cities) in enumerate(groups.regions):
            node = _Node(province, count, Filter("province", province))
            if n < len(children) and children[n].allow_expand == bool(cities):
                self._show(children[n], node)
            else:  # a province that had no city yet (or none had this place): a new node
                if n < len(children):
                    children[n].remove()
                self._add(branch, node, leaf=not cities, before=n)
            if cities:
                wanted = [_Node(city, k, Filter("city", city, province)) for city, k in cities]
                self._sync_leaves(children[n], wanted)
        while len(children) > len(groups.regions):
            children[-1].remove()

    def _sync_pages(self) -> None:
        """Add the page leaves not shown yet, a slice at a time; then the skipped pages."""
        self._filling = False
        pages, branch = self._groups.pages, self._branches["pages"]
        # While an archive loads, pages are only ever added after those listed: compare
        # the rows already shown in one go and start from there, so a refresh costs the
        # pages that are new, not all 33,000 leaves again.
        shown = self._pages_shown
        end = len(shown) if pages[: len(shown)] == shown else 0
        deadline = time.monotonic() + _SLICE
        while end < len(pages):  # at least one step per turn, however late it starts
            rows = pages[end : end + _STEP]
            wanted = [_Node(page, n, Filter("page", page)) for page, n in rows]
            self._sync_leaves(branch, wanted, end, trim=False)
            end += len(rows)
            if time.monotonic() > deadline:
                break
        self._pages_shown = pages[:end]
        if end < len(pages):
            self._filling = True
            self.set_timer(_PAUSE, self._sync_pages)
            return
        skipped = [
            _Node(f"⚠ {page}: {reason}", 0, Filter("page", page))
            for page, reason in self._groups.skipped
        ]
        self._sync_leaves(branch, skipped, end)

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
        if "bookmarks" in self._branches:
            node = _Node("", count, Filter("bookmarks"), "sidebar.bookmarks")
            self._show(self._branches["bookmarks"], node)

    def on_tree_node_selected(self, event: Tree.NodeSelected[_Node]) -> None:
        event.stop()
        data = event.node.data
        if data is not None and data.selection is not None:
            self.post_message(FilterSelected(data.selection))
