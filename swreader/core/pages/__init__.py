"""Pages into articles: blocks, parsing, regions, the article model, corpus and views of it.

May use :mod:`swreader.core.text` and :mod:`swreader.core.system`.
"""
