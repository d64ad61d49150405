"""Finding articles: queries, the character-pair index, pinyin, ranking and persistence.

May use :mod:`swreader.core.text`, :mod:`swreader.core.pages` and :mod:`swreader.core.system`.
"""
