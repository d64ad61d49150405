"""What is kept on disk: the user's state (precious) and the page cache (rebuildable).

May use text, pages and system; never :mod:`swreader.core.search`.
"""
