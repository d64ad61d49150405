"""The Textual-free core: reading, cleaning, structure, regions, figures, conversion, search.

Nothing in this package may import ``textual``; ``tests/test_import_hygiene.py`` enforces it.
"""
